import { IllegalStateError } from './IllegalStateError.js';

/** A task: one sub-topology on one partition. Printed as `subtopology_partition`, as in Kafka Streams. */
export class TaskId {
  constructor(
    readonly subtopology: number,
    readonly partition: number,
  ) {}

  static parse(text: string): TaskId {
    const match = /^(\d+)_(\d+)$/.exec(text);
    if (!match)
      throw new IllegalStateError(
        `'${text}' is not a task id; expected '<subtopology>_<partition>', e.g. '0_3'`,
      );
    return new TaskId(Number(match[1]), Number(match[2]));
  }

  equals(other: TaskId): boolean {
    return this.subtopology === other.subtopology && this.partition === other.partition;
  }

  toString(): string {
    return `${this.subtopology}_${this.partition}`;
  }
}
