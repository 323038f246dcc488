import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SchemaRegistryError } from '../SchemaRegistryError.js';

export interface RequestOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** node:https options passed through: ca, cert, key, passphrase, rejectUnauthorized, servername. */
  readonly tls: object;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** One JSON request; rejects with a SchemaRegistryError carrying the registry's message on a non-2xx answer. */
export function requestJson(
  method: 'GET' | 'POST' | 'PUT',
  url: URL,
  body: unknown,
  options: RequestOptions,
): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          Accept: `${CONTENT_TYPE}, application/json`,
          ...(payload === undefined
            ? {}
            : { 'Content-Type': CONTENT_TYPE, 'Content-Length': payload.length }),
          ...options.headers,
        },
        timeout: options.timeoutMs,
        ...options.tls,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = text.length === 0 ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (status >= 200 && status < 300) {
            resolve(parsed);
            return;
          }
          const answer = (parsed ?? {}) as { message?: unknown; error_code?: unknown };
          const message = typeof answer.message === 'string' ? answer.message : text.slice(0, 500);
          const code = typeof answer.error_code === 'number' ? answer.error_code : undefined;
          reject(
            new SchemaRegistryError(
              `schema registry ${method} ${url.pathname} answered ${status}${code === undefined ? '' : ` (error ${code})`}: ${message}`,
              status,
              code,
            ),
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (cause) =>
      reject(
        new SchemaRegistryError(
          `schema registry ${method} ${url.origin}${url.pathname} failed: ${cause.message}; check that the registry runs at ${url.origin}`,
          0,
          undefined,
          { cause },
        ),
      ),
    );
    req.end(payload);
  });
}
