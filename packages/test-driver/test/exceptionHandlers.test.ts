import {
  Headers,
  Record,
  RecordTooLargeError,
  type Serde,
  Serdes,
  SerializationError,
  TaskId,
} from '@tributary/core';
import { Consumed, type ProcessorContext, Produced, StreamsBuilder } from '@tributary/dsl';
import {
  deadLetterQueueRecord,
  type ErrorHandlerContext,
  type ExceptionHandlerSettings,
  DeadLetterQueueHeaders as H,
} from '@tributary/runtime';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver, type TopologyTestDriverConfig } from '../src/index.js';

const S = Serdes.String();
const B = Serdes.Bytes();
const J = Serdes.Json<{ n: number; fail?: boolean }>();
const L = Serdes.Int64();

/** in (String, Json) → mapValues (throws on `fail`) → out (String, Int64): n * 2. */
function doubling() {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, J))
    .mapValues((v) => {
      if (v.fail) throw new TypeError(`refusing ${v.n}`);
      return v.n * 2;
    })
    .to('out', Produced.with(S, L));
  return builder.build();
}

const SOURCE = 'KSTREAM-SOURCE-0000000000';
const MAP = 'KSTREAM-MAPVALUES-0000000001';

function driverOf(config: TopologyTestDriverConfig, topology = doubling()) {
  const logged: string[] = [];
  const driver = new TopologyTestDriver(topology, { log: (m) => logged.push(m), ...config });
  return {
    driver,
    logged,
    input: driver.createInputTopic('in', S, B),
    out: driver.createOutputTopic('out', S, L),
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The headers of a dead-letter record as strings, minus the stack trace (checked separately). */
function provenance(headers: Headers): globalThis.Record<string, string | null> {
  const result: globalThis.Record<string, string | null> = {};
  for (const header of headers) {
    if (header.key === H.stacktrace) continue;
    result[header.key] = header.value === null ? null : header.value.toString();
  }
  return result;
}

describe('exception handlers in the TopologyTestDriver', () => {
  it('fails by default on a malformed value, naming topic, partition and offset', () => {
    const { input, out } = driverOf({});
    input.pipeInput('a', json({ n: 1 }), 10);
    expect(() => input.pipeInput('b', Buffer.from('{"n": 2'), 11)).toThrow(SerializationError);
    expect(() => input.pipeInput('c', Buffer.from('nope'), 12)).toThrow(
      "Could not deserialize the value of the record at topic 'in' partition 0 offset 2 with value serde 'Json' of " +
        `source '${SOURCE}'`,
    );
    expect(out.readKeyValuesToList()).toEqual([{ key: 'a', value: 2 }]);
  });

  it('fails by default when user code throws, naming task, processor, topic, partition and offset', () => {
    const { input } = driverOf({});
    input.pipeInput('a', json({ n: 1 }), 10);
    expect(() => input.pipeInput('b', json({ n: 2, fail: true }), 11)).toThrow(
      `Exception caught in process: Task 0_0, processor '${MAP}', topic 'in' partition 0 offset 1: refusing 2`,
    );
  });

  it('with logAndContinue and a dead-letter queue: exactly the good results out, exactly the bad records in the DLQ', () => {
    const { driver, input, out, logged } = driverOf({
      deserializationExceptionHandler: 'logAndContinue',
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
    });
    const dlq = driver.createOutputTopic('dlq', B, B);
    const truncated = Buffer.from('{"n": 3');
    const thrower = json({ n: 4, fail: true });
    const headers = new Headers().add('trace', 'x-1');
    input.pipeInput('a', json({ n: 1 }), 10);
    input.pipeInput('b', json({ n: 2 }), 11);
    input.pipeInput('c', truncated, 12, headers);
    input.pipeInput('d', thrower, 13);
    input.pipeInput('e', json({ n: 5 }), 14);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'a', value: 2 },
      { key: 'b', value: 4 },
      { key: 'e', value: 10 },
    ]);
    const dead = dlq.readRecordsToList();
    expect(dead.map((r) => [r.key?.toString(), r.value, r.timestamp])).toEqual([
      ['c', truncated, 12],
      ['d', thrower, 13],
    ]);
    expect(provenance(dead[0]!.headers)).toEqual({
      trace: 'x-1',
      [H.exception]: 'SerializationError',
      [H.message]: "Json serde on topic 'in' could not parse 7 bytes",
      [H.topic]: 'in',
      [H.partition]: '0',
      [H.offset]: '2',
      [H.processor]: SOURCE,
      [H.task]: '0_0',
    });
    expect(provenance(dead[1]!.headers)).toEqual({
      [H.exception]: 'TypeError',
      [H.message]: 'refusing 4',
      [H.topic]: 'in',
      [H.partition]: '0',
      [H.offset]: '3',
      [H.processor]: MAP,
      [H.task]: '0_0',
    });
    expect(dead[1]!.headers.lastHeader(H.stacktrace)!.value!.toString()).toMatch(
      /^TypeError: refusing 4\n\s+at /,
    );
    expect(driver.taskMetrics().get('0_0')).toEqual({
      processedTotal: 4,
      droppedRecordsTotal: 2,
      punctuateTotal: 0,
      enforcedProcessingTotal: 0,
      deserializationErrorsTotal: 1,
      processingErrorsTotal: 1,
      productionErrorsTotal: 0,
    });
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(
      new RegExp(
        `^Task 0_0: skipped a record at processor '${SOURCE}', topic 'in' partition 0 offset 2: the deserialization ` +
          "exception handler chose to continue after SerializationError: Json serde on topic 'in' could not parse 7 bytes; written to dead-letter queue 'dlq'$",
      ),
    );
    expect(logged[1]).toBe(
      `Task 0_0: skipped a record at processor '${MAP}', topic 'in' partition 0 offset 3: the processing exception ` +
        "handler chose to continue after TypeError: refusing 4; written to dead-letter queue 'dlq'",
    );
    driver.close();
  });

  it('gives a function handler the record, the error and the context', () => {
    const seen: unknown[] = [];
    const { driver, input, out } = driverOf({
      deserializationExceptionHandler: (context, record, error) => {
        seen.push(['deserialization', context, record, (error as Error).name]);
        return 'continue';
      },
      processingExceptionHandler: (context, record, error) => {
        seen.push(['processing', context, record?.key, record?.value, (error as Error).message]);
        return 'continue';
      },
    });
    const headers = new Headers().add('h', 'v');
    input.pipeInput('k1', Buffer.from('{'), 7, headers);
    input.pipeInput('k2', json({ n: 9, fail: true }), 8);
    expect(out.readKeyValuesToList()).toEqual([]);
    const context = (
      offset: number,
      node: string,
      timestamp: number,
      key: string,
      value: Buffer,
      h: Headers,
    ) =>
      ({
        taskId: new TaskId(0, 0),
        processorNodeId: node,
        topic: 'in',
        partition: 0,
        offset,
        timestamp,
        headers: h,
        sourceRawKey: Buffer.from(key),
        sourceRawValue: value,
      }) satisfies ErrorHandlerContext;
    expect(seen).toEqual([
      [
        'deserialization',
        context(0, SOURCE, 7, 'k1', Buffer.from('{'), headers),
        {
          topic: 'in',
          partition: 0,
          offset: 0,
          key: Buffer.from('k1'),
          value: Buffer.from('{'),
          timestamp: 7,
          headers,
        },
        'SerializationError',
      ],
      [
        'processing',
        context(1, MAP, 8, 'k2', json({ n: 9, fail: true }), new Headers()),
        'k2',
        { n: 9, fail: true },
        'refusing 9',
      ],
    ]);
    driver.close();
  });

  it('writes the dead-letter records a function handler returns, and continues or fails as it says', () => {
    const { driver, input, out } = driverOf({
      deadLetterQueueTopic: 'my-dlq',
      processingExceptionHandler: (context, record, error) =>
        (record!.value as { n: number }).n > 100
          ? 'fail'
          : { result: 'continue', deadLetterQueueRecords: [deadLetterQueueRecord('my-dlq', context, error)] },
    });
    const dlq = driver.createOutputTopic('my-dlq', S, B);
    input.pipeInput('x', json({ n: 1, fail: true }), 5);
    input.pipeInput('y', json({ n: 2 }), 6);
    expect(() => input.pipeInput('z', json({ n: 101, fail: true }), 7)).toThrow(
      `Exception caught in process: Task 0_0, processor '${MAP}', topic 'in' partition 0 offset 2: refusing 101`,
    );
    expect(out.readKeyValuesToList()).toEqual([{ key: 'y', value: 4 }]);
    expect(
      dlq.readRecordsToList().map((r) => [r.key, r.value, r.headers.lastHeader(H.offset)?.value?.toString()]),
    ).toEqual([['x', json({ n: 1, fail: true }), '0']]);
  });

  it("logAndFail still writes the dead-letter record before failing (Kafka Streams' behaviour)", () => {
    const { driver, input } = driverOf({ deadLetterQueueTopic: 'dlq' });
    const dlq = driver.createOutputTopic('dlq', S, B);
    expect(() => input.pipeInput('bad', Buffer.from('}'), 3)).toThrow(SerializationError);
    expect(dlq.readKeyValuesToList()).toEqual([{ key: 'bad', value: Buffer.from('}') }]);
  });

  it('fails when the handler throws or answers something else, naming the handler', () => {
    const throwing = driverOf({
      processingExceptionHandler: () => {
        throw new Error('handler bug');
      },
    });
    expect(() => throwing.input.pipeInput('a', json({ n: 1, fail: true }), 1)).toThrow(
      `The processing exception handler threw while handling an error of Task 0_0, processor '${MAP}', topic 'in' ` +
        "partition 0 offset 0: handler bug; a handler must return 'continue' or 'fail'",
    );
    const odd = driverOf({ deserializationExceptionHandler: () => 'skip' as never });
    expect(() => odd.input.pipeInput('a', Buffer.from('x'), 1)).toThrow(
      `The deserialization exception handler returned "skip" for an error of Task 0_0, processor '${SOURCE}', topic ` +
        "'in' partition 0 offset 0; return 'continue', 'fail' or { result: 'continue' | 'fail', deadLetterQueueRecords }",
    );
  });

  it('fails rather than lose the record when the dead-letter record cannot be written', () => {
    const { driver, input, out } = driverOf({
      processingExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'dlq',
      maxRecordBytes: 100,
    });
    const dlq = driver.createOutputTopic('dlq', S, B);
    // its dead-letter record (headers with the stack trace) is above 100 bytes
    let error: unknown;
    try {
      input.pipeInput('b', json({ n: 2, fail: true }), 2);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Task 0_0 could not write a record to the dead-letter queue topic 'dlq' after a processing error at processor '${MAP}', ` +
          "topic 'in' partition 0 offset 0: The producer refused a record of \\d+ bytes for topic 'dlq'",
      ),
    );
    expect((error as Error).cause).toBeInstanceOf(RecordTooLargeError);
    expect([out.getQueueSize(), dlq.getQueueSize()]).toEqual([0, 0]);
  });
});

describe('the production exception handler in the TopologyTestDriver', () => {
  /** in → out, with a value serde that refuses 'poison'. */
  function picky() {
    const refusing: Serde<string> = {
      name: 'Picky',
      serialize: (topic, value) => {
        if (value === 'poison') throw new Error('will not write poison');
        return S.serialize(topic, value);
      },
      deserialize: (topic, bytes) => S.deserialize(topic, bytes),
    };
    const builder = new StreamsBuilder();
    builder.stream('in', Consumed.with(S, S)).to('out', Produced.with(S, refusing));
    return builder.build();
  }

  it("fails by default on a value the sink's serde cannot write, naming sink, topic and input record", () => {
    const driver = new TopologyTestDriver(picky());
    const input = driver.createInputTopic('in', S, S);
    expect(() => input.pipeInput('k', 'poison', 1)).toThrow(
      "Sink 'KSTREAM-SINK-0000000001' could not serialize the value of a record for topic 'out' with value serde " +
        "'Picky': will not write poison; give the sink a value serde that matches the value type (Produced.with) " +
        "(Task 0_0, input record at topic 'in' partition 0 offset 0)",
    );
  });

  it("with 'continue' skips the record, counts it, and tells a function the origin and the objects", () => {
    const calls: unknown[] = [];
    const logged: string[] = [];
    const driver = new TopologyTestDriver(picky(), {
      productionExceptionHandler: (context, record, error, origin) => {
        calls.push([
          context.processorNodeId,
          context.offset,
          record.topic,
          record.key,
          record.value,
          origin,
          (error as Error).message,
        ]);
        return 'continue';
      },
      log: (m) => logged.push(m),
    });
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    input.pipeInput('a', 'fine', 1);
    input.pipeInput('b', 'poison', 2);
    input.pipeInput('c', 'also fine', 3);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'a', value: 'fine' },
      { key: 'c', value: 'also fine' },
    ]);
    expect(calls).toEqual([
      ['KSTREAM-SINK-0000000001', 1, 'out', 'b', 'poison', 'value', 'will not write poison'],
    ]);
    expect(driver.taskMetrics().get('0_0')).toMatchObject({
      droppedRecordsTotal: 1,
      productionErrorsTotal: 1,
    });
    expect(logged).toEqual([
      "Task 0_0: skipped a record at processor 'KSTREAM-SINK-0000000001', topic 'in' partition 0 offset 1: the " +
        'production exception handler chose to continue after Error: will not write poison',
    ]);
  });

  it('hands a record too large to the handler with its bytes, and writes the original input to the DLQ', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', Consumed.with(S, S))
      .mapValues((v) => v.repeat(1000))
      .to('out', Produced.with(S, S));
    const calls: unknown[] = [];
    const settings: TopologyTestDriverConfig = {
      productionExceptionHandler: (context, record, error, origin) => {
        calls.push([
          record.key,
          (record.value as Buffer).length,
          origin,
          error instanceof RecordTooLargeError,
        ]);
        return { result: 'continue', deadLetterQueueRecords: [deadLetterQueueRecord('dlq', context, error)] };
      },
      maxRecordBytes: 5000,
      deadLetterQueueTopic: 'dlq',
      log: () => {},
    };
    const driver = new TopologyTestDriver(builder.build(), settings);
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    const dlq = driver.createOutputTopic('dlq', S, S);
    input.pipeInput('small', 'ab', 1);
    input.pipeInput('big', 'x'.repeat(6), 2);
    expect(out.readKeyValuesToList()).toEqual([{ key: 'small', value: 'ab'.repeat(1000) }]);
    expect(calls).toEqual([[Buffer.from('big'), 6000, undefined, true]]);
    const dead = dlq.readRecordsToList();
    expect(dead.map((r) => [r.key, r.value, r.headers.lastHeader(H.exception)?.value?.toString()])).toEqual([
      ['big', 'x'.repeat(6), 'RecordTooLargeError'],
    ]);
  });

  it("with 'fail' (the default) refuses a record too large, naming it", () => {
    const builder = new StreamsBuilder();
    builder.stream('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
    const driver = new TopologyTestDriver(builder.build(), { maxRecordBytes: 10 });
    const input = driver.createInputTopic('in', S, S);
    expect(() => input.pipeInput('k', 'a value of 21 bytes..', 1)).toThrow(
      "The producer refused a record of 22 bytes for topic 'out': larger than message.max.bytes (10)",
    );
  });
});

describe('the processing exception handler and punctuators', () => {
  it('hands a punctuator error over without a record, and the punctuator keeps running', () => {
    const builder = new StreamsBuilder();
    let fired = 0;
    builder
      .stream('in', Consumed.with(S, S))
      .process(() => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c: ProcessorContext<string, string>) {
            ctx = c;
            ctx.schedule(10, 'stream-time', (t) => {
              fired++;
              if (t === 10) throw new RangeError(`tick ${t}`);
              ctx.forward(new Record('tick', String(t), t));
            });
          },
          process(r: Record<string, string>) {
            ctx.forward(r);
          },
        };
      })
      .to('out', Produced.with(S, S));
    const seen: unknown[] = [];
    const driver = new TopologyTestDriver(builder.build(), {
      processingExceptionHandler: (context, record, error) => {
        seen.push([
          context.processorNodeId,
          context.topic,
          context.partition,
          context.offset,
          context.timestamp,
          record,
          (error as Error).message,
        ]);
        return 'continue';
      },
      log: () => {},
    });
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    input.pipeInput('a', '1', 0);
    input.pipeInput('b', '2', 10);
    input.pipeInput('c', '3', 20);
    expect(seen).toEqual([['KSTREAM-PROCESSOR-0000000001', undefined, -1, -1, 10, undefined, 'tick 10']]);
    expect(fired).toBe(3);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'a', value: '1' },
      { key: 'tick', value: '0' },
      { key: 'b', value: '2' },
      { key: 'c', value: '3' },
      { key: 'tick', value: '20' },
    ]);
    expect(driver.taskMetrics().get('0_0')).toMatchObject({
      droppedRecordsTotal: 0,
      processingErrorsTotal: 1,
    });
  });
});

describe('settings', () => {
  it('rejects an unknown built-in handler name', () => {
    expect(
      () =>
        new TopologyTestDriver(doubling(), {
          processingExceptionHandler: 'ignore' as ExceptionHandlerSettings['processing'],
        }),
    ).toThrow("processing.exception.handler is \"ignore\"; use 'logAndFail', 'logAndContinue' or a function");
  });
});
