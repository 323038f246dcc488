import { ConfigError, ConsoleLogger, Serdes } from '@tributary/core';
import { StreamsConfig } from '@tributary/streams';
import { describe, expect, it } from 'vitest';

const base = { 'application.id': 'orders-app', 'bootstrap.servers': '127.0.0.1:9092' };

describe('StreamsConfig', () => {
  it('applies Kafka Streams defaults, with 100 ms commits under exactly_once_v2', () => {
    const alos = new StreamsConfig(base);
    expect(alos.processingGuarantee).toBe('at_least_once');
    expect(alos.commitIntervalMs).toBe(30_000);
    expect(alos.numStreamThreads).toBe(1);
    expect(alos.replicationFactor).toBe(-1);
    expect(alos.cacheMaxBytes).toBe(10 * 1024 * 1024);
    expect(alos.maxUncommittedBytes).toBe(64 * 1024 * 1024);
    const sized = new StreamsConfig({
      ...base,
      'statestore.cache.max.bytes': 0,
      'statestore.uncommitted.max.bytes': '1048576',
    });
    expect([sized.cacheMaxBytes, sized.maxUncommittedBytes]).toEqual([0, 1_048_576]);
    const eos = new StreamsConfig({ ...base, 'processing.guarantee': 'exactly_once_v2' });
    expect(eos.commitIntervalMs).toBe(100);
    expect(eos.mainConsumerConfig()['isolation.level']).toBe('read_committed');
    expect(eos.producerConfig('orders-app-p-1')).toMatchObject({
      'transactional.id': 'orders-app-p-1',
      'transaction.timeout.ms': 10_000,
      partitioner: 'murmur2_random',
    });
  });

  it('passes prefixed librdkafka settings to their client and security settings to every client', () => {
    const config = new StreamsConfig({
      ...base,
      'producer.linger.ms': 20,
      'main.consumer.fetch.min.bytes': '1024',
      'admin.request.timeout.ms': 5000,
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'PLAIN',
    });
    expect(config.producerConfig(undefined)).toMatchObject({
      'linger.ms': 20,
      'security.protocol': 'SASL_SSL',
    });
    expect(config.producerConfig(undefined)['transactional.id']).toBeUndefined();
    expect(config.mainConsumerConfig()).toMatchObject({
      'fetch.min.bytes': '1024',
      'group.id': 'orders-app',
      'partition.assignment.strategy': 'range',
      'sasl.mechanisms': 'PLAIN',
    });
    expect(config.adminConfig()).toEqual({
      'bootstrap.servers': '127.0.0.1:9092',
      'request.timeout.ms': 5000,
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'PLAIN',
    });
  });

  it('accepts integer strings and serdes', () => {
    const config = new StreamsConfig({
      ...base,
      'num.stream.threads': '2',
      'default.key.serde': Serdes.String(),
    });
    expect(config.numStreamThreads).toBe(2);
    expect(config.builderOptions().defaultKeySerde).toBe(Serdes.String());
  });

  it('names the key and what is accepted when a value is wrong or a key is unknown', () => {
    const error = (input: Record<string, unknown>) => {
      try {
        new StreamsConfig(input);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(error({ 'bootstrap.servers': 'x:1' })).toBe(
      "config 'application.id' is required: the consumer group id and prefix of internal topics (required)",
    );
    expect(error({ ...base, 'processing.guarantee': 'exactly_once' })).toBe(
      "config 'processing.guarantee' is \"exactly_once\"; expected one of 'at_least_once', 'exactly_once_v2'",
    );
    expect(error({ ...base, 'num.stream.threads': 0 })).toBe(
      "config 'num.stream.threads' is 0; expected an integer >= 1",
    );
    expect(error({ ...base, 'commit.interval.ms': '1s' })).toBe(
      'config \'commit.interval.ms\' is "1s"; expected an integer >= 0',
    );
    expect(error({ ...base, 'default.value.serde': 'String' })).toBe(
      'config \'default.value.serde\' is "String"; expected a Serde, e.g. Serdes.String()',
    );
    expect(error({ ...base, 'application.id': 'my app' })).toBe(
      'config \'application.id\' is "my app"; expected letters, digits, ".", "_" and "-" only (it prefixes topic names)',
    );
    expect(error({ ...base, 'linger.ms': 5 })).toMatch(
      /^unknown config 'linger\.ms'\. Streams settings are: application\.id, bootstrap\.servers, .*librdkafka settings go under 'main\.consumer\.', 'producer\.' or 'admin\.'/,
    );
  });

  it('takes the exception handlers by name or as functions, and the dead-letter queue topic', () => {
    expect(new StreamsConfig(base).exceptionHandlers).toEqual({
      log: expect.any(Function),
      deserialization: undefined,
      processing: undefined,
      production: undefined,
      deadLetterQueueTopic: undefined,
    });
    const skip = () => 'continue' as const;
    const config = new StreamsConfig({
      ...base,
      'deserialization.exception.handler': 'logAndContinue',
      'processing.exception.handler': skip,
      'production.exception.handler': 'continue',
      'errors.dead.letter.queue.topic.name': 'orders-dlq',
    });
    expect(config.exceptionHandlers).toEqual({
      log: expect.any(Function),
      deserialization: 'logAndContinue',
      processing: skip,
      production: 'continue',
      deadLetterQueueTopic: 'orders-dlq',
    });
    expect(config.functionHandlerKeys()).toEqual(['processing.exception.handler']);
    expect(config.cloneableInput['processing.exception.handler']).toBeUndefined();
    expect(() => new StreamsConfig({ ...base, 'production.exception.handler': 'logAndContinue' })).toThrow(
      "config 'production.exception.handler' is \"logAndContinue\"; expected 'fail' or 'continue', or a handler function",
    );
  });

  it('takes a logger (anything with error/warn/info/debug) or a level for the default one', () => {
    const base = { 'application.id': 'app', 'bootstrap.servers': 'b:9092' };
    expect(new StreamsConfig(base).logger).toBeInstanceOf(ConsoleLogger);
    expect(
      (new StreamsConfig({ ...base, 'log.level': 'warn' }).logger as ConsoleLogger).enabled('info'),
    ).toBe(false);
    expect(
      (new StreamsConfig({ ...base, 'log.level': 'debug' }).logger as ConsoleLogger).enabled('debug'),
    ).toBe(true);
    expect(() => new StreamsConfig({ ...base, 'log.level': 'verbose' })).toThrow(
      "config 'log.level' is \"verbose\"; expected one of 'error', 'warn', 'info', 'debug', 'silent'",
    );
    expect(() => new StreamsConfig({ ...base, logger: { info: () => {} } })).toThrow(
      'config \'logger\' is "[object]"; expected an object with error, warn, info and debug methods (a Logger, e.g. a pino logger)',
    );
    const warnings: string[] = [];
    const logger = { error() {}, warn: (_f: object, m: string) => warnings.push(m), info() {}, debug() {} };
    const config = new StreamsConfig({ ...base, logger });
    expect(config.logger).toBe(logger);
    config.exceptionHandlers.log?.('skipped');
    expect(warnings).toEqual(['skipped']);
  });

  it('takes application.server as host:port, and where the query server binds', () => {
    const base = { 'application.id': 'app', 'bootstrap.servers': 'b:9092' };
    expect(new StreamsConfig(base).applicationServer).toBeUndefined();
    const config = new StreamsConfig({ ...base, 'application.server': 'app-1.internal:7070' });
    expect(config.applicationServer).toEqual({ host: 'app-1.internal', port: 7070 });
    expect(config.queryBindHost).toBe('127.0.0.1');
    expect(new StreamsConfig({ ...base, 'interactive.queries.bind.host': '0.0.0.0' }).queryBindHost).toBe(
      '0.0.0.0',
    );
    expect(() => new StreamsConfig({ ...base, 'application.server': 'app-1' })).toThrow(
      "config 'application.server' is \"app-1\"; expected 'host:port', e.g. 'localhost:7070'",
    );
  });

  it("group.protocol 'consumer' asks the broker's range assignor (KIP-848) and drops the classic-only settings", () => {
    const base = { 'application.id': 'app', 'bootstrap.servers': 'b:9092' };
    const classic = new StreamsConfig(base).mainConsumerConfig();
    expect(classic['partition.assignment.strategy']).toBe('range');
    expect(classic['session.timeout.ms']).toBe(45_000);
    expect(classic['group.protocol']).toBeUndefined();
    const consumer = new StreamsConfig({ ...base, 'group.protocol': 'consumer' }).mainConsumerConfig();
    expect(consumer['group.protocol']).toBe('consumer');
    expect(consumer['group.remote.assignor']).toBe('range');
    expect(consumer['partition.assignment.strategy']).toBeUndefined();
    expect(consumer['session.timeout.ms']).toBeUndefined();
  });
});
