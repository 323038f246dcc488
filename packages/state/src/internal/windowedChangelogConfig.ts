/** Extra time a windowed changelog keeps records beyond the store's retention (Kafka's default, 1 day). */
const CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The changelog topic configs of a window or session store: `cleanup.policy=compact,delete` and
 * `retention.ms` = store retention + 1 day, with `overrides` applied.
 */
export function windowedChangelogConfig(
  retentionMs: number,
  overrides: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return Object.freeze({
    'cleanup.policy': 'compact,delete',
    'retention.ms': String(retentionMs + CHANGELOG_ADDITIONAL_RETENTION_MS),
    ...overrides,
  });
}
