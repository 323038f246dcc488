import { describe, expect, it } from 'vitest';
import { ConsoleLogger } from '../src/index.js';

function capture(options: ConstructorParameters<typeof ConsoleLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = new ConsoleLogger({
    now: () => Date.UTC(2026, 10, 29, 16, 0, 0),
    write: (l) => lines.push(l),
    ...options,
  });
  return { logger, lines };
}

describe('ConsoleLogger', () => {
  it('writes one readable line per event: time, level, message, then the fields', () => {
    const { logger, lines } = capture();
    logger.info(
      { thread: 'app-StreamThread-1', partitions: [0, 1], note: 'two words', none: undefined },
      'assigned',
    );
    logger.warn({ error: new Error('boom') }, 'skipped a record');
    expect(lines).toEqual([
      '2026-11-29T16:00:00.000Z INFO  assigned  thread=app-StreamThread-1 partitions=[0,1] note="two words"\n',
      '2026-11-29T16:00:00.000Z WARN  skipped a record  error="boom"\n',
    ]);
  });

  it('drops lines below its level; silent writes nothing', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.debug({}, 'd');
    logger.info({}, 'i');
    logger.warn({}, 'w');
    logger.error({}, 'e');
    expect(lines.map((l) => l.slice(25).trim())).toEqual(['WARN  w', 'ERROR e']);
    expect(logger.enabled('info')).toBe(false);
    const silent = capture({ level: 'silent' });
    silent.logger.error({}, 'e');
    expect(silent.lines).toEqual([]);
  });

  it('writes JSON lines, and adds fixed fields with withFields', () => {
    const { logger, lines } = capture({ json: true });
    logger.withFields({ application: 'app' }).error({ offset: 42, error: new Error('bad') }, 'failed');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        time: '2026-11-29T16:00:00.000Z',
        level: 'error',
        msg: 'failed',
        application: 'app',
        offset: 42,
        error: 'bad',
      },
    ]);
  });
});
