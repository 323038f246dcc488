import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildApp } from '../../../test/childApp.js';
import { bootstrap, createTopic, produceStrings, uniqueTopic } from '../../../test/kafkaTestSupport.js';

const APP = fileURLToPath(new URL('./fixtures/passThroughApp.mjs', import.meta.url));
const running: ChildApp[] = [];

afterEach(() => {
  for (const app of running.splice(0)) app.kill('SIGKILL');
});

describe('the state directory lock', () => {
  it('a second instance on the same host and state.dir fails fast, naming the directory and the owner', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('lock-in');
    const output = uniqueTopic('lock-out');
    await createTopic(servers, input, 2);
    await createTopic(servers, output, 2);
    await produceStrings(servers, input, [{ key: 'k', value: 'v' }]);
    const applicationId = `lock-${randomUUID().slice(0, 8)}`;
    const stateDir = join(tmpdir(), applicationId);
    const args = [servers, applicationId, input, output, 'exactly_once_v2', stateDir];
    const first = ChildApp.start(APP, args);
    running.push(first);
    await first.waitFor((a) => a.states.includes('RUNNING'), 60_000, 'the first instance to run');

    const second = ChildApp.start(APP, args);
    running.push(second);
    const started = Date.now();
    expect(await second.exit()).not.toBe(0);
    const elapsed = Date.now() - started;
    expect(second.output).toContain(
      `the state directory '${join(stateDir, applicationId)}' is locked by process ${first.child.pid} on `,
    );
    expect(second.output).toContain('give this one its own state.dir, or stop the other');
    expect(second.states).toEqual(['CREATED', 'REBALANCING', 'ERROR']);
    console.log(`second instance failed after ${elapsed} ms`);

    // The first one is unaffected and closes cleanly; then the directory is free again.
    first.kill('SIGTERM');
    expect(await first.exit()).toBe(0);
    const third = ChildApp.start(APP, args);
    running.push(third);
    await third.waitFor(
      (a) => a.states.includes('RUNNING'),
      60_000,
      'a new instance to run once the first closed',
    );
    third.kill('SIGTERM');
    expect(await third.exit()).toBe(0);
  });
});
