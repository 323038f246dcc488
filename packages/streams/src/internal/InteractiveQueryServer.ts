import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { InvalidStateStoreError } from '@tributary/state';
import type { HostInfo, StreamsMetadata } from '../StreamsMetadata.js';

/** Set on a request one instance forwards to another: the receiver answers itself or says retry, never forwards. */
export const FORWARDED_HEADER = 'x-tributary-forwarded';

export type StoreKind = 'keyValue' | 'window' | 'session';

/** A JSON-ready entry of a store. */
export interface QueryEntry {
  readonly key: unknown;
  readonly value: unknown;
  readonly start?: number;
  readonly end?: number;
}

/**
 * What the server asks of the instance. Reads throw InvalidStateStoreError while the instance cannot answer
 * (not RUNNING, store moving): the server turns that into a retryable 503.
 */
export interface QueryBackend {
  /** This instance's advertised host. */
  self(): HostInfo;
  storeKind(store: string): StoreKind | undefined;
  /** The host running the key's task (self for a global store); undefined while nobody has claimed it. */
  ownerOf(store: string, key: unknown): HostInfo | undefined;
  instances(): StreamsMetadata[];
  get(store: string, key: unknown): unknown;
  all(store: string): QueryEntry[];
  range(store: string, from: unknown, to: unknown): QueryEntry[];
  windows(store: string, key: unknown, from: number, to: number): QueryEntry[];
  sessions(store: string, key: unknown): QueryEntry[];
  /** Whether a store is global (every instance holds all of it: answer locally). */
  isGlobal(store: string): boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter = false,
  ) {
    super(message);
  }
}

function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.host === b.host && a.port === b.port;
}

