import type { SchemaRegistryClient } from './SchemaRegistryClient.js';
import type { SubjectNameStrategy } from './SubjectNameStrategy.js';

export interface AvroSerdeOptions {
  /** Shared by the serdes of an application: its caches let one serde read what another registered. */
  readonly registry: SchemaRegistryClient;
  /**
   * The schema (JSON text or object) values are written with and read into: data written with an older or
   * newer compatible schema is resolved to this one (defaults filled, removed fields dropped, promotions
   * applied). Omit it for a generic serde that reads every record as its writer schema describes it.
   */
  readonly schema?: string | object;
  /** Key serde (subjects `<topic>-key`) rather than value serde (`<topic>-value`); default false. */
  readonly isKey?: boolean;
  /** Default `SubjectNameStrategies.topicName`. */
  readonly subjectNameStrategy?: SubjectNameStrategy;
  /** Register the schema under its subject when writing (default true); if false it must be registered. */
  readonly autoRegister?: boolean;
  /**
   * Write with the subject's latest registered schema instead of `schema` (which is then only the reader
   * schema, and may be omitted); values must be valid for that latest schema. Default false.
   */
  readonly useLatestVersion?: boolean;
}
