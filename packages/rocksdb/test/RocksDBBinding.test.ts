import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BINDING = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '..',
  'build',
  'Release',
  'tributary_rocksdb.node',
);
const dir = mkdtempSync(join(tmpdir(), 'rocksdb-binding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Misuse of the native binding, each call in a child process so that a crash (a segfault is exit 139) fails
 * this test instead of killing the test runner. Every call must throw a TypeError (or Error) with a message
 * naming the call and what it expected, and the process must carry on.
 */
const MISUSE = `
const binding = require(process.argv[1]);
const db = binding.open(process.argv[2], true);
const it = binding.iterator(db, null, null);
const calls = {
  'next(42, 10)': () => binding.next(42, 10),
  'next(db, 10)': () => binding.next(db, 10),
  'next(it)': () => binding.next(it),
  'next()': () => binding.next(),
  'get(it, key)': () => binding.get(it, Buffer.from('k')),
  'get(db, "k")': () => binding.get(db, 'k'),
  'get({}, key)': () => binding.get({}, Buffer.from('k')),
  'write(db, [1], [null], [], [])': () => binding.write(db, [1], [null], [], []),
  'write(db, [key], ["v"], [], [])': () => binding.write(db, [Buffer.from('k')], ['v'], [], []),
  'write(db, "x", [], [], [])': () => binding.write(db, 'x', [], [], []),
  'write(db, [key], [value], [key])': () => binding.write(db, [Buffer.from('k')], [Buffer.from('v')], [Buffer.from('m')]),
  'iterator(db, 5, null)': () => binding.iterator(db, 5, null),
  'closeIterator(db)': () => binding.closeIterator(db),
  'close(it)': () => binding.close(it),
  'open(1, true)': () => binding.open(1, true),
  'estimateNumKeys("db")': () => binding.estimateNumKeys('db'),
};
const out = {};
for (const [name, call] of Object.entries(calls)) {
  try { call(); out[name] = 'no error'; } catch (e) { out[name] = e.constructor.name + ': ' + e.message; }
}
// The database is untouched by the rejected batch and still works.
out.afterwards = String(binding.get(db, Buffer.from('k')));
binding.write(db, [Buffer.from('k')], [Buffer.from('v')], [], []);
out.written = binding.get(db, Buffer.from('k')).toString();
binding.closeIterator(it);
binding.close(db);
try { binding.get(db, Buffer.from('k')); } catch (e) { out['get after close'] = e.message.replace(process.argv[2], '<dir>'); }
console.log(JSON.stringify(out));
`;

describe('the native binding never crashes the process', () => {
  it('rejects wrong argument types and wrong handle kinds with a TypeError naming the call', () => {
    const child = spawnSync(process.execPath, ['-e', MISUSE, BINDING, join(dir, 'db')], { encoding: 'utf8' });
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(JSON.parse(child.stdout)).toEqual({
      'next(42, 10)': 'TypeError: next: argument 1 must be an iterator handle from iterator()',
      'next(db, 10)': 'TypeError: next: argument 1 must be an iterator handle from iterator()',
      'next(it)': 'TypeError: next: argument 2 (the chunk size) must be a number',
      'next()': 'TypeError: next: argument 1 must be an iterator handle from iterator()',
      'get(it, key)': 'TypeError: get: argument 1 must be a database handle from open()',
      'get(db, "k")': 'TypeError: get: argument 2 (the key) must be a Buffer',
      'get({}, key)': 'TypeError: get: argument 1 must be a database handle from open()',
      'write(db, [1], [null], [], [])':
        'TypeError: write: entry 0 must be a Buffer key with a Buffer or null value',
      'write(db, [key], ["v"], [], [])':
        'TypeError: write: entry 0 must be a Buffer key with a Buffer or null value',
      'write(db, "x", [], [], [])': 'TypeError: write: argument 2 must be an array',
      'write(db, [key], [value], [key])': 'TypeError: write: argument 5 must be an array',
      'iterator(db, 5, null)':
        'TypeError: iterator: the bounds (arguments 2 and 3) must be Buffers, null or undefined',
      'closeIterator(db)': 'TypeError: closeIterator: argument 1 must be an iterator handle from iterator()',
      'close(it)': 'TypeError: close: argument 1 must be a database handle from open()',
      'open(1, true)': 'TypeError: open(path: string, createIfMissing: boolean): wrong argument types',
      'estimateNumKeys("db")': 'TypeError: estimateNumKeys: argument 1 must be a database handle from open()',
      afterwards: 'null',
      written: 'v',
      'get after close': 'RocksDB database <dir> is closed',
    });
  });
});
