export { RocksDBKeyValueStore } from './RocksDBKeyValueStore.js';
export { RocksDBSessionStore } from './RocksDBSessionStore.js';
export { RocksDBDslStoreSuppliers, RocksDBStores } from './RocksDBStores.js';
export { RocksDBWindowStore } from './RocksDBWindowStore.js';
