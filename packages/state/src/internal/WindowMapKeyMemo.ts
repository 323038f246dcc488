import { BigEndianTimestamp } from './BigEndianTimestamp.js';
import { MAX_COMPARED, rememberWindowMapKey, startsWithBytes } from './MapKeyMemo.js';

/**
 * The `latin1` map key of a (key bytes, window start) pair — the same string as
 * `WindowKeySchema.toStoreKeyBinary(key, start).toString('latin1')` — built as one flat string (the bytes are
 * assembled in a scratch buffer and converted once; a concatenation would leave the map a two-part string
 * to follow on every later comparison) and remembered: an aggregation fetches a window and puts it back right
 * away, so the put gets the very string object of the fetch (whose hash is already computed). The store the
 * cache flushes to takes its key string from it too (see MapKeyMemo).
 */
export class WindowMapKeyMemo {
  of(key: Buffer, windowStart: number): string {
    const length = key.length;
    if (windowStart === lastStart && length === lastKeyLength && startsWithBytes(lastMapKey, key)) {
      return lastMapKey;
    }
    let mapKey: string;
    if (length <= MAX_COMPARED) {
      for (let i = 0; i < length; i++) scratch[i] = key[i]!;
      BigEndianTimestamp.write(scratch, length, windowStart);
      mapKey = scratch.toString('latin1', 0, length + BigEndianTimestamp.SIZE);
    } else {
      mapKey = key.toString('latin1') + BigEndianTimestamp.latin1(windowStart);
    }
    lastMapKey = mapKey;
    lastStart = windowStart;
    lastKeyLength = length <= MAX_COMPARED ? length : -1;
    rememberWindowMapKey(mapKey, lastKeyLength);
    return mapKey;
  }
}

/** Where short map keys are assembled. */
const scratch = Buffer.alloc(MAX_COMPARED + BigEndianTimestamp.SIZE);
let lastMapKey = '';
let lastStart = Number.NaN;
let lastKeyLength = -1;
