import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsumerRecord } from '@tributary/core';
import { KafkaAdmin } from '@tributary/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildApp } from '../../../test/childApp.js';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const APP = fileURLToPath(new URL('./fixtures/passThroughApp.mjs', import.meta.url));
const RECORDS = 20_000;
const running: ChildApp[] = [];

afterEach(() => {
  for (const app of running.splice(0)) app.kill('SIGKILL');
});

interface Scenario {
  servers: string;
  input: string;
  output: string;
  args: (guarantee: string, commitIntervalMs?: number) => string[];
}

async function scenario(): Promise<Scenario> {
  const servers = bootstrap();
  const input = uniqueTopic('crash-in');
  const output = uniqueTopic('crash-out');
  await createTopic(servers, input, 4);
  await createTopic(servers, output, 4);
  await produceStrings(
    servers,
    input,
    Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i % 64}`, value: `v${i}` })),
  );
  const applicationId = `crash-${randomUUID().slice(0, 8)}`;
  const stateDir = join(tmpdir(), applicationId);
  return {
    servers,
    input,
    output,
    args: (g, interval = 100) => [servers, applicationId, input, output, g, stateDir, String(interval)],
  };
}

function start(args: string[]): ChildApp {
  const app = ChildApp.start(APP, args);
  running.push(app);
  return app;
}

function valuesByPartition(records: readonly ConsumerRecord[]): string[][] {
  const out: string[][] = [[], [], [], []];
  for (const r of records) out[r.partition]!.push(r.value!.toString());
  return out;
}

async function expectNoOpenTransactions(servers: string, topic: string): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    const stable = await admin.endOffsets(topic, 'read_committed');
    const high = await admin.endOffsets(topic, 'read_uncommitted');
    expect(stable).toEqual(high);
  } finally {
    admin.close();
  }
}

/** Waits until `topic` holds `expected` committed records. */
async function waitForCommitted(servers: string, topic: string, expected: number): Promise<void> {
  let count = 0;
  await eventually(
    async () => {
      count = (await readTopic(servers, topic, { isolation: 'read_committed' })).length;
      return count >= expected;
    },
    120_000,
    () => `${count} of ${expected} committed outputs`,
  );
}

describe('crash recovery on a real broker', () => {
  it('exactly_once_v2: a SIGKILLed instance is replaced and every input appears exactly once, in order', async () => {
    const s = await scenario();
    // The first instance never reaches its commit interval: its transaction is open, with records sent, when
    // it is killed (it processes ~4,000 records, then has 500 ms to hand them to the broker).
    const first = start(s.args('exactly_once_v2', 60_000));
    await first.waitFor((a) => a.processed >= 4_000, 90_000, 'the first instance to process 4,000 records');
    await new Promise((r) => setTimeout(r, 500));
    first.kill('SIGKILL');
    await first.exit();

    const second = start(s.args('exactly_once_v2'));
    await waitForCommitted(s.servers, s.output, RECORDS);
    second.kill('SIGTERM');
    expect(await second.exit()).toBe(0);

    const input = valuesByPartition(await readTopic(s.servers, s.input));
    const committed = valuesByPartition(
      await readTopic(s.servers, s.output, { isolation: 'read_committed' }),
    );
    expect(committed).toEqual(input);
    expect(committed.flat()).toHaveLength(RECORDS);
    // The killed instance really wrote records that were then aborted.
    const everything = await readTopic(s.servers, s.output, { isolation: 'read_uncommitted' });
    const aborted = everything.length - RECORDS;
    console.log(`EOS crash: ${aborted} aborted records were written and hidden`);
    expect(aborted).toBeGreaterThan(0);
    await expectNoOpenTransactions(s.servers, s.output);
  });

  it('at_least_once: a SIGKILLed instance is replaced and nothing is lost (duplicates counted)', async () => {
    const s = await scenario();
    // No commit before the kill: everything the first instance wrote is processed again.
    const first = start(s.args('at_least_once', 60_000));
    await first.waitFor((a) => a.processed >= 4_000, 90_000, 'the first instance to process 4,000 records');
    await new Promise((r) => setTimeout(r, 500));
    first.kill('SIGKILL');
    await first.exit();

    const second = start(s.args('at_least_once'));
    const expected = new Set(Array.from({ length: RECORDS }, (_, i) => `v${i}`));
    let seen = new Set<string>();
    await eventually(
      async () => {
        seen = new Set(
          (await readTopic(s.servers, s.output, { isolation: 'read_uncommitted' })).map((r) =>
            r.value!.toString(),
          ),
        );
        return seen.size >= RECORDS;
      },
      120_000,
      () => `${seen.size} of ${RECORDS} distinct outputs`,
    );
    second.kill('SIGTERM');
    expect(await second.exit()).toBe(0);

    const output = await readTopic(s.servers, s.output, { isolation: 'read_uncommitted' });
    expect(new Set(output.map((r) => r.value!.toString()))).toEqual(expected);
    const duplicates = output.length - RECORDS;
    expect(duplicates).toBeGreaterThan(0);
    console.log(`ALOS crash: ${duplicates} duplicates of ${RECORDS} records`);
  });

  it('exactly_once_v2: a zombie frozen past max.poll.interval.ms is fenced after it resumes', async () => {
    const s = await scenario();
    const zombie = start(s.args('exactly_once_v2'));
    await zombie.waitFor((a) => a.processed >= 3_000, 90_000, 'the zombie-to-be to process 3,000 records');
    zombie.kill('SIGSTOP');

    // A second instance on another state dir (another transactional id): only the group generation fences.
    const args = s.args('exactly_once_v2');
    args[5] = `${args[5]}-replacement`;
    const replacement = start(args);
    await waitForCommitted(s.servers, s.output, RECORDS);
    zombie.kill('SIGCONT');
    // The zombie's transaction is fenced; it closes its tasks dirty and rejoins the group (never ERROR).
    await zombie.waitFor(
      (a) => a.states.filter((st) => st === 'RUNNING').length >= 2,
      60_000,
      'the zombie to rejoin',
    );
    expect(zombie.states).not.toContain('ERROR');
    await new Promise((r) => setTimeout(r, 2_000));

    const input = valuesByPartition(await readTopic(s.servers, s.input));
    const committed = valuesByPartition(
      await readTopic(s.servers, s.output, { isolation: 'read_committed' }),
    );
    expect(committed).toEqual(input);
    replacement.kill('SIGTERM');
    zombie.kill('SIGTERM');
    expect(await replacement.exit()).toBe(0);
    expect(await zombie.exit()).toBe(0);
    await expectNoOpenTransactions(s.servers, s.output);
  });
});
