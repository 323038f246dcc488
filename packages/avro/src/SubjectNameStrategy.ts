/**
 * Chooses the registry subject of a topic's keys or values. `recordName` is the writer schema's full name
 * (namespace.name), or undefined for a schema that is not a named type.
 */
export type SubjectNameStrategy = (topic: string, isKey: boolean, recordName: string | undefined) => string;

function requireName(strategy: string, recordName: string | undefined): string {
  if (recordName === undefined) {
    throw new TypeError(
      `the ${strategy} subject name strategy needs a named schema (record, enum or fixed); use topicName for others`,
    );
  }
  return recordName;
}

/** Confluent's three strategies. */
export const SubjectNameStrategies = {
  /** `<topic>-key` / `<topic>-value`: one schema lineage per topic (the default). */
  topicName: ((topic, isKey) => `${topic}-${isKey ? 'key' : 'value'}`) satisfies SubjectNameStrategy,
  /** The record's full name: one lineage per record type, shared by every topic carrying it. */
  recordName: ((_topic, _isKey, recordName) =>
    requireName('recordName', recordName)) satisfies SubjectNameStrategy,
  /** `<topic>-<record full name>`: several record types per topic, each with its own lineage. */
  topicRecordName: ((topic, _isKey, recordName) =>
    `${topic}-${requireName('topicRecordName', recordName)}`) satisfies SubjectNameStrategy,
} as const;
