import type { Cancellable, Punctuator } from '@tributary/dsl';

/** One scheduled punctuator; `time` is its next firing time. */
export class PunctuationSchedule<N> implements Cancellable {
  cancelled = false;

  constructor(
    public time: number,
    readonly intervalMs: number,
    readonly node: N,
    readonly punctuator: Punctuator,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

/**
 * Punctuators of one type (stream-time or wall-clock) of one task. Due schedules fire in time order, each
 * with the current time; the next time is `time + interval`, or `now + interval` when one or more
 * intervals were missed (Kafka Streams' PunctuationSchedule.next: missed punctuations are skipped, never
 * fired in a burst).
 */
export class PunctuationQueue<N> {
  private schedules: PunctuationSchedule<N>[] = [];

  add(schedule: PunctuationSchedule<N>): void {
    this.schedules.push(schedule);
  }

  clear(): void {
    this.schedules = [];
  }

  get size(): number {
    return this.schedules.length;
  }

  /** Fire every schedule due at `now` (time <= now); returns whether any fired. */
  mayPunctuate(now: number, fire: (schedule: PunctuationSchedule<N>, now: number) => void): boolean {
    let fired = false;
    for (;;) {
      let due: PunctuationSchedule<N> | undefined;
      let cancelled = false;
      for (const schedule of this.schedules) {
        if (schedule.cancelled) {
          cancelled = true;
          continue;
        }
        if (schedule.time <= now && (due === undefined || schedule.time < due.time)) due = schedule;
      }
      if (cancelled) this.schedules = this.schedules.filter((s) => !s.cancelled);
      if (due === undefined) return fired;
      fired = true;
      const next = due.time + due.intervalMs;
      due.time = next > now ? next : now + due.intervalMs;
      fire(due, now);
    }
  }
}
