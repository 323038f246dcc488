/**
 * A conformance scenario: a topology (by name, see topologies.ts) and the steps to replay through a
 * TopologyTestDriver, in order. The same JSON is read by the Kafka Streams side (../java).
 */
export interface Scenario {
  /** Unique: `<topology>/<edge case name>` or `<topology>/seed-<n>`. */
  readonly id: string;
  readonly topology: string;
  /** Kafka Streams properties for this scenario (those Tributary knows are mapped, see TributarySide.ts). */
  readonly config?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}

/** Pipe one record into an input topic, or move the mock wall clock. */
export type Step = PipeStep | AdvanceStep;

export interface PipeStep {
  readonly pipe: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly ts: number;
}

export interface AdvanceStep {
  readonly advance: number;
}

/** A record read from the output topic `out`, with the index of the step after which it was read. */
export interface OutputRecord {
  readonly step: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly ts: number;
}

/** What one library made of a scenario: its output records, or the error that stopped it (and at which step). */
export interface ScenarioResult {
  readonly id: string;
  readonly records: readonly OutputRecord[];
  readonly error?: string;
  readonly errorStep?: number;
}
