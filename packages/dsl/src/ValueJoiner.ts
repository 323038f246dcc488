/**
 * Computes a join result from the left value, the right value (null in left/outer joins when there is no
 * match) and the (read-only) join key.
 */
export type ValueJoiner<V1, V2, VR, K = unknown> = (value1: V1, value2: V2, key: K) => VR;
