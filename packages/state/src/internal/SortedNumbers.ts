import { IllegalStateError } from '@tributary/core';

/** A sorted array of distinct numbers (window starts, session ends) with binary-search insert and bounds. */
export class SortedNumbers {
  values: number[] = [];

  /** Index of the first value >= `target`. */
  lowerBound(target: number): number {
    const values = this.values;
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first value > `target`. */
  upperBound(target: number): number {
    const values = this.values;
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a value known to be absent (appending is O(1), the common case for time). */
  insert(value: number): void {
    const values = this.values;
    const last = values.length === 0 ? undefined : values[values.length - 1]!;
    if (last === undefined || value > last) values.push(value);
    else {
      const at = this.lowerBound(value);
      if (values[at] === value) throw new IllegalStateError(`internal: ${value} is already present`);
      values.splice(at, 0, value);
    }
  }

  remove(value: number): void {
    const at = this.lowerBound(value);
    if (this.values[at] === value) this.values.splice(at, 1);
  }

  /** Removes and returns every value < `bound`. */
  removeBelow(bound: number): number[] {
    const at = this.lowerBound(bound);
    return at === 0 ? [] : this.values.splice(0, at);
  }

  /** A copy of the values in [from, to]. */
  slice(from: number, to: number): number[] {
    if (from > to) return [];
    return this.values.slice(this.lowerBound(from), this.upperBound(to));
  }
}
