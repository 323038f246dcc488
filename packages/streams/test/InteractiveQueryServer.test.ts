import { InvalidStateStoreError } from '@tributary/state';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FORWARDED_HEADER,
  InteractiveQueryServer,
  type QueryBackend,
  type QueryEntry,
} from '../src/internal/InteractiveQueryServer.js';
import type { HostInfo } from '../src/StreamsMetadata.js';

/** A fake instance: the keys it holds, who it believes owns each key, and the forwarded requests it saw. */
class FakeInstance implements QueryBackend {
  host: HostInfo = { host: '127.0.0.1', port: -1 };
  owners = new Map<string, HostInfo | undefined>();
  restoring = false;
  calls: string[] = [];
  peers: FakeInstance[] = [];

  constructor(readonly values: Map<string, unknown>) {}

  self(): HostInfo {
    return this.host;
  }
  storeKind(store: string) {
    return ({ counts: 'keyValue', w: 'window', s: 'session', regions: 'keyValue' } as const)[store];
  }
  isGlobal(store: string): boolean {
    return store === 'regions';
  }
  ownerOf(_store: string, key: unknown): HostInfo | undefined {
    return this.owners.get(String(key));
  }
  instances() {
    return [this, ...this.peers].map((i) => ({
      hostInfo: i.host,
      processId: `p${i.host.port}`,
      stateStoreNames: ['counts'],
      activeTasks: [],
      standbyTasks: [],
    }));
  }
  private check(what: string): void {
    this.calls.push(what);
    if (this.restoring)
      throw new InvalidStateStoreError("Cannot query store 'counts' while KafkaStreams is REBALANCING");
  }
  get(store: string, key: unknown): unknown {
    this.check(`get ${store} ${String(key)}`);
    return store === 'regions' ? `region-of-${String(key)}` : (this.values.get(String(key)) ?? null);
  }
  all(store: string): QueryEntry[] {
    this.check(`all ${store}`);
    return [...this.values].map(([key, value]) => ({ key, value }));
  }
  range(store: string, from: unknown, to: unknown): QueryEntry[] {
    this.check(`range ${store} ${String(from)} ${String(to)}`);
    return this.all(store).filter((e) => String(e.key) >= String(from) && String(e.key) <= String(to));
  }
  windows(_store: string, key: unknown, from: number, to: number): QueryEntry[] {
    this.check(`windows ${String(key)} ${from} ${to}`);
    return [{ key, start: from, end: from + 60_000, value: 2n ** 70n }];
  }
  sessions(_store: string, key: unknown): QueryEntry[] {
    this.check(`sessions ${String(key)}`);
    return [{ key, start: 5, end: 9, value: 7n }];
  }
}

const servers: InteractiveQueryServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(instance: FakeInstance): Promise<void> {
  const server = new InteractiveQueryServer(instance, '127.0.0.1', 2_000);
  servers.push(server);
  instance.host = { host: '127.0.0.1', port: await server.listen(0) };
}

interface Answer {
  readonly error?: string;
  readonly instances?: readonly { hostInfo: HostInfo }[];
}

async function get(instance: FakeInstance, path: string) {
  const res = await fetch(`http://127.0.0.1:${instance.host.port}${path}`);
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Answer,
  };
}

/** A holds a and b, B holds c; both agree on who owns what. */
async function twoInstances(): Promise<[FakeInstance, FakeInstance]> {
  const a = new FakeInstance(
    new Map<string, unknown>([
      ['a', 1],
      ['b', 2],
    ]),
  );
  const b = new FakeInstance(new Map<string, unknown>([['c', 3]]));
  await start(a);
  await start(b);
  a.peers = [b];
  b.peers = [a];
  for (const i of [a, b]) {
    i.owners.set('a', a.host).set('b', a.host).set('c', b.host).set('7', b.host);
  }
  return [a, b];
}

