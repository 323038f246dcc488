import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const APP = fileURLToPath(new URL('./fixtures/countingApp.mjs', import.meta.url));
const KEYS = 64;
const running: ChildApp[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const app of running.splice(0)) app.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Restore events a child printed: restore-start <partition> <start> <end> and restore-end <partition> <total>. */
function restores(app: ChildApp): { starts: number[][]; restored: number } {
  const starts = [...app.output.matchAll(/^restore-start (\d+) (\d+) (\d+)$/gm)].map((m) =>
    m.slice(1).map(Number),
  );
  const restored = [...app.output.matchAll(/^restore-end \d+ (\d+)$/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
  return { starts, restored };
}

/** The last committed count of every key in the output topic. */
async function committedCounts(servers: string, topic: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await readTopic(servers, topic, { isolation: 'read_committed' })) {
    counts.set(r.key!.toString(), Number(r.value!.readBigInt64BE()));
  }
  return counts;
}

function records(from: number, to: number): { key: string; value: string }[] {
  return Array.from({ length: to - from }, (_, i) => ({
    key: `k${(from + i) % KEYS}`,
    value: `v${from + i}`,
  }));
}

describe('RocksDB stores on a real broker (exactly_once_v2)', () => {
  it('restart after a clean close restores nothing; after SIGKILL only the tail past the checkpoint, and counts stay exact', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('rocks-in');
    const output = uniqueTopic('rocks-out');
    await createTopic(servers, input, 4);
    await createTopic(servers, output, 4);
    const applicationId = `rocks-${randomUUID().slice(0, 8)}`;
    const stateDir = join(tmpdir(), applicationId);
    dirs.push(stateDir);
    const changelog = `${applicationId}-counts-changelog`;
    const start = (commitIntervalMs = 100, dir = stateDir): ChildApp => {
      const app = ChildApp.start(APP, [servers, applicationId, input, output, dir, String(commitIntervalMs)]);
      running.push(app);
      return app;
    };
    const waitForCounts = async (total: number): Promise<Map<string, number>> => {
      let counts = new Map<string, number>();
      await eventually(
        async () => {
          counts = await committedCounts(servers, output);
          return [...counts.values()].reduce((a, b) => a + b, 0) >= total && counts.size === KEYS;
        },
        120_000,
        () => `committed counts summing to ${[...counts.values()].reduce((a, b) => a + b, 0)} of ${total}`,
      );
      return counts;
    };
    const exact = (total: number) => new Map(Array.from({ length: KEYS }, (_, k) => [`k${k}`, total / KEYS]));

    // 1. A first instance counts 6,400 records and stops cleanly: its stores are committed to disk.
    await produceStrings(servers, input, records(0, 6_400));
    const first = start();
    expect(await waitForCounts(6_400)).toEqual(exact(6_400));
    first.kill('SIGTERM');
    expect(await first.exit()).toBe(0);
    expect(restores(first).starts).toEqual([]);
    const gapsToEnd = (app: ChildApp) => restores(app).starts.map(([, from, end]) => end! - from!);

    // 2. Restarted on the same state directory: each checkpoint is the changelog's end but for the marker of the
    // last transaction (one offset), and nothing is replayed.
    await produceStrings(servers, input, records(6_400, 12_800));
    const second = start(60_000);
    // No commit for a minute: the transaction is open (records sent) when the instance is killed.
    await second.waitFor((a) => a.processed >= 3_000, 90_000, 'the second instance to process 3,000 records');
    await new Promise((r) => setTimeout(r, 500));
    second.kill('SIGKILL');
    await second.exit();
    expect(gapsToEnd(second)).toEqual([1, 1, 1, 1]);
    expect(restores(second).restored).toBe(0);

    // 3. After the crash, the local state is that of the last commit (not ahead of it): restore replays only the
    // committed tail past each checkpoint — here nothing, since the killed transaction was aborted — and the
    // counts come out exact.
    const third = start();
    expect(await waitForCounts(12_800)).toEqual(exact(12_800));
    third.kill('SIGTERM');
    expect(await third.exit()).toBe(0);
    const committedChangelog = await readTopic(servers, changelog, { isolation: 'read_committed' });
    const everything = await readTopic(servers, changelog, { isolation: 'read_uncommitted' });
    const aborted = everything.length - committedChangelog.length;
    console.log(
      `RocksDB EOS crash: changelog ${committedChangelog.length} committed + ${aborted} aborted records; ` +
        `restored after the crash: ${restores(third).restored}`,
    );
    expect(aborted).toBeGreaterThan(0);
    for (const [, from, end] of restores(third).starts) {
      expect(from).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(from!);
    }
    expect(restores(third).restored).toBe(0);

    // 4. Another instance with an empty state directory restores the whole committed changelog, then counts on.
    const otherDir = `${stateDir}-other`;
    dirs.push(otherDir);
    await produceStrings(servers, input, records(12_800, 19_200));
    const fourth = start(100, otherDir);
    expect(await waitForCounts(19_200)).toEqual(exact(19_200));
    fourth.kill('SIGTERM');
    expect(await fourth.exit()).toBe(0);
    expect(restores(fourth).restored).toBe(committedChangelog.length);

    // 5. Back on the first directory, behind by what the fourth instance wrote: exactly that tail is replayed.
    const tail =
      (await readTopic(servers, changelog, { isolation: 'read_committed' })).length -
      committedChangelog.length;
    expect(tail).toBeGreaterThan(0);
    const fifth = start();
    await fifth.waitFor((a) => a.output.includes('state RUNNING'), 60_000, 'the fifth instance to run');
    await produceStrings(servers, input, records(19_200, 25_600));
    expect(await waitForCounts(25_600)).toEqual(exact(25_600));
    fifth.kill('SIGTERM');
    expect(await fifth.exit()).toBe(0);
    console.log(`RocksDB tail restore: ${restores(fifth).restored} records replayed (tail ${tail})`);
    expect(restores(fifth).restored).toBe(tail);
  });

  it('wipes and restores a task whose local state is ahead of a re-created changelog, and keeps running', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('rocks-in');
    const output = uniqueTopic('rocks-out');
    await createTopic(servers, input, 2);
    await createTopic(servers, output, 2);
    const applicationId = `rocks-${randomUUID().slice(0, 8)}`;
    const stateDir = join(tmpdir(), applicationId);
    dirs.push(stateDir);
    const changelog = `${applicationId}-counts-changelog`;
    const start = (): ChildApp => {
      const app = ChildApp.start(APP, [servers, applicationId, input, output, stateDir, '100']);
      running.push(app);
      return app;
    };
    const lastCounts = async (): Promise<Map<string, number>> => committedCounts(servers, output);

    await produceStrings(servers, input, records(0, 640));
    const first = start();
    await eventually(
      async () => [...(await lastCounts()).values()].reduce((a, b) => a + b, 0) === 640,
      60_000,
      () => 'the first instance to count 640 records',
    );
    first.kill('SIGTERM');
    expect(await first.exit()).toBe(0);

    // The changelog goes away and comes back empty (start-up re-creates it): the local checkpoints are beyond it.
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    try {
      await admin.deleteTopics([changelog]);
      await eventually(
        async () => !(await admin.listTopics()).includes(changelog),
        60_000,
        () => 'deletion',
      );
    } finally {
      admin.close();
    }
    const second = start();
    await second.waitFor((a) => a.output.includes('state RUNNING'), 60_000, 'the second instance to run');
    await produceStrings(servers, input, records(640, 704));
    // Each key counted once more: from a wiped store, the new count of every key is 1.
    await eventually(
      async () => [...(await lastCounts()).values()].every((n) => n === 1),
      60_000,
      () => 'counts of 1 after the wipe',
    );
    expect(await lastCounts()).toEqual(new Map(Array.from({ length: KEYS }, (_, k) => [`k${k}`, 1])));
    expect(second.output).toMatch(
      /changelog was re-created, so the local state of these tasks must be wiped/,
    );
    expect(second.output).not.toMatch(/state ERROR/);
    second.kill('SIGTERM');
    expect(await second.exit()).toBe(0);
  });
});
