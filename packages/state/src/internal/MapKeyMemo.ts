/**
 * The `latin1` map key of key bytes (see OrderedBytesMap), remembering the last one converted: an
 * aggregation reads a key and writes it back right away, and a cache flush reads the old value and writes the
 * new one, so consecutive operations on one store usually convert the same key. A hit is checked against
 * the bytes themselves (never by Buffer identity), so it is always the right string; it also hands the map the
 * same string object again, whose hash is already computed.
 */
export class MapKeyMemo {
  private last = '';

  of(key: Buffer): string {
    const length = key.length;
    const last = this.last;
    if (length === last.length && length <= 64) {
      let i = 0;
      while (i < length && key[i] === last.charCodeAt(i)) i++;
      if (i === length) return last;
    }
    const mapKey = key.toString('latin1');
    this.last = mapKey;
    return mapKey;
  }
}
