import { BigEndianTimestamp } from './BigEndianTimestamp.js';
import { MapKeyMemo } from './MapKeyMemo.js';

/**
 * The `latin1` map key of a (key bytes, window start) pair — the same string as
 * `WindowKeySchema.toStoreKeyBinary(key, start).toString('latin1')` — built without allocating the binary key
 * and remembering the last one: an aggregation fetches a window and puts it back right away, so the put gets
 * the very string object of the fetch (whose hash is already computed). The 8-character suffix of the last
 * window start is kept too, as consecutive records mostly fall into the same window.
 */
export class WindowMapKeyMemo {
  private readonly keys = new MapKeyMemo();
  private lastKeyString = '';
  private lastStart = Number.NaN;
  private lastMapKey = '';
  private suffixStart = Number.NaN;
  private suffix = '';

  of(key: Buffer, windowStart: number): string {
    const keyString = this.keys.of(key);
    if (windowStart === this.lastStart && keyString === this.lastKeyString) return this.lastMapKey;
    if (windowStart !== this.suffixStart) {
      this.suffix = BigEndianTimestamp.latin1(windowStart);
      this.suffixStart = windowStart;
    }
    const mapKey = keyString + this.suffix;
    this.lastKeyString = keyString;
    this.lastStart = windowStart;
    this.lastMapKey = mapKey;
    return mapKey;
  }
}
