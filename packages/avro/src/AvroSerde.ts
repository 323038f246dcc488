import { type Serde, type SerdePrepareRequest, SerializationError, StreamsError } from '@tributary/core';
import type avsc from 'avsc';
import type { AvroSerdeOptions } from './AvroSerdeOptions.js';
import { parseAvroType, schemaValue } from './internal/parseAvroType.js';
import type { SchemaRegistryClient } from './SchemaRegistryClient.js';
import { SchemaRegistryError } from './SchemaRegistryError.js';
import { SubjectNameStrategies, type SubjectNameStrategy } from './SubjectNameStrategy.js';

/** Confluent wire format: magic byte 0, the schema id as a big-endian int32, then the Avro body. */
const MAGIC = 0;
const HEADER = 5;

/** How to read the bodies written with one schema id: a decoder, or why they cannot be read. */
type Decoder =
  | { readonly type: avsc.Type; readonly resolver: avsc.Resolver | undefined; readonly failure?: undefined }
  | { readonly failure: string };

interface Writer {
  readonly id: number;
  readonly subject: string;
  readonly type: avsc.Type;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Avro in the Confluent wire format, with a schema registry. `serialize` and `deserialize` are synchronous
 * and never touch the network: schema ids are looked up or registered by `prepare`, which the stream thread
 * and the test driver await once per batch. Readers resolve each writer schema to this serde's schema once,
 * then cache the resolver per writer id.
 *
 * Everything that goes wrong with bytes is a SerializationError naming the topic, schema id and subject (the
 * runtime adds the partition and offset): a wrong magic byte, an unknown id, a truncated or over-long body,
 * a writer schema that cannot be resolved to the reader's.
 */
export class AvroSerde<T> implements Serde<T> {
  readonly name: string;
  readonly isKey: boolean;
  private readonly registry: SchemaRegistryClient;
  private readonly schemaText: string | undefined;
  private readonly readerType: avsc.Type | undefined;
  private readonly strategy: SubjectNameStrategy;
  private readonly autoRegister: boolean;
  private readonly useLatestVersion: boolean;
  /** Per writer schema id: the writer-to-reader decoder (the (writer id, reader schema) resolver cache). */
  private readonly decoders = new Map<number, Decoder>();
  private readonly writers = new Map<string, Writer>();
  private readonly pendingWriters = new Map<string, Promise<void>>();
  private readonly pendingIds = new Map<number, Promise<void>>();
  private scratch = Buffer.allocUnsafe(1024);

  constructor(options: AvroSerdeOptions) {
    this.registry = options.registry;
    this.isKey = options.isKey ?? false;
    this.strategy = options.subjectNameStrategy ?? SubjectNameStrategies.topicName;
    this.autoRegister = options.autoRegister ?? true;
    this.useLatestVersion = options.useLatestVersion ?? false;
    if (options.schema !== undefined) {
      try {
        this.readerType = parseAvroType(options.schema);
      } catch (cause) {
        throw new StreamsError(`AvroSerde: the schema is not a valid Avro schema: ${messageOf(cause)}`, {
          cause,
        });
      }
      // Registered as given: the registry then recognises the text other clients registered.
      const value = schemaValue(options.schema);
      this.schemaText =
        typeof options.schema === 'string' && value !== options.schema
          ? options.schema
          : JSON.stringify(value);
    }
    this.name = `Avro(${this.readerType?.name ?? this.readerType?.typeName ?? 'generic'})`;
  }

  /** The registry subject this serde writes to on `topic`. */
  subject(topic: string): string {
    return this.strategy(topic, this.isKey, this.readerType?.name);
  }

  serialize(topic: string, data: T): Buffer {
    const writer = this.writers.get(topic);
    if (writer === undefined) throw this.unpreparedWrite(topic);
    let scratch = this.scratch;
    scratch[0] = MAGIC;
    scratch.writeInt32BE(writer.id, 1);
    let end: number;
    try {
      end = writer.type.encode(data, scratch, HEADER);
      while (end < 0) {
        const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
        scratch.copy(bigger, 0, 0, HEADER);
        this.scratch = scratch = bigger;
        end = writer.type.encode(data, scratch, HEADER);
      }
    } catch (cause) {
      throw new SerializationError(
        `${this.name} could not write a ${this.part} to topic '${topic}' with schema id ${writer.id} ` +
          `(subject '${writer.subject}'): ${this.invalidPaths(writer.type, data) ?? messageOf(cause)}`,
        { cause },
      );
    }
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  }

