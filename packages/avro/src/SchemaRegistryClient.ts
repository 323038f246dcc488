/** A schema as the registry stores it under a subject. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  /** The schema's JSON text. */
  readonly schema: string;
}

/** A registry's compatibility rule for new versions of a subject. */
export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/**
 * The Confluent Schema Registry API (Avro schemas), asynchronous and cached by each implementation. Serdes
 * call it only from `prepare`, never per record; `cachedSchema` is the one synchronous call, a cache lookup.
 */
export interface SchemaRegistryClient {
  /** A short description for error messages, e.g. the registry's URL. */
  readonly description: string;
  /** Registers `schema` under `subject` (a no-op returning the id when it is there already); returns its id. */
  register(subject: string, schema: string): Promise<number>;
  /** The id and version of `schema` under `subject`, without registering it. */
  lookup(subject: string, schema: string): Promise<RegisteredSchema>;
  getSchemaById(id: number): Promise<string>;
  getSchemaByVersion(subject: string, version: number): Promise<RegisteredSchema>;
  getLatestSchema(subject: string): Promise<RegisteredSchema>;
  /** Whether `schema` may be registered as the next version of `subject` under its compatibility rule. */
  testCompatibility(subject: string, schema: string): Promise<boolean>;
  /** The compatibility rule of `subject`, or the registry's global one when `subject` is undefined. */
  getCompatibility(subject?: string): Promise<CompatibilityLevel>;
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void>;
  /** The schema of `id` if this client has seen it already (registered, looked up or fetched); no I/O. */
  cachedSchema(id: number): string | undefined;
}
