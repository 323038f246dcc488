/** A binary min-heap of keys by (time, insertion sequence): the eviction order of a suppress buffer. */
export class TimeOrderedKeys<K> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly keys: K[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.keys.length;
  }

  /** Smallest time, or +Infinity when empty. */
  minTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  push(time: number, key: K): void {
    const times = this.times;
    const seqs = this.seqs;
    const keys = this.keys;
    const seq = this.nextSeq++;
    let at = keys.length;
    times.push(time);
    seqs.push(seq);
    keys.push(key);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(time, seq, times[parent]!, seqs[parent]!)) break;
      times[at] = times[parent]!;
      seqs[at] = seqs[parent]!;
      keys[at] = keys[parent]!;
      at = parent;
    }
    times[at] = time;
    seqs[at] = seq;
    keys[at] = key;
  }

  /** Removes and returns the key with the smallest (time, sequence). */
  pop(): K | undefined {
    const times = this.times;
    const seqs = this.seqs;
    const keys = this.keys;
    if (keys.length === 0) return undefined;
    const top = keys[0]!;
    const lastTime = times.pop()!;
    const lastSeq = seqs.pop()!;
    const lastKey = keys.pop()!;
    const n = keys.length;
    if (n === 0) return top;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(times[child + 1]!, seqs[child + 1]!, times[child]!, seqs[child]!))
        child++;
      if (!this.less(times[child]!, seqs[child]!, lastTime, lastSeq)) break;
      times[at] = times[child]!;
      seqs[at] = seqs[child]!;
      keys[at] = keys[child]!;
      at = child;
    }
    times[at] = lastTime;
    seqs[at] = lastSeq;
    keys[at] = lastKey;
    return top;
  }

  clear(): void {
    this.times.length = 0;
    this.seqs.length = 0;
    this.keys.length = 0;
  }

  private less(t1: number, s1: number, t2: number, s2: number): boolean {
    return t1 < t2 || (t1 === t2 && s1 < s2);
  }
}
