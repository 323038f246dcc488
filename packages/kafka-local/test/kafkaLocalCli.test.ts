import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/internal/kafkaLocalCli.js';

const dir = mkdtempSync(join(tmpdir(), 'kafka-local-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    out += `${args.join(' ')}\n`;
  });
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    err += `${args.join(' ')}\n`;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('kafka-local CLI', () => {
  for (const argv of [['--help'], ['-h'], ['help'], [], ['start', '--help']]) {
    it(`prints the usage for ${JSON.stringify(argv)}`, async () => {
      expect(await main(argv)).toBe(0);
      expect(out).toMatch(/^usage: kafka-local <start\|stop\|restart\|status\|jars\|help>/);
      expect(out).toContain('--schema-registry');
      expect(err).toBe('');
    });
  }

  it('names an unknown option and prints the usage, without a stack trace', async () => {
    expect(await main(['start', '--bogus'])).toBe(2);
    expect(err).toMatch(/^kafka-local: Unknown option '--bogus'/);
    expect(err).toContain('usage: kafka-local');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('names an unknown command', async () => {
    expect(await main(['launch'])).toBe(2);
    expect(err).toMatch(/^kafka-local: unknown command 'launch'/);
  });

  it('rejects a node count other than 1 or 3 before starting anything', async () => {
    expect(await main(['start', '--nodes', '2', '--dir', dir])).toBe(2);
    expect(err).toMatch(/--nodes must be 1 or 3, got '2'/);
  });

  it('says stopped when nothing runs from the folder', async () => {
    expect(await main(['status', '--dir', dir])).toBe(1);
    expect(out).toBe('stopped\n');
    expect(await main(['stop', '--dir', dir])).toBe(0);
    expect(err).toContain(`nothing running from ${dir}`);
  });
});