describe('interactive queries over HTTP', () => {
  it('answers a key at its owner, and forwards it once from any other instance', async () => {
    const [a, b] = await twoInstances();
    expect(await get(a, '/stores/counts/keys/a')).toEqual({
      status: 200,
      retryAfter: null,
      body: { key: 'a', value: 1 },
    });
    expect(await get(a, '/stores/counts/keys/c')).toEqual({
      status: 200,
      retryAfter: null,
      body: { key: 'c', value: 3 },
    });
    expect(await get(b, '/stores/counts/keys/b')).toEqual({
      status: 200,
      retryAfter: null,
      body: { key: 'b', value: 2 },
    });
    expect(a.calls).toEqual(['get counts a', 'get counts b']);
    expect(b.calls).toEqual(['get counts c']);
    // A number key (keyType=number), owned by B, which has no value for it: B's 404 comes back through A.
    expect(await get(a, '/stores/counts/keys/7?keyType=number')).toEqual({
      status: 404,
      retryAfter: null,
      body: { error: "no value for this key in 'counts'" },
    });
    expect(b.calls).toEqual(['get counts c', 'get counts 7']);
  });

  it('says retry (503, Retry-After), never a wrong value, while ownership is unknown, moving or restoring', async () => {
    const [a, b] = await twoInstances();
    a.owners.set('c', undefined);
    expect(await get(a, '/stores/counts/keys/c')).toEqual({
      status: 503,
      retryAfter: '1',
      body: { error: "no instance runs the task of this key of 'counts' yet" },
    });
    // A believes B owns c, B believes A does (the task is moving): B answers the forwarded request with a retry,
    // and does not forward it back.
    a.owners.set('c', b.host);
    b.owners.set('c', a.host);
    expect(await get(a, '/stores/counts/keys/c')).toEqual({
      status: 503,
      retryAfter: '1',
      body: { error: "this instance no longer runs the task of this key of 'counts'" },
    });
    expect(b.calls).toEqual([]);
    a.restoring = true;
    expect(await get(a, '/stores/counts/keys/a')).toEqual({
      status: 503,
      retryAfter: '1',
      body: { error: "Cannot query store 'counts' while KafkaStreams is REBALANCING" },
    });
  });

  it('merges every instance’s entries for all and range, in key order; local=true for one instance', async () => {
    const [a, b] = await twoInstances();
    const all = {
      status: 200,
      retryAfter: null,
      body: {
        entries: [
          { key: 'a', value: 1 },
          { key: 'b', value: 2 },
          { key: 'c', value: 3 },
        ],
      },
    };
    expect(await get(b, '/stores/counts/all')).toEqual(all);
    expect(await get(a, '/stores/counts/all')).toEqual(all);
    expect(await get(a, '/stores/counts/all?local=true')).toEqual({
      status: 200,
      retryAfter: null,
      body: {
        entries: [
          { key: 'a', value: 1 },
          { key: 'b', value: 2 },
        ],
      },
    });
    expect(await get(a, '/stores/counts/range?from=b&to=c')).toEqual({
      status: 200,
      retryAfter: null,
      body: {
        entries: [
          { key: 'b', value: 2 },
          { key: 'c', value: 3 },
        ],
      },
    });
    b.restoring = true;
    const partial = await get(a, '/stores/counts/all');
    expect(partial.status).toBe(503);
    expect(partial.retryAfter).toBe('1');
    expect(partial.body.error).toMatch(/^instance 127\.0\.0\.1:\d+ answered 503: /);
  });

  it('serves windows and sessions of a key, global stores locally, the instance list, and clear errors', async () => {
    const [a, b] = await twoInstances();
    expect(await get(b, '/stores/w/windows/a?from=60000&to=120000')).toEqual({
      status: 200,
      retryAfter: null,
      body: {
        key: 'a',
        windows: [{ key: 'a', start: 60_000, end: 120_000, value: '1180591620717411303424' }],
      },
    });
    expect(await get(a, '/stores/s/sessions/c')).toEqual({
      status: 200,
      retryAfter: null,
      body: { key: 'c', sessions: [{ key: 'c', start: 5, end: 9, value: 7 }] },
    });
    expect(await get(b, '/stores/regions/keys/a')).toEqual({
      status: 200,
      retryAfter: null,
      body: { key: 'a', value: 'region-of-a' },
    });
    // Windows of a asked of B went to A; sessions of c asked of A went to B; a global store answers locally.
    expect(a.calls).toEqual(['windows a 60000 120000']);
    expect(b.calls).toEqual(['sessions c', 'get regions a']);
    expect((await get(a, '/instances')).body.instances?.map((i) => i.hostInfo.port)).toEqual([
      a.host.port,
      b.host.port,
    ]);
    expect(await get(a, '/stores/nope/keys/a')).toEqual({
      status: 404,
      retryAfter: null,
      body: { error: "the topology has no store 'nope'" },
    });
    expect(await get(a, '/stores/w/keys/a')).toEqual({
      status: 400,
      retryAfter: null,
      body: { error: "store 'w' is a window store; /keys needs a keyValue store" },
    });
    expect(await get(a, '/stores/counts/keys/x?keyType=number')).toEqual({
      status: 400,
      retryAfter: null,
      body: { error: "key 'x' is not a number" },
    });
    expect(await get(a, '/stores/counts/keys/zz')).toEqual({
      status: 503,
      retryAfter: '1',
      body: { error: "no instance runs the task of this key of 'counts' yet" },
    });
    expect((await get(a, '/nothing')).status).toBe(404);
    const forwarded = await fetch(`http://127.0.0.1:${a.host.port}/stores/counts/keys/c`, {
      headers: { [FORWARDED_HEADER]: '1' },
    });
    expect(forwarded.status).toBe(503);
  });
});
