import { Serdes, type Windowed } from '@tributary/core';
import {
  Branched,
  BufferConfig,
  EmitStrategy,
  JoinWindows,
  type KStream,
  type KTable,
  Named,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  type StreamsBuilderOptions,
  Suppressed,
  TimeWindows,
  type Topology,
} from '@tributary/dsl';

/**
 * The conformance topologies, built with Tributary's DSL. Each has a twin of the same name in
 * ../java/src/main/java/dev/tributary/conformance/Topologies.java built with Kafka Streams' DSL: same operators,
 * same functions, same input topics, one output topic `out` of strings (windowed keys as `key@start/end`).
 */

/** What the random generator feeds a topology: its input topics, and the keys and values each takes. */
export interface TopologyInputs {
  readonly topics: readonly InputTopic[];
}

export interface InputTopic {
  readonly topic: string;
  readonly keys: readonly string[];
  readonly values: readonly string[];
}

export interface ConformanceTopology {
  readonly name: string;
  readonly inputs: readonly InputTopic[];
  readonly build: (options: StreamsBuilderOptions) => Topology;
}

const S = Serdes.String();
const SIZE = 10;
const GRACE = 5;

const KEYS = ['k1', 'k2', 'k3'];
const VALUES = ['a1', 'a2', 'b1', 'b2', 'b3', 'c1', 'c3'];
const GROUPS = ['a', 'b', 'c'];
const RIGHT_VALUES = ['r1', 'r2', 'r3'];

const IN: InputTopic = { topic: 'in', keys: KEYS, values: VALUES };
const LEFT: InputTopic = { topic: 'left', keys: KEYS, values: VALUES };
const RIGHT: InputTopic = { topic: 'right', keys: KEYS, values: RIGHT_VALUES };
const TABLE: InputTopic = { topic: 'table', keys: KEYS, values: VALUES };
const TABLE2: InputTopic = { topic: 'table2', keys: KEYS, values: RIGHT_VALUES };
const FK_RIGHT: InputTopic = { topic: 'table2', keys: GROUPS, values: RIGHT_VALUES };
const GLOBAL: InputTopic = { topic: 'global', keys: GROUPS, values: RIGHT_VALUES };

/** The first character of a value, its "group"; null for null. */
function head(v: string | null): string | null {
  return v === null ? null : v.slice(0, 1);
}

function agg(a: string, v: string | null): string {
  return `${a}+${v}`;
}

function render(wk: Windowed<string | null>): string {
  return `${wk.key}@${wk.window.start}/${wk.window.end}`;
}

function windowedOut<V>(table: KTable<Windowed<string>, V>): void {
  table
    .toStream()
    .map((wk, v) => ({ key: render(wk), value: v === null ? null : String(v) }))
    .to('out');
}

function out<K, V>(table: KTable<K, V>): void {
  table
    .toStream()
    .mapValues((v) => (v === null ? null : String(v)))
    .to('out');
}

function builder(options: StreamsBuilderOptions): StreamsBuilder {
  return new StreamsBuilder({ defaultKeySerde: S, defaultValueSerde: S, ...options });
}

type Build = (b: StreamsBuilder) => void;

const streamIn = (b: StreamsBuilder): KStream<string, string> => b.stream<string, string>('in');
const joiner = (a: string | null, c: string | null): string => `${a}/${c}`;

function ssJoin(kind: 'inner' | 'left' | 'outer'): Build {
  return (b) => {
    const l = b.stream<string, string>('left');
    const r = b.stream<string, string>('right');
    const w = JoinWindows.ofTimeDifferenceAndGrace(GRACE, 3);
    const j =
      kind === 'inner'
        ? l.join(r, joiner, w)
        : kind === 'left'
          ? l.leftJoin(r, joiner, w)
          : l.outerJoin(r, joiner, w);
    j.to('out');
  };
}

function ttJoin(kind: 'inner' | 'left' | 'outer'): Build {
  return (b) => {
    const l = b.table<string, string>('table');
    const r = b.table<string, string>('table2');
    out(
      kind === 'inner' ? l.join(r, joiner) : kind === 'left' ? l.leftJoin(r, joiner) : l.outerJoin(r, joiner),
    );
  };
}

