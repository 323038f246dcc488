/**
 * A binary min-heap of keys by (time, serialized key bytes): the eviction order of a suppress buffer, as Kafka
 * Streams' time-ordered buffer (keys due at the same time leave in unsigned byte order of their serialized key).
 */
export class TimeOrderedKeys<K> {
  private readonly times: number[] = [];
  private readonly keyBytes: Buffer[] = [];
  private readonly keys: K[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Smallest time, or +Infinity when empty. */
  minTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  push(time: number, key: K, bytes: Buffer): void {
    const times = this.times;
    const keyBytes = this.keyBytes;
    const keys = this.keys;
    let at = keys.length;
    times.push(time);
    keyBytes.push(bytes);
    keys.push(key);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(time, bytes, times[parent]!, keyBytes[parent]!)) break;
      times[at] = times[parent]!;
      keyBytes[at] = keyBytes[parent]!;
      keys[at] = keys[parent]!;
      at = parent;
    }
    times[at] = time;
    keyBytes[at] = bytes;
    keys[at] = key;
  }

  /** Removes and returns the key with the smallest (time, key bytes). */
  pop(): K | undefined {
    const times = this.times;
    const keyBytes = this.keyBytes;
    const keys = this.keys;
    if (keys.length === 0) return undefined;
    const top = keys[0]!;
    const lastTime = times.pop()!;
    const lastBytes = keyBytes.pop()!;
    const lastKey = keys.pop()!;
    const n = keys.length;
    if (n === 0) return top;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (
        child + 1 < n &&
        this.less(times[child + 1]!, keyBytes[child + 1]!, times[child]!, keyBytes[child]!)
      )
        child++;
      if (!this.less(times[child]!, keyBytes[child]!, lastTime, lastBytes)) break;
      times[at] = times[child]!;
      keyBytes[at] = keyBytes[child]!;
      keys[at] = keys[child]!;
      at = child;
    }
    times[at] = lastTime;
    keyBytes[at] = lastBytes;
    keys[at] = lastKey;
    return top;
  }

  clear(): void {
    this.times.length = 0;
    this.keyBytes.length = 0;
    this.keys.length = 0;
  }

  private less(t1: number, s1: Buffer, t2: number, s2: Buffer): boolean {
    return t1 < t2 || (t1 === t2 && Buffer.compare(s1, s2) < 0);
  }
}
