import type { Record } from '@tributary/core';
import type { ProcessorContext } from './ProcessorContext.js';

/** A node of the Processor API: receives records, may forward others downstream. */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** Makes one processor instance per task. `stores` names stores this processor must be connected to. */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;
