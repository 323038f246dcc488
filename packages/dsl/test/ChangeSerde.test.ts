import { type SerdePrepareRequest, Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { changeSerde } from '../src/internal/ChangeSerde.js';

describe('changeSerde', () => {
  it('has no prepare hook when its inner serde has none', () => {
    expect(changeSerde(Serdes.String()).prepare).toBeUndefined();
  });

  it('hands its inner serde’s prepare hook the old and new values’ own bytes', async () => {
    const requests: { mode: string; isKey: boolean; values: string[] }[] = [];
    const inner = {
      ...Serdes.String(),
      prepare(request: SerdePrepareRequest) {
        requests.push({
          mode: request.mode,
          isKey: request.isKey,
          values: request.records.map((r) => String(r.value)),
        });
        return Promise.resolve();
      },
    };
    const serde = changeSerde(inner);
    await serde.prepare!({ mode: 'write', topic: 'rep', isKey: false, records: [] });
    const both = serde.serialize('rep', { newValue: 'new', oldValue: 'old' });
    const onlyNew = serde.serialize('rep', { newValue: 'n2', oldValue: null });
    const onlyOld = serde.serialize('rep', { newValue: null, oldValue: 'o3' });
    await serde.prepare!({
      mode: 'read',
      topic: 'rep',
      isKey: false,
      records: [
        { topic: 'rep', key: Buffer.from('k'), value: both },
        { topic: 'other', key: null, value: both },
        { topic: 'rep', key: null, value: onlyNew },
        { topic: 'rep', key: null, value: onlyOld },
      ],
    });
    expect(requests).toEqual([
      { mode: 'write', isKey: false, values: [] },
      { mode: 'read', isKey: false, values: ['new', 'old', 'n2', 'o3'] },
    ]);
  });
});
