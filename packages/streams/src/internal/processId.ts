import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This instance's id, kept in `<state.dir>/<application.id>/process-id` so a restarted instance keeps it.
 * Transactional ids derive from it: a restart reuses them, which fences the crashed predecessor at once and
 * aborts its open transaction instead of waiting for the transaction timeout.
 */
export function processId(stateDir: string, applicationId: string): string {
  const dir = join(stateDir, applicationId);
  const file = join(dir, 'process-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  writeFileSync(file, `${id}\n`);
  return id;
}
