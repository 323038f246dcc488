import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSchemaRegistryClient, SchemaRegistryError } from '../src/index.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A registry stand-in answering from `answer`, recording each request. */
async function fakeRegistry(
  answer: (req: Seen, n: number) => { status: number; body: unknown },
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const request: Seen = {
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      seen.push(request);
      const { status, body: out } = answer(request, seen.length);
      res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/apis/ccompat/v7/`, seen };
}

describe('HttpSchemaRegistryClient', () => {
  it('speaks the Confluent REST API under the URL’s path, with basic auth, and caches what cannot change', async () => {
    const { url, seen } = await fakeRegistry((req) =>
      req.url.endsWith('/versions')
        ? { status: 200, body: { id: 7 } }
        : { status: 200, body: { schema: '"string"' } },
    );
    const client = new HttpSchemaRegistryClient({ url, basicAuth: { username: 'u', password: 'p w' } });
    expect(await client.register('t-value', '"string"')).toBe(7);
    expect(await client.register('t-value', '"string"')).toBe(7);
    expect(client.cachedSchema(7)).toBe('"string"');
    expect(await client.getSchemaById(7)).toBe('"string"');
    expect(await client.getSchemaById(8)).toBe('"string"');
    expect(await client.getSchemaById(8)).toBe('"string"');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /apis/ccompat/v7/subjects/t-value/versions',
      'GET /apis/ccompat/v7/schemas/ids/8',
    ]);
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from('u:p w').toString('base64')}`);
    expect(seen[0]!.contentType).toBe('application/vnd.schemaregistry.v1+json');
    expect(JSON.parse(seen[0]!.body)).toEqual({ schema: '"string"' });
  });

  it('shares one round trip between concurrent identical requests', async () => {
    const { url, seen } = await fakeRegistry(() => ({ status: 200, body: { schema: '"long"' } }));
    const client = new HttpSchemaRegistryClient({ url });
    const answers = await Promise.all([
      client.getSchemaById(3),
      client.getSchemaById(3),
      client.getSchemaById(3),
    ]);
    expect(answers).toEqual(['"long"', '"long"', '"long"']);
    expect(seen).toHaveLength(1);
  });

  it('retries a 5xx, and reports the registry’s error code and message', async () => {
    const { url, seen } = await fakeRegistry((req, n) => {
      if (req.url.includes('/ids/'))
        return n === 1 ? { status: 503, body: {} } : { status: 200, body: { schema: '"int"' } };
      return { status: 409, body: { error_code: 409, message: 'Incompatible artifact: x [AVRO]' } };
    });
    const client = new HttpSchemaRegistryClient({ url });
    expect(await client.getSchemaById(1)).toBe('"int"');
    expect(seen).toHaveLength(2);
    const error = await client.register('x-value', '"int"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ status: 409, errorCode: 409 });
    expect((error as Error).message).toBe(
      'schema registry POST /apis/ccompat/v7/subjects/x-value/versions answered 409 (error 409): Incompatible artifact: x [AVRO]',
    );
    // A 4xx is an answer, not a failure to retry.
    expect(seen).toHaveLength(3);
  });

  it('names the registry it could not reach', async () => {
    const client = new HttpSchemaRegistryClient({ url: 'http://127.0.0.1:1', attempts: 2 });
    const error = await client.getLatestSchema('s').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect((error as SchemaRegistryError).status).toBe(0);
    expect((error as Error).message).toMatch(
      /^schema registry GET http:\/\/127.0.0.1:1\/subjects\/s\/versions\/latest failed: .*ECONNREFUSED.*check that the registry runs at http:\/\/127.0.0.1:1/,
    );
  });
});
