import { EmitThrottle } from './EmitThrottle.js';

/**
 * Stream time and the smallest timestamp waiting in the outer-join store, shared by both sides of one
 * stream-stream join in one task (one instance per task id; `trackerFor` hands it out).
 */
export class JoinTimeTracker {
  streamTime = -1;
  minTime = Number.MAX_SAFE_INTEGER;

  /** Kafka's shared `nextTimeToEmit`: the wall-clock throttle of the unjoined-record scans of both sides. */
  constructor(readonly throttle: EmitThrottle) {}

  advanceStreamTime(timestamp: number): void {
    if (timestamp > this.streamTime) this.streamTime = timestamp;
  }

  updatedMinTime(timestamp: number): void {
    if (timestamp < this.minTime) this.minTime = timestamp;
  }
}

/** Per-task trackers of one join, created by the first side initialised and dropped when a side closes. */
export class JoinTimeTrackers {
  private readonly byTask = new Map<string, JoinTimeTracker>();

  /** `emitIntervalMs`: Kafka's outer-join emit interval (StreamsBuilderOptions.outerJoinEmitIntervalMs). */
  constructor(private readonly emitIntervalMs: number) {}

  get(taskId: string): JoinTimeTracker {
    let tracker = this.byTask.get(taskId);
    if (tracker === undefined) {
      tracker = new JoinTimeTracker(new EmitThrottle(this.emitIntervalMs));
      this.byTask.set(taskId, tracker);
    }
    return tracker;
  }

  remove(taskId: string): void {
    this.byTask.delete(taskId);
  }
}
