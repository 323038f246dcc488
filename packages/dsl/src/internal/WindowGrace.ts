import { TopologyError } from '@tributary/core';
import type { GraphNode } from './GraphNode.js';

/** How long after its end a window of each windowed aggregation node accepts records (suppress reads it). */
const graceByNode = new WeakMap<GraphNode, number>();

export const WindowGrace = {
  register(node: GraphNode, closeAfterEndMs: number): void {
    graceByNode.set(node, closeAfterEndMs);
  },

  /**
   * The grace of the windowed aggregation `node` derives from, following single-parent table operators
   * upwards (filter, mapValues), as Kafka Streams' GraphGraceSearchUtil does.
   */
  find(node: GraphNode, operation: string): number {
    let at: GraphNode | undefined = node;
    while (at !== undefined) {
      const grace = graceByNode.get(at);
      if (grace !== undefined) return grace;
      at = at.kind === 'processor' && at.parents.length === 1 ? at.parents[0] : undefined;
    }
    throw new TopologyError(
      `${operation} on '${node.name}': untilWindowCloses needs a table produced by a windowed aggregation ` +
        '(windowedBy(...).count/reduce/aggregate), with only filter/mapValues in between; use ' +
        'Suppressed.untilTimeLimit(...) for other tables',
    );
  },
};
