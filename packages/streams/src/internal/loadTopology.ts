import { pathToFileURL } from 'node:url';
import { TopologyError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import type { TopologyModule } from '../TopologyModule.js';

/** Imports a topology module and calls its builder. */
export async function loadTopology(source: TopologyModule): Promise<Topology> {
  const url =
    source.module instanceof URL || /^[a-z]+:/.test(source.module)
      ? source.module
      : pathToFileURL(source.module);
  const loaded = (await import(url.toString())) as Record<string, unknown>;
  const names = source.exportName ? [source.exportName] : ['default', 'buildTopology'];
  const builder = names.map((n) => loaded[n]).find((f) => typeof f === 'function') as
    | (() => Topology)
    | undefined;
  if (!builder) {
    throw new TopologyError(
      `topology module ${url.toString()} exports no ${names.join(' or ')} function; export one that returns the Topology`,
    );
  }
  const topology = builder();
  if (!topology || !Array.isArray((topology as Partial<Topology>).subtopologies)) {
    throw new TopologyError(
      `${names.join('/')} of ${url.toString()} did not return a Topology (call builder.build())`,
    );
  }
  return topology;
}
