import type { KStream } from './KStream.js';
import { validateName } from './Named.js';

/**
 * One branch of `split()`: its name (the branch's key in the result map is `<splitName><branchName>`) and
 * optionally a consumer of the branch stream, or a function whose returned stream goes into the result map.
 */
export class Branched<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly chainConsumer: ((stream: KStream<K, V>) => void) | undefined,
    readonly chainFunction: ((stream: KStream<K, V>) => KStream<K, V> | undefined) | undefined,
  ) {}

  static as<K, V>(name: string): Branched<K, V> {
    return new Branched<K, V>(validateName(name, 'Branched'), undefined, undefined);
  }

  /** The branch stream goes to `consumer` and is left out of the result map. */
  static withConsumer<K, V>(consumer: (stream: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return new Branched(name === undefined ? undefined : validateName(name, 'Branched'), consumer, undefined);
  }

  /** The stream `fn` returns goes into the result map (nothing when it returns undefined). */
  static withFunction<K, V>(
    fn: (stream: KStream<K, V>) => KStream<K, V> | undefined,
    name?: string,
  ): Branched<K, V> {
    return new Branched(name === undefined ? undefined : validateName(name, 'Branched'), undefined, fn);
  }

  withName(name: string): Branched<K, V> {
    return new Branched(validateName(name, 'Branched'), this.chainConsumer, this.chainFunction);
  }
}
