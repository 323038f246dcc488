import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamsError } from '@tributary/core';

/** An open database, opaque to TypeScript. */
export type DatabaseHandle = { readonly __database: unique symbol };
/** An open iterator, opaque to TypeScript. */
export type IteratorHandle = { readonly __iterator: unique symbol };

/** The synchronous native binding built from native/binding.cc (see binding.gyp). */
export interface RocksDBBinding {
  open(path: string, createIfMissing: boolean): DatabaseHandle;
  close(db: DatabaseHandle): void;
  get(db: DatabaseHandle, key: Buffer, meta?: boolean): Buffer | null;
  write(
    db: DatabaseHandle,
    keys: readonly Buffer[],
    values: readonly (Buffer | null)[],
    metaKeys: readonly Buffer[],
    metaValues: readonly Buffer[],
  ): void;
  iterator(db: DatabaseHandle, lower: Buffer | null, upper: Buffer | null): IteratorHandle;
  /** Up to `max` entries packed as [u32le length][key][u32le length][value]...; empty at the end. */
  next(it: IteratorHandle, max: number): Buffer;
  closeIterator(it: IteratorHandle): void;
  estimateNumKeys(db: DatabaseHandle): number;
}

/**
 * The entries of a chunk returned by `next`, as alternating keys and values: views into the chunk, no copies
 * (one Buffer per chunk is what the binding creates; two per entry cost more than the scan itself).
 */
export function unpackEntries(chunk: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < chunk.length) {
    const length = chunk.readUInt32LE(offset);
    offset += 4;
    out.push(chunk.subarray(offset, offset + length));
    offset += length;
  }
  return out;
}

let loaded: RocksDBBinding | undefined;

/** Loads the native binding once; the error says how to build it when it is missing. */
export function rocksDBBinding(): RocksDBBinding {
  if (loaded !== undefined) return loaded;
  // src/internal or dist/internal → the package root.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const file = resolve(root, 'build', 'Release', 'tributary_rocksdb.node');
  if (!existsSync(file)) {
    throw new StreamsError(
      `the RocksDB binding is not built (${file} is missing): run \`npm run build:native -w @tributary/rocksdb\` ` +
        '(needs Debian package librocksdb-dev), or scripts/setup.sh, which does both',
    );
  }
  loaded = createRequire(import.meta.url)(file) as RocksDBBinding;
  return loaded;
}