/** JSON with BigInt as a number when exact, else a string. */
function toJson(body: unknown): string {
  return JSON.stringify(body, (_k, v) =>
    typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
  );
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [typeof a === 'string' ? a : toJson(a), typeof b === 'string' ? b : toJson(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function parseKey(raw: string, type: string | null): unknown {
  switch (type ?? 'string') {
    case 'string':
      return raw;
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new HttpError(400, `key '${raw}' is not a number`);
      return n;
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new HttpError(400, `key '${raw}' is not JSON`);
      }
    default:
      throw new HttpError(400, `keyType '${type}' is not one of string, number, json`);
  }
}

function parseTime(raw: string | null, name: string, fallback: number): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new HttpError(400, `${name} must be a time in milliseconds (got '${raw}')`);
  return n;
}

/**
 * Interactive queries over HTTP (JSON out), built into every instance that sets `application.server`:
 *
 * - `GET /stores/{store}/keys/{key}` — the key's value, answered by the instance running the key's task: this
 *   one, or the owner, to which the request is forwarded once (`x-tributary-forwarded` stops loops);
 * - `GET /stores/{store}/windows/{key}?from=&to=` and `/sessions/{key}` — the key's windows or sessions;
 * - `GET /stores/{store}/all` and `/range?from=&to=` — every instance's entries, merged in key order
 *   (`?local=true`: this instance's only);
 * - `GET /instances` — every instance's host and tasks.
 *
 * Keys in the path are strings; `?keyType=number|json` converts them. While the key's task has no known owner,
 * the instance is rebalancing or restoring, or a forwarded request reaches an instance that no longer owns the
 * key, the answer is `503` with `Retry-After` — retryable, never a wrong value.
 */
export class InteractiveQueryServer {
  private server: Server | undefined;

  constructor(
    private readonly backend: QueryBackend,
    private readonly bindHost: string,
    private readonly forwardTimeoutMs = 5_000,
  ) {}

  /** Listens on the advertised port (0: any free port); resolves with the port bound. */
  listen(port: number): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.bindHost, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    this.server = undefined;
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET') throw new HttpError(405, 'only GET is served');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const parts = url.pathname
        .split('/')
        .filter((p) => p !== '')
        .map(decodeURIComponent);
      const forwarded = req.headers[FORWARDED_HEADER] !== undefined;
      const result = await this.route(parts, url.searchParams, forwarded, req.url ?? '/');
      if (result instanceof ForwardedAnswer) {
        res.writeHead(result.status, result.headers);
        res.end(result.body);
      } else {
        this.send(res, 200, result);
      }
    } catch (error) {
      if (error instanceof InvalidStateStoreError) {
        this.send(res, 503, { error: error.message }, true);
        return;
      }
      if (error instanceof HttpError) {
        this.send(res, error.status, { error: error.message }, error.retryAfter);
        return;
      }
      this.send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The JSON answer, or the owner's answer to pass through. */
  private async route(
    parts: string[],
    query: URLSearchParams,
    forwarded: boolean,
    path: string,
  ): Promise<unknown | ForwardedAnswer> {
    const b = this.backend;
    if (parts.length === 1 && parts[0] === 'instances') return { instances: b.instances() };
    if (parts[0] !== 'stores' || parts.length < 3) {
      throw new HttpError(
        404,
        'no such route: try /stores/{store}/keys/{key}, /all, /range, /windows/{key}, /sessions/{key} or /instances',
      );
    }
    const store = parts[1]!;
    const kind = b.storeKind(store);
    if (kind === undefined) throw new HttpError(404, `the topology has no store '${store}'`);
    const [, , what, rawKey] = parts;
    const keyType = query.get('keyType');
    const local = query.get('local') === 'true' || b.isGlobal(store);
    const wants = (expected: StoreKind) => {
      if (kind !== expected)
        throw new HttpError(400, `store '${store}' is a ${kind} store; /${what} needs a ${expected} store`);
    };
    switch (what) {
      case 'keys':
      case 'windows':
      case 'sessions': {
        if (rawKey === undefined || parts.length !== 4)
          throw new HttpError(404, `/${what} needs a key: /stores/${store}/${what}/{key}`);
        wants(what === 'keys' ? 'keyValue' : what === 'windows' ? 'window' : 'session');
        const key = parseKey(rawKey, keyType);
        if (!b.isGlobal(store)) {
          const owner = b.ownerOf(store, key);
          if (owner === undefined)
            throw new HttpError(503, `no instance runs the task of this key of '${store}' yet`, true);
          if (!sameHost(owner, b.self())) {
            if (forwarded)
              throw new HttpError(
                503,
                `this instance no longer runs the task of this key of '${store}'`,
                true,
              );
            return this.forward(owner, path);
          }
        }
        if (what === 'keys') {
          const value = b.get(store, key);
          if (value === null || value === undefined)
            throw new HttpError(404, `no value for this key in '${store}'`);
          return { key, value };
        }
        if (what === 'windows') {
          const from = parseTime(query.get('from'), 'from', 0);
          const to = parseTime(query.get('to'), 'to', Number.MAX_SAFE_INTEGER);
          return { key, windows: b.windows(store, key, from, to) };
        }
        return { key, sessions: b.sessions(store, key) };
      }
      case 'all':
      case 'range': {
        wants('keyValue');
        const from = query.get('from');
        const to = query.get('to');
        const read = (): QueryEntry[] =>
          what === 'all'
            ? b.all(store)
            : b.range(
                store,
                from === null ? undefined : parseKey(from, keyType),
                to === null ? undefined : parseKey(to, keyType),
              );
        if (local) return { entries: read() };
        const entries: QueryEntry[] = read();
        const localQuery = new URLSearchParams(query);
        localQuery.set('local', 'true');
        for (const other of b.instances()) {
          if (sameHost(other.hostInfo, b.self())) continue;
          const answer = await this.fetchJson(
            other.hostInfo,
            `/stores/${encodeURIComponent(store)}/${what}?${localQuery}`,
          );
          entries.push(...(answer as { entries: QueryEntry[] }).entries);
        }
        return { entries: entries.sort((x, y) => compareKeys(x.key, y.key)) };
      }
      default:
        throw new HttpError(404, `no such route /stores/${store}/${what}`);
    }
  }

  /** Asks the owner and hands its answer back as it is. */
  private async forward(owner: HostInfo, path: string): Promise<ForwardedAnswer> {
    const { status, body, headers } = await this.call(owner, path);
    return new ForwardedAnswer(status, body, headers);
  }

  private async fetchJson(host: HostInfo, path: string): Promise<unknown> {
    const { status, body } = await this.call(host, path);
    if (status !== 200) {
      throw new HttpError(503, `instance ${host.host}:${host.port} answered ${status}: ${body}`, true);
    }
    return JSON.parse(body);
  }

  private call(
    host: HostInfo,
    path: string,
  ): Promise<{ status: number; body: string; headers: Record<string, string> }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: host.host,
          port: host.port,
          path,
          method: 'GET',
          headers: { [FORWARDED_HEADER]: '1' },
          timeout: this.forwardTimeoutMs,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            const retry = res.headers['retry-after'];
            if (typeof retry === 'string') headers['retry-after'] = retry;
            resolve({ status: res.statusCode ?? 502, body, headers });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.forwardTimeoutMs} ms`)));
      req.on('error', (error) =>
        reject(
          new HttpError(503, `instance ${host.host}:${host.port} did not answer: ${error.message}`, true),
        ),
      );
      req.end();
    });
  }

  private send(res: ServerResponse, status: number, body: unknown, retryAfter = false): void {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfter) headers['retry-after'] = '1';
    res.writeHead(status, headers);
    res.end(toJson(body));
  }
}

/** The owner's answer to a forwarded request, passed through unchanged. */
class ForwardedAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string>,
  ) {}
}
