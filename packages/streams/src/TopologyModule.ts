/**
 * Where stream-thread processes find the topology: a module (path or URL) exporting a function that builds it
 * (`export function buildTopology(): Topology`, or the default export). Each stream thread's process imports it
 * and builds its own copy, because a Topology holds functions and cannot be sent between processes.
 */
export interface TopologyModule {
  readonly module: string | URL;
  /** Name of the exported builder; default `default`, then `buildTopology`. */
  readonly exportName?: string;
}
