import type { GraphNode } from './GraphNode.js';

/**
 * Whether a table node must send old values: true unless every child is a processor that reads only new
 * values (see `ProcessorGraphNode.ignoresOldValues`) or passes them on to children that do not need them
 * (`oldValuesOnlyForChildren`, asked recursively). Kafka Streams keeps sendOldValues off until a downstream
 * operation (suppress, a table join, groupBy, a KTable filter or mapValues here) enables it; the nodes of a
 * built topology never change, so the answer is taken when a task creates the processor.
 */
export function childrenNeedOldValues(node: GraphNode): boolean {
  for (const child of node.children) {
    if (child.kind !== 'processor') return true;
    if (child.oldValuesOnlyForChildren === true) {
      if (childrenNeedOldValues(child)) return true;
    } else if (child.ignoresOldValues !== true) return true;
  }
  return false;
}
