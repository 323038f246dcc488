import {
  type Serde,
  type SerdePrepareRequest,
  SerializationError,
  type SerializedRecord,
} from '@tributary/core';
import type { Change } from './Change.js';

/**
 * Changes on a KGroupedTable's repartition topic: a flags byte (1 = new value present, 2 = old value present),
 * the new value's 4-byte length and bytes, then the old value's bytes.
 */
export function changeSerde<V>(inner: Serde<V>): Serde<Change<V>> {
  return {
    name: `Change<${inner.name}>`,
    // The inner serde's prepare hook (e.g. Avro schema ids) sees the old and new values' own bytes.
    prepare: inner.prepare === undefined ? undefined : (request) => prepareInner(inner, request),
    serialize(topic, data) {
      const next = data.newValue === null ? null : inner.serialize(topic, data.newValue);
      const old = data.oldValue === null ? null : inner.serialize(topic, data.oldValue);
      const out = Buffer.allocUnsafe(5 + (next?.length ?? 0) + (old?.length ?? 0));
      out.writeUInt8((next === null ? 0 : 1) | (old === null ? 0 : 2), 0);
      out.writeInt32BE(next?.length ?? 0, 1);
      let at = 5;
      if (next !== null) at += next.copy(out, at);
      if (old !== null) old.copy(out, at);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 5) {
        throw new SerializationError(
          `Change serde on topic '${topic}' got ${data.length} bytes; needs at least 5`,
        );
      }
      const flags = data.readUInt8(0);
      const newLength = data.readInt32BE(1);
      return {
        newValue: flags & 1 ? inner.deserialize(topic, data.subarray(5, 5 + newLength)) : null,
        oldValue: flags & 2 ? inner.deserialize(topic, data.subarray(5 + newLength)) : null,
      };
    },
  };
}

function prepareInner<V>(inner: Serde<V>, request: SerdePrepareRequest): Promise<void> | undefined {
  if (request.mode === 'write') return inner.prepare!(request);
  const values: SerializedRecord[] = [];
  for (const record of request.records) {
    const data = request.isKey ? record.key : record.value;
    if (record.topic !== request.topic || data === null || data.length < 5) continue;
    const flags = data.readUInt8(0);
    const newLength = data.readInt32BE(1);
    if (flags & 1) values.push({ topic: record.topic, key: null, value: data.subarray(5, 5 + newLength) });
    if (flags & 2) values.push({ topic: record.topic, key: null, value: data.subarray(5 + newLength) });
  }
  return values.length === 0 ? undefined : inner.prepare!({ ...request, isKey: false, records: values });
}
