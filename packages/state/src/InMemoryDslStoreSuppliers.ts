import type { DslStoreSuppliers } from './DslStoreSuppliers.js';
import { inMemory } from './internal/inMemory.js';

/** The DSL's in-memory stores (the default of `StreamsBuilder`). */
export const InMemoryDslStoreSuppliers: DslStoreSuppliers = inMemory.dsl;
