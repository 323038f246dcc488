import { StreamsError } from '@tributary/core';
import type { StateStore } from '@tributary/state';

export type StoreKind = 'key-value' | 'window' | 'session' | 'other';

function kindOf(store: StateStore): StoreKind {
  if ('findSessions' in store) return 'session';
  if ('fetchRange' in store && 'windowSizeMs' in store) return 'window';
  if ('putIfAbsent' in store && 'get' in store) return 'key-value';
  return 'other';
}

const GETTER: Record<StoreKind, string> = {
  'key-value': 'getKeyValueStore',
  window: 'getWindowStore',
  session: 'getSessionStore',
  other: 'getAllStateStores',
};

/** Throws a StreamsError naming the right getter when `store` is not of the `expected` kind. */
export function checkStoreKind(name: string, store: StateStore, expected: StoreKind): void {
  const kind = kindOf(store);
  if (kind !== expected) {
    throw new StreamsError(
      `Store '${name}' is a ${kind} store, not a ${expected} store; use ${GETTER[kind]}('${name}')`,
    );
  }
}
