import { describe, expect, it } from 'vitest';
import { defaultPartition, murmur2 } from '../src/index.js';

describe('murmur2', () => {
  // Vectors of Kafka's clients UtilsTest.testMurmur2 and of Akka's Kafka-compatible Murmur2Spec.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
    ['1', -1993445489],
    ['12', 126087238],
    ['123', -267702483],
    ['1234', -1614185708],
    ['12345', -1188365604],
  ])('hashes %j like Kafka', (text, expected) => {
    expect(murmur2(Buffer.from(text, 'utf8'))).toBe(expected);
  });

  it('hashes the empty array', () => {
    // seed ^ 0, then the final mix only: a fixed value
    expect(murmur2(new Uint8Array(0))).toBe(murmur2(Buffer.alloc(0)));
    expect(Number.isInteger(murmur2(new Uint8Array(0)))).toBe(true);
  });

  it('picks partitions as toPositive(murmur2) % n, not Math.abs', () => {
    // murmur2('21') = -973932308; toPositive clears the sign bit: 1173551340
    expect(-973932308 & 0x7fffffff).toBe(1173551340);
    expect(defaultPartition(Buffer.from('21'), 10)).toBe(1173551340 % 10);
    expect(defaultPartition(Buffer.from('abc'), 7)).toBe(479470107 % 7);
    expect(defaultPartition(Buffer.from('foobar'), 3)).toBe((-790332482 & 0x7fffffff) % 3);
  });
});