const catalogue: readonly [string, readonly InputTopic[], Build][] = [
  [
    'stateless',
    [IN],
    (b) => {
      streamIn(b)
        .filterNot((_k, v) => v?.startsWith('c') === true)
        .flatMapValues((v): (string | null)[] => (v === null ? [null] : [v, `${v}'`]))
        .mapValues((v, k) => `${k}:${v}`)
        .peek(() => {})
        .selectKey((_k, v) => v.slice(v.length - 1))
        .map((k, v) => ({ key: v, value: k }))
        .to('out');
    },
  ],
  [
    'split-merge',
    [IN],
    (b) => {
      const branches = streamIn(b)
        .split(Named.as('s-'))
        .branch(
          (_k, v) => v?.startsWith('a') === true,
          Branched.withFunction((s) => s.mapValues((v) => `A${v}`), 'a'),
        )
        .branch((_k, v) => v?.startsWith('b') === true, Branched.as('b'))
        .defaultBranch(Branched.withFunction((s) => s.filter((k) => k !== null), 'rest'));
      branches
        .get('s-a')!
        .merge(branches.get('s-b')!)
        .merge(branches.get('s-rest')!)
        .flatMap((k, v) => {
          const r: { key: string | null; value: string | null }[] = [];
          if (v?.endsWith('1') === true) return r;
          r.push({ key: v, value: k });
          if (v?.endsWith('2') === true) r.push({ key: k, value: v });
          return r;
        })
        .to('out');
    },
  ],
  ['count', [IN], (b) => out(streamIn(b).groupByKey().count())],
  ['reduce', [IN], (b) => out(streamIn(b).groupByKey().reduce(agg))],
  [
    'aggregate',
    [IN],
    (b) =>
      out(
        streamIn(b)
          .groupByKey()
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          ),
      ),
  ],
  [
    'groupby-count',
    [IN],
    (b) =>
      out(
        streamIn(b)
          .groupBy((_k, v) => head(v))
          .count(),
      ),
  ],
  [
    'tumbling',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          ),
      ),
  ],
  [
    'tumbling-count',
    [IN],
    (b) => windowedOut(streamIn(b).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE)).count()),
  ],
  [
    'hopping',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 3).advanceBy(4)).reduce(agg),
      ),
  ],
  [
    'sliding',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(SIZE, GRACE))
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          ),
      ),
  ],
  [
    'session',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, 3))
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
            (_k, a1, a2) => `${a1}&${a2}`,
          ),
      ),
  ],
  [
    'session-count',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b).groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(GRACE)).count(),
      ),
  ],
  [
    'tumbling-final',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
          .emitStrategy(EmitStrategy.onWindowClose())
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          ),
      ),
  ],
  [
    'hopping-final',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 3).advanceBy(4))
          .emitStrategy(EmitStrategy.onWindowClose())
          .count(),
      ),
  ],
  [
    'sliding-final',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(SIZE, GRACE))
          .emitStrategy(EmitStrategy.onWindowClose())
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          ),
      ),
  ],
  [
    'session-final',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, 3))
          .emitStrategy(EmitStrategy.onWindowClose())
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
            (_k, a1, a2) => `${a1}&${a2}`,
          ),
      ),
  ],
  [
    'tumbling-suppress',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
          .aggregate(
            () => '',
            (_k, v, a) => agg(a, v),
          )
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())),
      ),
  ],
  [
    'session-suppress',
    [IN],
    (b) =>
      windowedOut(
        streamIn(b)
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, 3))
          .count()
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())),
      ),
  ],
  [
    'time-limit-suppress',
    [IN],
    (b) =>
      out(
        streamIn(b)
          .groupByKey()
          .reduce(agg)
          .suppress(Suppressed.untilTimeLimit(SIZE, BufferConfig.unbounded())),
      ),
  ],
  [
    'table-ops',
    [TABLE],
    (b) =>
      out(
        b
          .table<string, string>('table')
          .filter((_k, v) => !v.startsWith('c'))
          .mapValues((v, k) => `${k}=${v}`)
          .filterNot((_k, v) => v.endsWith('3')),
      ),
  ],
  [
    'table-groupby-aggregate',
    [TABLE],
    (b) =>
      out(
        b
          .table<string, string>('table')
          .groupBy((k, v) => ({ key: head(v), value: `${k}${v}` }))
          .aggregate(
            () => '',
            (_k, v, a) => `${a}+${v}`,
            (_k, v, a) => `${a}-${v}`,
          ),
      ),
  ],
  [
    'table-groupby-count',
    [TABLE],
    (b) =>
      out(
        b
          .table<string, string>('table')
          .groupBy((_k, v) => ({ key: head(v), value: v }))
          .count(),
      ),
  ],
  [
    'table-groupby-reduce',
    [TABLE],
    (b) =>
      out(
        b
          .table<string, string>('table')
          .groupBy((k, v) => ({ key: v.slice(1), value: k }))
          .reduce(
            (a, v) => `${a}+${v}`,
            (a, v) => `${a}-${v}`,
          ),
      ),
  ],
  ['ss-inner', [LEFT, RIGHT], ssJoin('inner')],
  ['ss-left', [LEFT, RIGHT], ssJoin('left')],
  ['ss-outer', [LEFT, RIGHT], ssJoin('outer')],
  [
    'st-inner',
    [LEFT, TABLE],
    (b) => b.stream<string, string>('left').join(b.table<string, string>('table'), joiner).to('out'),
  ],
  [
    'st-left',
    [LEFT, TABLE],
    (b) => b.stream<string, string>('left').leftJoin(b.table<string, string>('table'), joiner).to('out'),
  ],
  ['tt-inner', [TABLE, TABLE2], ttJoin('inner')],
  ['tt-left', [TABLE, TABLE2], ttJoin('left')],
  ['tt-outer', [TABLE, TABLE2], ttJoin('outer')],
  [
    'fk-inner',
    [TABLE, FK_RIGHT],
    (b) => out(b.table<string, string>('table').join(b.table<string, string>('table2'), head, joiner)),
  ],
  [
    'fk-left',
    [TABLE, FK_RIGHT],
    (b) => out(b.table<string, string>('table').leftJoin(b.table<string, string>('table2'), head, joiner)),
  ],
  [
    'sg-inner',
    [LEFT, GLOBAL],
    (b) =>
      b
        .stream<string, string>('left')
        .join(b.globalTable<string, string>('global'), (_k, v) => head(v), joiner)
        .to('out'),
  ],
  [
    'sg-left',
    [LEFT, GLOBAL],
    (b) =>
      b
        .stream<string, string>('left')
        .leftJoin(b.globalTable<string, string>('global'), (_k, v) => head(v), joiner)
        .to('out'),
  ],
];

/** Every conformance topology, by name. */
export const topologies: ReadonlyMap<string, ConformanceTopology> = new Map(
  catalogue.map(([name, inputs, build]) => [
    name,
    {
      name,
      inputs,
      build: (options: StreamsBuilderOptions) => {
        const b = builder(options);
        build(b);
        return b.build();
      },
    },
  ]),
);
