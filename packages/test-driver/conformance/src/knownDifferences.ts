/**
 * Topologies whose conformance test is skipped, with the difference from Kafka Streams that is still open.
 * Empty: every topology of the suite matches Kafka Streams 4.3.1. An entry goes here only while a fix is under
 * way; packages/dsl/README.md lists the deliberate differences the suite does not exercise.
 */
export const knownDifferences: ReadonlyMap<string, string> = new Map<string, string>([]);
