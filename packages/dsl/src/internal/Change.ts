/**
 * What table processors forward: the new value of a key and the one it replaced (null when the key was new;
 * a null newValue is a deletion). `KTable.toStream()` turns it back into the new value.
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}
