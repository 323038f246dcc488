export { AvroSerde } from './AvroSerde.js';
export type { AvroSerdeOptions } from './AvroSerdeOptions.js';
export { AvroSerdes } from './AvroSerdes.js';
export type { AvroValue } from './AvroValue.js';
export {
  HttpSchemaRegistryClient,
  type HttpSchemaRegistryClientOptions,
} from './HttpSchemaRegistryClient.js';
export { InMemorySchemaRegistry } from './InMemorySchemaRegistry.js';
export type { CompatibilityLevel, RegisteredSchema, SchemaRegistryClient } from './SchemaRegistryClient.js';
export { SchemaRegistryError } from './SchemaRegistryError.js';
export { SubjectNameStrategies, type SubjectNameStrategy } from './SubjectNameStrategy.js';