  deserialize(topic: string, data: Buffer): T {
    if (data.length < HEADER || data[0] !== MAGIC) {
      throw new SerializationError(
        data.length < HEADER
          ? `${this.name} cannot read a ${this.part} of ${data.length} byte(s) on topic '${topic}' ` +
              `(subject '${this.subjectOrUnknown(topic)}'): the Confluent wire format needs a 5-byte header`
          : `${this.name} cannot read a ${this.part} on topic '${topic}' (subject '${this.subjectOrUnknown(topic)}'): ` +
              `magic byte ${data[0]}, expected 0; it was not written by a Confluent Avro serializer`,
      );
    }
    const id = ((data[1]! << 24) | (data[2]! << 16) | (data[3]! << 8) | data[4]!) >>> 0;
    const decoder = this.decoders.get(id) ?? this.decoderFromCache(id);
    if (decoder === undefined || decoder.failure !== undefined) {
      throw new SerializationError(
        `${this.name} cannot read a ${this.part} on topic '${topic}' written with schema id ${id} ` +
          `(subject '${this.subjectOrUnknown(topic)}'): ${
            decoder?.failure ??
            `the id is not known yet; await the serde's prepare() for the batch first (the stream thread and the ` +
              `test driver's pipeRecordListAsync do), or share one registry client between writer and reader serdes`
          }`,
      );
    }
    let result: { value: unknown; offset: number };
    try {
      result = decoder.type.decode(data, HEADER, decoder.resolver);
    } catch (cause) {
      throw this.corrupt(topic, id, `the body does not match the writer schema: ${messageOf(cause)}`, cause);
    }
    if (result.offset < 0) throw this.corrupt(topic, id, 'the body is truncated');
    if (result.offset !== data.length) {
      throw this.corrupt(topic, id, `${data.length - result.offset} byte(s) left over after the value`);
    }
    return result.value as T;
  }

  prepare(request: SerdePrepareRequest): Promise<void> | undefined {
    if (request.mode === 'write') return this.prepareWrite(request.topic);
    let missing: Set<number> | undefined;
    const { topic, isKey, records } = request;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.topic !== topic) continue;
      const data = isKey ? record.key : record.value;
      if (data === null || data.length < HEADER || data[0] !== MAGIC) continue;
      const id = data.readUInt32BE(1);
      if (this.decoders.has(id) || missing?.has(id)) continue;
      if (this.decoderFromCache(id) !== undefined) continue;
      if (missing === undefined) missing = new Set();
      missing.add(id);
    }
    if (missing === undefined) return undefined;
    return Promise.all([...missing].map((id) => this.fetchDecoder(id))).then(() => undefined);
  }

  /** Looks up (or registers) the writer schema for `topic` now, so `serialize(topic, ...)` can run. */
  prepareWrite(topic: string): Promise<void> | undefined {
    if (this.writers.has(topic)) return undefined;
    let pending = this.pendingWriters.get(topic);
    if (pending === undefined) {
      pending = this.resolveWriter(topic).finally(() => this.pendingWriters.delete(topic));
      this.pendingWriters.set(topic, pending);
    }
    return pending;
  }

  private get part(): string {
    return this.isKey ? 'key' : 'value';
  }

  private async resolveWriter(topic: string): Promise<void> {
    if (this.useLatestVersion) {
      const subject = this.subject(topic);
      const latest = await this.registry.getLatestSchema(subject);
      this.writers.set(topic, { id: latest.id, subject, type: parseAvroType(latest.schema) });
      return;
    }
    if (this.schemaText === undefined || this.readerType === undefined) {
      throw new StreamsError(
        `${this.name} cannot write to topic '${topic}': it has no schema; pass \`schema\` or \`useLatestVersion: true\``,
      );
    }
    const subject = this.subject(topic);
    const id = this.autoRegister
      ? await this.registry.register(subject, this.schemaText)
      : (await this.registry.lookup(subject, this.schemaText)).id;
    this.writers.set(topic, { id, subject, type: this.readerType });
  }

  private fetchDecoder(id: number): Promise<void> {
    let pending = this.pendingIds.get(id);
    if (pending === undefined) {
      pending = this.registry
        .getSchemaById(id)
        .then(
          (schema) => {
            this.decoders.set(id, this.buildDecoder(id, schema));
          },
          (error: unknown) => {
            // An id the registry does not know stays unknown: remember it, so its records fail one by one.
            // Anything else (registry down) fails the batch.
            if (!(error instanceof SchemaRegistryError && error.notFound)) throw error;
            this.decoders.set(id, {
              failure: `${this.registry.description} does not know schema id ${id}: ${error.message}`,
            });
          },
        )
        .finally(() => this.pendingIds.delete(id));
      this.pendingIds.set(id, pending);
    }
    return pending;
  }

  private decoderFromCache(id: number): Decoder | undefined {
    const schema = this.registry.cachedSchema(id);
    if (schema === undefined) return undefined;
    const decoder = this.buildDecoder(id, schema);
    this.decoders.set(id, decoder);
    return decoder;
  }

  private buildDecoder(id: number, schema: string): Decoder {
    let writerType: avsc.Type;
    try {
      writerType = parseAvroType(schema);
    } catch (error) {
      return { failure: `the writer schema of id ${id} does not parse: ${messageOf(error)}` };
    }
    const reader = this.readerType;
    if (reader === undefined) return { type: writerType, resolver: undefined };
    if (reader.equals(writerType)) return { type: reader, resolver: undefined };
    try {
      return { type: reader, resolver: reader.createResolver(writerType) };
    } catch (error) {
      return {
        failure:
          `writer schema id ${id} (${writerType.name ?? writerType.typeName}) cannot be read as this serde's ` +
          `schema (${reader.name ?? reader.typeName}): ${messageOf(error)}`,
      };
    }
  }

  private subjectOrUnknown(topic: string): string {
    try {
      return this.subject(topic);
    } catch {
      return '(none: the schema is not named)';
    }
  }

  private unpreparedWrite(topic: string): SerializationError {
    return new SerializationError(
      `${this.name} has no schema id for topic '${topic}' (subject '${this.subjectOrUnknown(topic)}') yet: ` +
        `await serde.prepareWrite('${topic}') first (the stream thread and the test driver do for sink topics)`,
    );
  }

  private corrupt(topic: string, id: number, reason: string, cause?: unknown): SerializationError {
    return new SerializationError(
      `${this.name} cannot read a ${this.part} on topic '${topic}' written with schema id ${id} ` +
        `(subject '${this.subjectOrUnknown(topic)}'): ${reason}`,
      cause === undefined ? undefined : { cause },
    );
  }

  private invalidPaths(type: avsc.Type, data: unknown): string | undefined {
    const problems: string[] = [];
    type.isValid(data, {
      errorHook: (path, value) => {
        if (problems.length < 3) problems.push(`${path.join('.') || '(value)'} = ${JSON.stringify(value)}`);
      },
    });
    return problems.length === 0 ? undefined : `invalid for the schema: ${problems.join(', ')}`;
  }
}
