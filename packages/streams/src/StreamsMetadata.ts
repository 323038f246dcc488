/** Where an instance serves interactive queries: its `application.server`. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** One instance of the application, as Kafka Streams' `StreamsMetadata` describes it. */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  /** The instance's process id (kept in its state directory). */
  readonly processId: string;
  /** Stores of the tasks it runs. */
  readonly stateStoreNames: readonly string[];
  /** Task ids (`subtopology_partition`) it runs. */
  readonly activeTasks: readonly string[];
  readonly standbyTasks: readonly string[];
}

/** Which instance holds a key of a store: the partition of the key and the active task's host. */
export interface KeyQueryMetadata {
  /** The instance running the task of the key's partition; undefined while no instance has said it does. */
  readonly activeHost: HostInfo | undefined;
  readonly standbyHosts: readonly HostInfo[];
  readonly partition: number;
}
