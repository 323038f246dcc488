import type { PipeStep, Scenario, Step } from './Scenario.js';

/** Handcrafted scenarios: the edges of each operator family (boundaries, ties, nulls, lateness, deletes). */

const p = (pipe: string, key: string | null, value: string | null, ts: number): PipeStep => ({
  pipe,
  key,
  value,
  ts,
});
const adv = (ms: number): Step => ({ advance: ms });
const inp = (key: string | null, value: string | null, ts: number) => p('in', key, value, ts);

/** Steps shared by every single-stream aggregation: nulls, ties, window boundaries, late and very late records. */
const streamEdges: Record<string, Step[]> = {
  'nulls-and-ties': [
    inp('k1', 'a1', 1),
    inp('k1', null, 1),
    inp(null, 'a2', 1),
    inp('k2', 'b1', 1),
    inp('k1', 'a2', 2),
    inp('k2', null, 3),
  ],
  boundaries: [
    inp('k1', 'a1', 0),
    inp('k1', 'a2', 9),
    inp('k1', 'b1', 10),
    inp('k2', 'b2', 14),
    inp('k1', 'c1', 15),
    inp('k1', 'c3', 4),
    inp('k1', 'a1', 5),
    inp('k2', 'b3', 20),
    inp('k1', 'b3', 9),
    inp('k1', 'a2', 10),
    inp('k2', 'c1', 40),
    inp('k1', 'a1', 30),
    inp('k1', 'a2', 29),
  ],
  'out-of-order': [
    inp('k1', 'a1', 20),
    inp('k1', 'a2', 12),
    inp('k2', 'b1', 18),
    inp('k1', 'b2', 16),
    inp('k2', 'b3', 25),
    inp('k1', 'c1', 13),
    inp('k1', 'c3', 19),
    inp('k2', 'a1', 11),
    inp('k3', 'a2', 33),
    inp('k1', 'b1', 26),
    inp('k1', 'b2', 27),
  ],
  'same-end-keys': [
    inp('k3', 'a1', 2),
    inp('k1', 'a2', 3),
    inp('k2', 'b1', 1),
    inp('k3', 'b2', 12),
    inp('k1', 'b3', 12),
    inp('k2', 'c1', 30),
    inp('k1', 'c3', 31),
    inp('k3', 'a1', 60),
  ],
  sessions: [
    inp('k1', 'a1', 0),
    inp('k1', 'a2', 10),
    inp('k1', 'b1', 5),
    inp('k1', 'b2', 20),
    inp('k1', 'b3', 26),
    inp('k2', 'c1', 28),
    inp('k1', 'c3', 14),
    inp('k1', 'a1', 12),
    inp('k2', 'a2', 40),
    inp('k1', 'b1', 30),
    inp('k2', 'b2', 43),
    inp('k1', 'c1', 70),
  ],
  'session-boundary': [
    inp('k1', 'a1', 10),
    inp('k2', 'b1', 18),
    inp('k1', 'a2', 15),
    inp('k2', 'b2', 23),
    inp('k1', 'a1', 2),
    inp('k2', 'b3', 26),
    inp('k1', 'c1', 0),
    inp('k1', 'a2', 1),
  ],
  'wall-clock': [
    inp('k1', 'a1', 1),
    adv(1000),
    inp('k1', 'a2', 30),
    adv(1000),
    inp('k2', 'b1', 60),
    adv(2000),
  ],
};

const t = (key: string | null, value: string | null, ts: number) => p('table', key, value, ts);
const t2 = (key: string | null, value: string | null, ts: number) => p('table2', key, value, ts);
const l = (key: string | null, value: string | null, ts: number) => p('left', key, value, ts);
const r = (key: string | null, value: string | null, ts: number) => p('right', key, value, ts);
const g = (key: string | null, value: string | null, ts: number) => p('global', key, value, ts);

const tableEdges: Record<string, Step[]> = {
  'updates-moves-deletes': [
    t('k1', 'a1', 1),
    t('k2', 'a2', 2),
    t('k1', 'a3', 3),
    t('k1', 'b1', 4),
    t('k2', null, 5),
    t('k3', 'c3', 3),
    t('k3', 'c3', 6),
    t('k1', null, 2),
    t('k1', null, 7),
    t(null, 'a1', 8),
    t('k2', 'b2', 9),
    t('k3', 'b3', 10),
  ],
};

const tableJoinEdges: Record<string, Step[]> = {
  'both-sides': [
    t('k1', 'a1', 1),
    t2('k1', 'r1', 5),
    t('k1', 'a2', 3),
    t2('k2', 'r2', 2),
    t('k2', 'b1', 8),
    t2('k1', null, 9),
    t2('k1', null, 10),
    t('k1', null, 4),
    t2('k2', 'r3', 1),
    t('k3', null, 2),
    t2('k3', null, 2),
  ],
};

