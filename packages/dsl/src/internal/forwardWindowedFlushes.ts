import { Record, type Windowed } from '@tributary/core';
import type { CachedStateStore } from '@tributary/state';
import type { ProcessorContext } from '../processor/ProcessorContext.js';
import type { Change } from './Change.js';
import type { ValueAndTimestamp } from './ValueAndTimestamp.js';

/**
 * Makes a cached window store of `{ value, timestamp }` forward its flushed changes (plain values, the kept
 * timestamp). Returns true when the store is cached (the processor must then not forward on every update).
 * Without `sendOldValues` the cache does not read the window's previous value at flush (oldValue is null).
 */
export function forwardWindowedFlushes<K, A>(
  store: unknown,
  context: ProcessorContext<Windowed<K>, Change<A>>,
  sendOldValues: boolean,
): boolean {
  const cachedStore = store as Partial<CachedStateStore<Windowed<K>, ValueAndTimestamp<A>>>;
  return (
    cachedStore.setFlushListener?.((key, newValue, oldValue, timestamp) => {
      context.forward(
        new Record(
          key,
          { newValue: newValue?.value ?? null, oldValue: oldValue?.value ?? null },
          newValue?.timestamp ?? timestamp,
        ),
      );
    }, sendOldValues) ?? false
  );
}
