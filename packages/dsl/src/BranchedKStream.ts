import type { Branched } from './Branched.js';
import type { ProcessorGraphNode } from './internal/GraphNode.js';
import { KStreamBranch } from './internal/processors/KStreamBranch.js';
import { PassThrough } from './internal/processors/PassThrough.js';
import { KStream } from './KStream.js';

/**
 * The result of `KStream.split()`. Each `branch` adds a predicate; `defaultBranch` catches the rest. The map
 * returned by `defaultBranch()`/`noDefaultBranch()` holds each branch stream under `<splitName><branchName>`
 * (branch names default to the branch's position, 1-based; the default branch is `0`), except branches
 * handled by `Branched.withConsumer`.
 */
export class BranchedKStream<K, V> {
  private readonly predicates: ((key: K, value: V) => boolean)[] = [];
  private readonly childNames: string[] = [];
  private defaultChild: string | undefined;
  private readonly splitter: ProcessorGraphNode;
  private readonly outputs = new Map<string, KStream<K, V>>();

  /** @internal Made by `KStream.split()`. */
  constructor(
    private readonly source: KStream<K, V>,
    private readonly splitName: string,
  ) {
    const predicates = this.predicates;
    const childNames = this.childNames;
    const defaultChild = () => this.defaultChild;
    this.splitter = source.builder.addProcessor(
      {
        kind: 'processor',
        name: splitName,
        supplier: () => new KStreamBranch<K, V>(predicates, childNames, defaultChild) as never,
        stores: [],
      },
      [source.node],
    );
  }

  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): this {
    this.predicates.push(predicate);
    this.childNames.push(this.createBranch(branched, this.predicates.length));
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.defaultChild = this.createBranch(branched, 0);
    return this.outputs;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.outputs;
  }

  private createBranch(branched: Branched<K, V> | undefined, index: number): string {
    const builder = this.source.builder;
    const name = `${this.splitName}${branched?.name ?? index}`;
    // Kafka Streams draws a counter value per branch too; keep generated names in step with it.
    builder.newProcessorName(name);
    const node = builder.addProcessor(
      { kind: 'processor', name, supplier: () => new PassThrough(), stores: [] },
      [this.splitter],
    );
    const stream = new KStream<K, V>(
      builder,
      node,
      this.source.keySerde,
      this.source.valueSerde,
      this.source.repartitionRequired,
    );
    if (branched?.chainFunction) {
      const result = branched.chainFunction(stream);
      if (result !== undefined) this.outputs.set(name, result);
    } else if (branched?.chainConsumer) {
      branched.chainConsumer(stream);
    } else {
      this.outputs.set(name, stream);
    }
    return name;
  }
}