const fkEdges: Record<string, Step[]> = {
  subscriptions: [
    t('k1', 'a1', 1),
    t2('a', 'r1', 5),
    t('k2', 'a2', 3),
    t2('b', 'r2', 2),
    t('k1', 'b1', 8),
    t2('a', 'r3', 4),
    t2('c', null, 9),
    t('k3', 'c1', 6),
    t2('c', null, 10),
    t2('b', null, 7),
    t('k2', null, 11),
    t2('a', null, 12),
    t('k1', 'b1', 13),
    t2('b', 'r1', 1),
  ],
};

const streamJoinEdges: Record<string, Step[]> = {
  windows: [
    l('k1', 'a1', 10),
    r('k1', 'r1', 15),
    r('k1', 'r2', 5),
    r('k1', 'r3', 4),
    l('k1', 'a2', 16),
    l('k2', 'b1', 10),
    r('k2', 'r1', 10),
    l('k2', 'b2', 10),
    l('k3', 'c1', 12),
    r('k3', 'r2', 30),
    l('k1', 'a1', 40),
    r('k1', null, 41),
    l(null, 'a2', 42),
    r('k2', 'r3', 60),
  ],
  // Two waiting left records with one key and timestamp (k2 @19): Kafka scans them value by value, so its scan
  // stops there once both sides are open (found by seed 51 of ss-outer).
  'waiting-duplicates': [
    r('k3', null, 0),
    r('k1', 'r3', 17),
    l('k2', 'c1', 14),
    r('k3', 'r3', 6),
    r('k1', 'r2', 19),
    l('k2', 'b1', 19),
    l('k2', 'b2', 19),
    l('k3', 'c3', 21),
    l(null, 'b3', 21),
    r('k1', 'r2', 23),
    r('k1', null, 15),
    l('k1', 'a2', 14),
    l('k2', 'a1', 23),
    r('k1', 'r1', 25),
    l('k2', 'b3', 26),
    l('k3', 'a2', 17),
    r('k1', 'r2', 26),
    l('k3', 'b1', 27),
    l('k3', 'c3', 28),
    l('k1', 'b3', 27),
    l('k3', 'c1', 30),
  ],
  'same-key-ties': [
    l('k1', 'a1', 5),
    l('k1', 'a2', 5),
    l('k1', 'a1', 5),
    r('k2', 'r1', 5),
    r('k2', 'r2', 5),
    l('k2', 'b1', 20),
    r('k1', 'r3', 30),
    l('k3', 'c1', 40),
  ],
};

const streamTableEdges: Record<string, Step[]> = {
  lookups: [
    l('k1', 'a1', 5),
    t('k1', 'a2', 6),
    l('k1', 'b1', 4),
    l('k2', 'b2', 7),
    t('k1', null, 8),
    l('k1', 'c1', 9),
    l(null, 'c3', 10),
    l('k1', null, 11),
    t('k2', 'b3', 1),
    l('k2', 'a1', 2),
  ],
};

const globalEdges: Record<string, Step[]> = {
  lookups: [
    l('k1', 'a1', 5),
    g('a', 'r1', 6),
    l('k1', 'a2', 4),
    l('k2', 'b2', 7),
    g('a', null, 8),
    l('k1', 'a1', 9),
    l('k3', null, 10),
    g('b', 'r2', 1),
    l('k2', 'b1', 2),
  ],
};

const families: [readonly string[], Record<string, Step[]>][] = [
  [
    [
      'stateless',
      'split-merge',
      'count',
      'reduce',
      'aggregate',
      'groupby-count',
      'tumbling',
      'tumbling-count',
      'hopping',
      'sliding',
      'session',
      'session-count',
      'tumbling-final',
      'hopping-final',
      'sliding-final',
      'session-final',
      'tumbling-suppress',
      'session-suppress',
      'time-limit-suppress',
    ],
    streamEdges,
  ],
  [['table-ops', 'table-groupby-aggregate', 'table-groupby-count', 'table-groupby-reduce'], tableEdges],
  [['tt-inner', 'tt-left', 'tt-outer'], tableJoinEdges],
  [['fk-inner', 'fk-left'], fkEdges],
  [['ss-inner', 'ss-left', 'ss-outer'], streamJoinEdges],
  [['st-inner', 'st-left'], streamTableEdges],
  [['sg-inner', 'sg-left'], globalEdges],
];

/** The handcrafted scenarios of a topology. */
export function edgeScenarios(topology: string): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const [names, edges] of families) {
    if (!names.includes(topology)) continue;
    for (const [name, steps] of Object.entries(edges))
      scenarios.push({ id: `${topology}/${name}`, topology, steps });
  }
  return scenarios;
}
