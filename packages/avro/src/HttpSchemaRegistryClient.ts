import type { ConnectionOptions } from 'node:tls';
import { type RequestOptions, requestJson } from './internal/requestJson.js';
import type { CompatibilityLevel, RegisteredSchema, SchemaRegistryClient } from './SchemaRegistryClient.js';
import { SchemaRegistryError } from './SchemaRegistryError.js';

export interface HttpSchemaRegistryClientOptions {
  /**
   * The registry's base URL, path included: `http://host:8081` for Confluent's registry,
   * `http://host:8080/apis/ccompat/v7` for Apicurio's Confluent-compatible API.
   */
  readonly url: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** TLS options for an https URL, passed to node:https (ca, cert, key, passphrase, rejectUnauthorized...). */
  readonly tls?: Pick<
    ConnectionOptions,
    'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'rejectUnauthorized' | 'servername'
  >;
  /** Extra request headers (e.g. a bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts for requests that got no answer or a 5xx (with 100 ms, 200 ms... between); default 3. */
  readonly attempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small client for the Confluent Schema Registry REST API over node:http(s). Ids, schemas and versions are
 * immutable in a registry, so every answer about them is cached for the client's life (the latest version and
 * compatibility rules are not); concurrent identical requests share one round trip.
 */
export class HttpSchemaRegistryClient implements SchemaRegistryClient {
  readonly description: string;
  private readonly base: string;
  private readonly request: RequestOptions;
  private readonly attempts: number;
  private readonly schemasById = new Map<number, string>();
  private readonly registered = new Map<string, RegisteredSchema>();
  private readonly ids = new Map<string, number>();
  private readonly byVersion = new Map<string, RegisteredSchema>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: HttpSchemaRegistryClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.description = `schema registry ${this.base}`;
    const headers: Record<string, string> = { ...options.headers };
    if (options.basicAuth) {
      const { username, password } = options.basicAuth;
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    this.request = { headers, timeoutMs: options.timeoutMs ?? 10_000, tls: { ...options.tls } };
    this.attempts = Math.max(1, options.attempts ?? 3);
  }

  cachedSchema(id: number): string | undefined {
    return this.schemasById.get(id);
  }

  async register(subject: string, schema: string): Promise<number> {
    const key = `${subject}\u0000${schema}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    return this.once(`register\u0000${key}`, async () => {
      const answer = (await this.send('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
        schema,
      })) as { id: number };
      this.ids.set(key, answer.id);
      this.schemasById.set(answer.id, schema);
      return answer.id;
    });
  }

  async lookup(subject: string, schema: string): Promise<RegisteredSchema> {
    const key = `${subject}\u0000${schema}`;
    const known = this.registered.get(key);
    if (known !== undefined) return known;
    return this.once(`lookup\u0000${key}`, async () => {
      const answer = this.registeredSchema(
        await this.send('POST', `/subjects/${encodeURIComponent(subject)}`, { schema }),
      );
      this.registered.set(key, answer);
      this.ids.set(key, answer.id);
      this.schemasById.set(answer.id, schema);
      return answer;
    });
  }

  async getSchemaById(id: number): Promise<string> {
    const known = this.schemasById.get(id);
    if (known !== undefined) return known;
    return this.once(`id\u0000${id}`, async () => {
      const answer = (await this.send('GET', `/schemas/ids/${id}`)) as { schema: string };
      this.schemasById.set(id, answer.schema);
      return answer.schema;
    });
  }

  async getSchemaByVersion(subject: string, version: number): Promise<RegisteredSchema> {
    const key = `${subject}\u0000${version}`;
    const known = this.byVersion.get(key);
    if (known !== undefined) return known;
    return this.once(`version\u0000${key}`, async () => {
      const answer = this.registeredSchema(
        await this.send('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`),
      );
      this.byVersion.set(key, answer);
      return answer;
    });
  }

  async getLatestSchema(subject: string): Promise<RegisteredSchema> {
    const answer = this.registeredSchema(
      await this.send('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`),
    );
    this.byVersion.set(`${subject}\u0000${answer.version}`, answer);
    return answer;
  }

  async testCompatibility(subject: string, schema: string): Promise<boolean> {
    try {
      const answer = (await this.send(
        'POST',
        `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
        { schema },
      )) as { is_compatible: boolean };
      return answer.is_compatible;
    } catch (error) {
      // Nothing registered yet: anything is compatible with nothing.
      if (error instanceof SchemaRegistryError && error.notFound) return true;
      throw error;
    }
  }

  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    const answer = (await this.send('GET', path)) as { compatibilityLevel?: CompatibilityLevel };
    if (answer.compatibilityLevel === undefined) {
      throw new SchemaRegistryError(
        `${this.description} answered GET ${path} without a compatibilityLevel`,
        200,
        undefined,
      );
    }
    return answer.compatibilityLevel;
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    await this.send('PUT', path, { compatibility: level });
  }

  private registeredSchema(answer: unknown): RegisteredSchema {
    const a = answer as { subject: string; version: number; id: number; schema: string };
    const schema: RegisteredSchema = { subject: a.subject, version: a.version, id: a.id, schema: a.schema };
    this.schemasById.set(schema.id, schema.schema);
    return schema;
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending as Promise<T>;
    const started = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const url = new URL(`${this.base}${path}`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await requestJson(method, url, body, this.request);
      } catch (error) {
        const retriable = error instanceof SchemaRegistryError && (error.status === 0 || error.status >= 500);
        if (!retriable || attempt >= this.attempts) throw error;
        await sleep(100 * 2 ** (attempt - 1));
      }
    }
  }
}
