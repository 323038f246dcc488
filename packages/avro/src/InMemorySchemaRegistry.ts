import type avsc from 'avsc';
import { canonicalSchema, parseAvroType } from './internal/parseAvroType.js';
import type { CompatibilityLevel, RegisteredSchema, SchemaRegistryClient } from './SchemaRegistryClient.js';
import { SchemaRegistryError } from './SchemaRegistryError.js';

function canReadFrom(reader: avsc.Type, writer: avsc.Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

/**
 * A schema registry in memory, for tests and the test driver (like Confluent's mock registry): global ids,
 * versions per subject, and the compatibility rules checked with Avro's resolution rules. `client()` hands out
 * clients with caches of their own, as separate processes would have; `requests` counts the calls they made.
 */
export class InMemorySchemaRegistry {
  requests = 0;
  private nextId = 1;
  private readonly ids = new Map<string, number>();
  private readonly schemas = new Map<number, string>();
  private readonly subjects = new Map<string, RegisteredSchema[]>();
  private readonly levels = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = 'BACKWARD';

  /** A new client of this registry, with an empty cache. */
  client(): SchemaRegistryClient {
    return new InMemorySchemaRegistryClient(this);
  }

  /** @internal */
  handle<T>(run: () => T): Promise<T> {
    this.requests++;
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal */
  register(subject: string, schema: string): RegisteredSchema {
    const type = this.parse(schema);
    const canonical = canonicalSchema(type);
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => canonicalSchema(this.parse(v.schema)) === canonical);
    if (existing) return existing;
    const level = this.levels.get(subject) ?? this.globalLevel;
    const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
    for (const old of against) {
      const previous = this.parse(old.schema);
      const backward = canReadFrom(type, previous);
      const forward = canReadFrom(previous, type);
      const ok = level.startsWith('BACKWARD')
        ? backward
        : level.startsWith('FORWARD')
          ? forward
          : level.startsWith('FULL')
            ? backward && forward
            : true;
      if (!ok) {
        throw new SchemaRegistryError(
          `Schema being registered is incompatible with version ${old.version} of subject '${subject}' (${level})`,
          409,
          409,
        );
      }
    }
    let id = this.ids.get(canonical);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(canonical, id);
      this.schemas.set(id, schema);
    }
    const registered: RegisteredSchema = { subject, version: versions.length + 1, id, schema };
    versions.push(registered);
    this.subjects.set(subject, versions);
    return registered;
  }

  /** @internal */
  lookup(subject: string, schema: string): RegisteredSchema {
    const canonical = canonicalSchema(this.parse(schema));
    const found = this.versions(subject).find((v) => canonicalSchema(this.parse(v.schema)) === canonical);
    if (!found) {
      throw new SchemaRegistryError(`Schema not found under subject '${subject}'`, 404, 40403);
    }
    return found;
  }

  /** @internal */
  schemaById(id: number): string {
    const schema = this.schemas.get(id);
    if (schema === undefined) throw new SchemaRegistryError(`Schema ${id} not found`, 404, 40403);
    return schema;
  }

  /** @internal */
  version(subject: string, version: number | 'latest'): RegisteredSchema {
    const versions = this.versions(subject);
    const found = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
    if (!found) {
      throw new SchemaRegistryError(`Version ${version} of subject '${subject}' not found`, 404, 40402);
    }
    return found;
  }

  /** @internal */
  compatible(subject: string, schema: string): boolean {
    try {
      const probe = new InMemorySchemaRegistry();
      probe.globalLevel = this.levels.get(subject) ?? this.globalLevel;
      for (const v of this.subjects.get(subject) ?? []) probe.register(subject, v.schema);
      probe.register(subject, schema);
      return true;
    } catch (error) {
      if (error instanceof SchemaRegistryError && error.status === 409) return false;
      throw error;
    }
  }

  /** @internal */
  level(subject?: string): CompatibilityLevel {
    return (subject === undefined ? undefined : this.levels.get(subject)) ?? this.globalLevel;
  }

  /** @internal */
  setLevel(level: CompatibilityLevel, subject?: string): void {
    if (subject === undefined) this.globalLevel = level;
    else this.levels.set(subject, level);
  }

  private versions(subject: string): RegisteredSchema[] {
    const versions = this.subjects.get(subject);
    if (!versions) throw new SchemaRegistryError(`Subject '${subject}' not found`, 404, 40401);
    return versions;
  }

  private parse(schema: string): avsc.Type {
    try {
      return parseAvroType(schema);
    } catch (error) {
      throw new SchemaRegistryError(
        `Invalid schema: ${error instanceof Error ? error.message : String(error)}`,
        422,
        42201,
      );
    }
  }
}

/** A client of an InMemorySchemaRegistry with its own cache of schemas by id. */
class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  readonly description = 'the in-memory schema registry';
  private readonly cache = new Map<number, string>();

  constructor(private readonly registry: InMemorySchemaRegistry) {}

  cachedSchema(id: number): string | undefined {
    return this.cache.get(id);
  }

  register(subject: string, schema: string): Promise<number> {
    return this.registry.handle(() => this.remember(this.registry.register(subject, schema)).id);
  }

  lookup(subject: string, schema: string): Promise<RegisteredSchema> {
    return this.registry.handle(() => this.remember(this.registry.lookup(subject, schema)));
  }

  getSchemaById(id: number): Promise<string> {
    return this.registry.handle(() => {
      const schema = this.registry.schemaById(id);
      this.cache.set(id, schema);
      return schema;
    });
  }

  getSchemaByVersion(subject: string, version: number): Promise<RegisteredSchema> {
    return this.registry.handle(() => this.remember(this.registry.version(subject, version)));
  }

  getLatestSchema(subject: string): Promise<RegisteredSchema> {
    return this.registry.handle(() => this.remember(this.registry.version(subject, 'latest')));
  }

  testCompatibility(subject: string, schema: string): Promise<boolean> {
    return this.registry.handle(() => this.registry.compatible(subject, schema));
  }

  getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return this.registry.handle(() => this.registry.level(subject));
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    return this.registry.handle(() => this.registry.setLevel(level, subject));
  }

  private remember(schema: RegisteredSchema): RegisteredSchema {
    this.cache.set(schema.id, schema.schema);
    return schema;
  }
}
