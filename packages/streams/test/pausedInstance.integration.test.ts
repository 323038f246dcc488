import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsumerRecord } from '@tributary/core';
import { KafkaAdmin } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildApp } from '../../../test/childApp.js';
import {
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const APP = fileURLToPath(new URL('./fixtures/passThroughApp.mjs', import.meta.url));
const PARTITIONS = 4;
/** session.timeout.ms and max.poll.interval.ms of both instances (the broker allows sessions from 1 s). */
const GROUP_TIMEOUT_MS = 3_000;
const TRIALS = Number(process.env.TRIALS ?? 10);

let cluster: KafkaCluster;
const running: ChildApp[] = [];

beforeAll(async () => {
  // A broker of this file's own, whose group.min.session.timeout.ms lets each trial be short.
  cluster = await KafkaCluster.start({ nodes: 1, brokerConfig: { 'group.min.session.timeout.ms': '1000' } });
});

afterAll(async () => {
  // DUMP_DIR=<dir> keeps each instance's output (with TRIBUTARY_DEBUG=1, the loop's trace) for a failed run.
  const dump = process.env.DUMP_DIR;
  if (dump) for (const [i, app] of running.entries()) writeFileSync(join(dump, `app-${i}.log`), app.output);
  for (const app of running.splice(0)) app.kill('SIGKILL');
  await cluster?.stop();
});

function valuesByPartition(records: readonly ConsumerRecord[]): string[][] {
  const out: string[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const r of records) out[r.partition]!.push(r.value!.toString());
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an instance paused past max.poll.interval.ms', () => {
  it(`rejoins and processes again in each of ${TRIALS} trials, with exactly-once output`, async () => {
    const servers = cluster.bootstrapServers;
    const input = uniqueTopic('paused-in');
    const output = uniqueTopic('paused-out');
    await createTopic(servers, input, PARTITIONS);
    await createTopic(servers, output, PARTITIONS);
    const applicationId = `paused-${randomUUID().slice(0, 8)}`;
    const args = (name: string) => [
      servers,
      applicationId,
      input,
      output,
      'exactly_once_v2',
      join(tmpdir(), `${applicationId}-${name}`),
      '100',
      String(GROUP_TIMEOUT_MS),
    ];
    const sleeper = ChildApp.start(APP, args('sleeper'));
    const partner = ChildApp.start(APP, args('partner'));
    running.push(sleeper, partner);
    await sleeper.waitFor((a) => a.states.includes('RUNNING'), 60_000, 'the sleeper to run');
    await partner.waitFor((a) => a.states.includes('RUNNING'), 60_000, 'the partner to run');

    let produced = 0;
    let batch = 0;
    const produce = async (count: number) => {
      const tag = `b${++batch}`;
      // Partitioned by key, as the application writes its output: each output partition mirrors an input one.
      const records = Array.from({ length: count }, (_, i) => ({ key: `k${i % 64}`, value: `${tag}-${i}` }));
      await produceStrings(servers, input, records);
      produced += records.length;
    };
    for (let trial = 1; trial <= TRIALS; trial++) {
      await produce(400);
      const runs = sleeper.states.filter((s) => s === 'RUNNING').length;
      sleeper.kill('SIGSTOP');
      await sleep(GROUP_TIMEOUT_MS + 1_500);
      sleeper.kill('SIGCONT');
      await sleeper.waitFor(
        (a) => a.states.filter((s) => s === 'RUNNING').length > runs,
        60_000,
        `trial ${trial}: the sleeper to rejoin`,
      );
      expect(sleeper.states).not.toContain('ERROR');
      // It processes again: records keep coming to every partition until it has handled some (the group may move
      // partitions a few more times while it settles, so one batch could be taken by the partner).
      const processed = sleeper.processed;
      const deadline = Date.now() + 60_000;
      while (sleeper.processed <= processed) {
        if (Date.now() > deadline) throw new Error(`trial ${trial}: the sleeper did not process again`);
        await produce(40);
        await sleep(500);
      }
    }

    let committed = 0;
    await eventually(
      async () => {
        committed = (await readTopic(servers, output, { isolation: 'read_committed' })).length;
        return committed >= produced;
      },
      120_000,
      () => `${committed} of ${produced} committed outputs`,
    );
    sleeper.kill('SIGTERM');
    partner.kill('SIGTERM');
    expect(await sleeper.exit()).toBe(0);
    expect(await partner.exit()).toBe(0);
    expect(sleeper.states).not.toContain('ERROR');
    expect(partner.states).not.toContain('ERROR');

    const inputs = valuesByPartition(await readTopic(servers, input));
    const outputs = valuesByPartition(await readTopic(servers, output, { isolation: 'read_committed' }));
    expect(outputs).toEqual(inputs);
    expect(outputs.flat()).toHaveLength(produced);
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    try {
      expect(await admin.endOffsets(output, 'read_committed')).toEqual(
        await admin.endOffsets(output, 'read_uncommitted'),
      );
    } finally {
      admin.close();
    }
  });
});
