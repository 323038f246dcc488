import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  InvalidStateStoreError,
  KafkaStreams,
  type KafkaStreamsState,
  Serdes,
  StreamsBuilder,
  TopologyError,
} from '@tributary/streams';
import { describe, expect, it } from 'vitest';

function topology() {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out');
  return builder.build();
}

describe('KafkaStreams without a broker', () => {
  const stateDir = join(tmpdir(), `ks-unit-${process.pid}`);
  const config = { 'application.id': 'unit-app', 'bootstrap.servers': '127.0.0.1:1', 'state.dir': stateDir };

  it('starts CREATED and emits its state to new subscribers', () => {
    const streams = new KafkaStreams(topology(), config);
    const seen: KafkaStreamsState[] = [];
    streams.state$.subscribe((s) => seen.push(s));
    expect(streams.state).toBe('CREATED');
    expect(seen).toEqual(['CREATED']);
  });

  it('answers store queries only while RUNNING, naming the store, the state and what to do', () => {
    const streams = new KafkaStreams(topology(), config);
    const view = streams.keyValueStore<string, number>('counts');
    expect(() => view.get('k')).toThrow(
      "Cannot query store 'counts' while KafkaStreams is CREATED: stores answer queries while RUNNING " +
        '(during a rebalance their tasks may be moving); retry when state$ says RUNNING',
    );
    expect(() => [...streams.windowStore('w').fetchAll(0, 1)]).toThrow(InvalidStateStoreError);
    expect(() => streams.sessionStore('s').fetch('k')).toThrow(InvalidStateStoreError);
  });

  it('cleanUp() deletes only this application’s state directory', () => {
    mkdirSync(join(stateDir, 'unit-app'), { recursive: true });
    writeFileSync(join(stateDir, 'unit-app', 'process-id'), 'x\n');
    mkdirSync(join(stateDir, 'other-app'), { recursive: true });
    new KafkaStreams(topology(), config).cleanUp();
    expect(existsSync(join(stateDir, 'unit-app'))).toBe(false);
    expect(existsSync(join(stateDir, 'other-app'))).toBe(true);
  });

  it('rejects a pattern subscription with a TopologyError that says what to do', () => {
    const builder = new StreamsBuilder();
    builder.stream(/orders-.*/, Consumed.with(Serdes.String(), Serdes.String())).to('out');
    expect(() => new KafkaStreams(builder.build(), config)).toThrow(
      new TopologyError(
        'pattern subscriptions are not supported by KafkaStreams yet; subscribe to topic names',
      ),
    );
  });
});

describe('KafkaStreams logging', () => {
  it('logs its state changes through the configured logger (pino-shaped: fields, then the message)', async () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const at =
      (level: string) =>
      (fields: Record<string, unknown>, message: string): void => {
        lines.push([level, fields, message]);
      };
    const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
    const streams = new KafkaStreams(topology(), {
      'application.id': 'log-app',
      'bootstrap.servers': '127.0.0.1:1',
      logger,
    });
    expect(streams.config.logger).toBe(logger);
    await streams.close();
    expect(lines).toEqual([
      [
        'info',
        { application: 'log-app', from: 'CREATED', to: 'PENDING_SHUTDOWN' },
        'state CREATED -> PENDING_SHUTDOWN',
      ],
      [
        'info',
        { application: 'log-app', from: 'PENDING_SHUTDOWN', to: 'NOT_RUNNING' },
        'state PENDING_SHUTDOWN -> NOT_RUNNING',
      ],
    ]);
  });
});
