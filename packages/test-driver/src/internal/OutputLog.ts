import type { ConsumerRecord } from '@tributary/core';

/** Everything written to one topic, in write order across partitions, with a read cursor. */
export class OutputLog {
  private records: ConsumerRecord[] = [];
  private position = 0;

  append(record: ConsumerRecord): void {
    this.records.push(record);
  }

  /** Remove and return the oldest unread record. */
  take(): ConsumerRecord | undefined {
    if (this.position >= this.records.length) return undefined;
    const record = this.records[this.position]!;
    this.records[this.position] = undefined as unknown as ConsumerRecord;
    this.position++;
    if (this.position === this.records.length) {
      this.records = [];
      this.position = 0;
    } else if (this.position > 65_536 && this.position * 2 > this.records.length) {
      this.records = this.records.slice(this.position);
      this.position = 0;
    }
    return record;
  }

  size(): number {
    return this.records.length - this.position;
  }
}
