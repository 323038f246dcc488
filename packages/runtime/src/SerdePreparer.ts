import type { Serde, SerdePrepareRequest, SerializedRecord } from '@tributary/core';
import type { SourceNode, Topology } from '@tributary/dsl';

interface PreparedWrite {
  readonly topic: string;
  readonly isKey: boolean;
  readonly serde: Serde<unknown>;
}

const NO_RECORDS: readonly SerializedRecord[] = [];

function preparable(serde: Serde<unknown>): boolean {
  return typeof serde.prepare === 'function';
}

/**
 * Awaits the topology's serdes' `prepare` hooks once per batch, so that deserialize and serialize stay
 * synchronous (e.g. Avro serdes fetch unknown schema ids here): the sources' serdes for the topics of the
 * batch (`read`), and the sinks' and stores' serdes for their fixed and changelog topics (`write`, until every
 * one is ready). For a
 * topology without such serdes, or once everything is known, `prepare` returns undefined: no Promise.
 */
export class SerdePreparer {
  private readonly sources = new Map<string, SourceNode | null>();
  private readonly patternSources: SourceNode[] = [];
  private readonly writes: PreparedWrite[] = [];
  private writesReady: boolean;
  private readonly idle: boolean;

  /**
   * `resolveTopic` maps a topology topic to its real name (internal topics get the application prefix).
   * `globalOnly`: only the global stores' sources (for the global stream thread, which writes nothing).
   */
  constructor(
    topology: Topology,
    resolveTopic: (topic: string) => string,
    options: { globalOnly?: boolean } = {},
  ) {
    const allSources: SourceNode[] = topology.globalStores.map((g) => g.source);
    for (const subtopology of options.globalOnly ? [] : topology.subtopologies) {
      for (const node of subtopology.nodes.values()) {
        if (node.kind === 'source') allSources.push(node);
        else if (node.kind === 'sink' && typeof node.topic === 'string') {
          const topic = resolveTopic(node.topic);
          if (preparable(node.keySerde)) this.writes.push({ topic, isKey: true, serde: node.keySerde });
          if (preparable(node.valueSerde)) this.writes.push({ topic, isKey: false, serde: node.valueSerde });
        }
      }
    }
    // Stores: their serdes write to the changelog topic (or, unlogged, to the store's name).
    for (const [name, builder] of options.globalOnly ? [] : topology.storeBuilders) {
      const changelog = topology.changelogTopic(name);
      const topic = changelog === undefined ? name : resolveTopic(changelog);
      const { keySerde, valueSerde } = builder as { keySerde?: Serde<unknown>; valueSerde?: Serde<unknown> };
      if (keySerde !== undefined && preparable(keySerde))
        this.writes.push({ topic, isKey: true, serde: keySerde });
      if (valueSerde !== undefined && preparable(valueSerde))
        this.writes.push({ topic, isKey: false, serde: valueSerde });
    }
    for (const source of allSources) {
      if (!preparable(source.keySerde) && !preparable(source.valueSerde)) continue;
      if (source.pattern !== undefined) this.patternSources.push(source);
      for (const topic of source.topics) this.sources.set(resolveTopic(topic), source);
    }
    this.writesReady = this.writes.length === 0;
    this.idle = this.writesReady && this.sources.size === 0 && this.patternSources.length === 0;
  }

  /** Prepares the serdes `records` (one poll batch, of any topics) and the sinks need; undefined if none do. */
  prepare(records: readonly SerializedRecord[]): Promise<void> | undefined {
    if (this.idle) return undefined;
    const pending: Promise<void>[] = [];
    if (!this.writesReady) {
      for (const { topic, isKey, serde } of this.writes) {
        const p = serde.prepare!({ mode: 'write', topic, isKey, records: NO_RECORDS });
        if (p !== undefined) pending.push(p);
      }
      // Ready once a round needed nothing; until then every batch asks again (the serde dedups).
      if (pending.length === 0) this.writesReady = true;
    }
    let previous: string | undefined;
    const done = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const topic = records[i]!.topic;
      if (topic === previous || done.has(topic)) continue;
      previous = topic;
      done.add(topic);
      const source = this.sourceOf(topic);
      if (source === null) continue;
      this.read(pending, source.keySerde, topic, true, records);
      this.read(pending, source.valueSerde, topic, false, records);
    }
    if (pending.length === 0) return undefined;
    return Promise.all(pending).then(() => undefined);
  }

  private read(
    pending: Promise<void>[],
    serde: Serde<unknown>,
    topic: string,
    isKey: boolean,
    records: readonly SerializedRecord[],
  ): void {
    if (serde.prepare === undefined) return;
    const request: SerdePrepareRequest = { mode: 'read', topic, isKey, records };
    const p = serde.prepare(request);
    if (p !== undefined) pending.push(p);
  }

  private sourceOf(topic: string): SourceNode | null {
    let source = this.sources.get(topic);
    if (source === undefined) {
      source =
        this.patternSources.find((s) => {
          s.pattern!.lastIndex = 0;
          return s.pattern!.test(topic);
        }) ?? null;
      this.sources.set(topic, source);
    }
    return source;
  }
}
