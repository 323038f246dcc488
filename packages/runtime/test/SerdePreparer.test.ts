import { type Serde, type SerdePrepareRequest, Serdes } from '@tributary/core';
import { Consumed, Produced, StreamsBuilder } from '@tributary/dsl';
import { describe, expect, it } from 'vitest';
import { SerdePreparer } from '../src/index.js';

/** A String serde that records its prepare requests and needs `rounds` of them before it is ready. */
function preparingSerde(log: string[], rounds = 1): Serde<string> {
  let left = rounds;
  return {
    ...Serdes.String(),
    name: 'Preparing',
    prepare(request: SerdePrepareRequest) {
      const mine = request.records.filter((r) => r.topic === request.topic).length;
      log.push(`${request.mode} ${request.topic} ${request.isKey ? 'key' : 'value'} ${mine}`);
      if (request.mode === 'write' && left-- <= 0) return undefined;
      return Promise.resolve();
    },
  };
}

const record = (topic: string) => ({ topic, key: Buffer.from('k'), value: Buffer.from('v') });

describe('SerdePreparer', () => {
  it('does nothing, without a Promise, for a topology whose serdes have no prepare hook', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out');
    const preparer = new SerdePreparer(builder.build(), (t) => t);
    expect(preparer.prepare([record('in')])).toBeUndefined();
  });

  it('asks source serdes once per topic of the batch and sink serdes until they are ready', async () => {
    const log: string[] = [];
    const builder = new StreamsBuilder();
    builder
      .stream('a', Consumed.with(Serdes.String(), preparingSerde(log)))
      .to('out', Produced.with(Serdes.String(), preparingSerde(log)));
    builder.stream(/^p-.*/, Consumed.with(preparingSerde(log), Serdes.String())).to('other');
    const preparer = new SerdePreparer(builder.build(), (t) => t);
    await preparer.prepare([
      record('a'),
      record('a'),
      record('p-1'),
      record('a'),
      record('zzz'),
      record('p-2'),
    ]);
    // The pattern stream's sink inherits its serdes, so the key serde also writes to 'other'.
    expect(log).toEqual([
      'write out value 0',
      'write other key 0',
      'read a value 3',
      'read p-1 key 1',
      'read p-2 key 1',
    ]);
    log.length = 0;
    // The sinks' serdes are ready now (their second write requests return undefined): asked once more, then never.
    expect(preparer.prepare([record('zzz')])).toBeUndefined();
    expect(preparer.prepare([record('zzz')])).toBeUndefined();
    expect(log).toEqual(['write out value 0', 'write other key 0']);
  });

  it('globalOnly asks only the global stores’ sources (the global stream thread writes nothing)', async () => {
    const log: string[] = [];
    const builder = new StreamsBuilder();
    builder.globalTable('merchants', Consumed.with(Serdes.String(), preparingSerde(log)));
    builder
      .stream('a', Consumed.with(Serdes.String(), preparingSerde(log)))
      .to('out', Produced.with(Serdes.String(), preparingSerde(log)));
    const topology = builder.build();
    await new SerdePreparer(topology, (t) => t, { globalOnly: true }).prepare([
      record('a'),
      record('merchants'),
    ]);
    expect(log).toEqual(['read merchants value 1']);
    log.length = 0;
    await new SerdePreparer(topology, (t) => t).prepare([record('merchants')]);
    expect(log).toEqual(['write out value 0', 'read merchants value 1']);
  });
});
