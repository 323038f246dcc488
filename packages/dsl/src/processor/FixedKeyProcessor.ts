import type { Record } from '@tributary/core';
import type { Processor } from './Processor.js';
import type { ProcessorContext } from './ProcessorContext.js';

/**
 * A value-only processor: it may change values, timestamps and headers but never keys, so the DSL knows no
 * repartition is needed downstream. Its context forwards records of the same key type.
 */
export interface FixedKeyProcessor<K, VIn, VOut = never> {
  init?(context: ProcessorContext<K, VOut>): void;
  process(record: Record<K, VIn>): void;
  close?(): void;
}

export type FixedKeyProcessorSupplier<K, VIn, VOut = never> = () => FixedKeyProcessor<K, VIn, VOut>;

/** A fixed-key processor is a processor whose output key type equals its input key type. */
export type AsProcessor<K, VIn, VOut> = Processor<K, VIn, K, VOut>;
