export type { ChangelogWriter } from './ChangelogWriter.js';
export type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
export type { KeyValueStore, ReadOnlyKeyValueStore } from './KeyValueStore.js';
export type { ReadOnlySessionStore, SessionStore } from './SessionStore.js';
export type { StateStore } from './StateStore.js';
export type { StateStoreContext } from './StateStoreContext.js';
export type { LogConfig, StoreBuilder } from './StoreBuilder.js';
export type { ReadOnlyWindowStore, WindowStore, WindowStoreEntry } from './WindowStore.js';
