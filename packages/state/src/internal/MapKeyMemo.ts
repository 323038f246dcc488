/**
 * The `latin1` map key of key bytes (see OrderedBytesMap), remembering the last one converted: an
 * aggregation reads a key and writes it back right away, and a cache flush reads the old value and writes the
 * new one, so consecutive operations usually convert the same key. The memory is shared by every memo, and a
 * windowed map key just built for the same key bytes (see WindowMapKeyMemo) also serves, so the layers of one
 * store (a window cache, then the store it flushes to) convert a key once between them. A hit is checked
 * against the bytes themselves (never by Buffer identity), so it is always the right string; it also hands the
 * map the same string object again, whose hash is already computed.
 */
export class MapKeyMemo {
  of(key: Buffer): string {
    const length = key.length;
    if (length <= MAX_COMPARED) {
      const last = lastConverted;
      if (length === last.length && startsWithBytes(last, key)) return last;
      if (length === lastWindowKeyLength && startsWithBytes(lastWindowMapKey, key)) {
        lastConverted = lastWindowMapKey.slice(0, length);
        return lastConverted;
      }
    }
    const mapKey = key.toString('latin1');
    lastConverted = mapKey;
    return mapKey;
  }
}

/** Keys longer than this are converted without comparing them to the remembered ones. */
export const MAX_COMPARED = 64;

/** Whether the first `bytes.length` characters of `text` are the bytes' latin1 characters. */
export function startsWithBytes(text: string, bytes: Buffer): boolean {
  const length = bytes.length;
  let i = 0;
  while (i < length && bytes[i] === text.charCodeAt(i)) i++;
  return i === length;
}

/** Remembers a map key that starts with the latin1 string of `keyLength` key bytes (a windowed map key). */
export function rememberWindowMapKey(mapKey: string, keyLength: number): void {
  lastWindowMapKey = mapKey;
  lastWindowKeyLength = keyLength;
}

// JavaScript runs one store operation at a time: what was converted last is shared by every memo.
let lastConverted = '';
let lastWindowMapKey = '';
let lastWindowKeyLength = -1;
