import type { Serde, SerdePrepareRequest, SerializedRecord } from '../Serde.js';

/**
 * The prepare hook of a serde that writes `inner`'s bytes followed by `trailingBytes` of its own (the windowed
 * key serdes): writes are forwarded as they are, reads with each record's part cut to the inner bytes. Undefined
 * when `inner` has no hook.
 */
export function forwardPrepare(
  inner: Serde<unknown>,
  trailingBytes: number,
): ((request: SerdePrepareRequest) => Promise<void> | undefined) | undefined {
  const prepare = inner.prepare?.bind(inner);
  if (prepare === undefined) return undefined;
  return (request) => {
    if (request.mode === 'write') return prepare(request);
    const records: SerializedRecord[] = [];
    for (const r of request.records) {
      const data = request.isKey ? r.key : r.value;
      if (r.topic !== request.topic || data === null || data.length <= trailingBytes) continue;
      const own = data.subarray(0, data.length - trailingBytes);
      records.push({ topic: r.topic, key: own, value: own });
    }
    return records.length === 0 ? undefined : prepare({ ...request, records });
  };
}
