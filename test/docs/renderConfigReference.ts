import { StreamsConfig } from '@tributary/streams';

/** docs/configuration.md, from StreamsConfig.schema(). */
export function renderConfigReference(): string {
  const schema = StreamsConfig.schema();
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from StreamsConfig.schema() by test/docs/configReference.test.ts. Do not edit: change the',
    '     descriptions in packages/streams/src/StreamsConfig.ts, then run',
    '     npx vitest run --project unit test/docs/configReference.test.ts -u -->',
    '',
    'The settings `new KafkaStreams(topology, config)` accepts, by their Kafka Streams names. Values may be given',
    'as strings (`"100"`) or numbers. Any other key is an error that lists these.',
    '',
    ...table(
      ['setting', 'what it does'],
      schema.settings.map((s) => [`\`${s.key}\``, cell(s.doc)]),
    ),
    '',
    '## Kafka client settings',
    '',
    'librdkafka settings (see its CONFIGURATION.md) go to the clients under a prefix:',
    '',
    ...schema.clientPrefixes.map((p) => `- \`${p}\`…`),
    '',
    `Settings starting with ${schema.sharedClientPrefixes.map((p) => `\`${p}\``).join(', ')} go to every client as they are.`,
    '',
  ].join('\n');
}

/** A Markdown table with padded columns, as Biome formats it (so `biome check` leaves the file alone). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
