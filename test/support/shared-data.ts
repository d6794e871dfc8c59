import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Absolute path of the team's read-only data folder `../shared/data` (beside the repo), or null
 * when it is absent (then tests that need it skip with a clear message). `LUNG_BURDEN_DATA`
 * overrides the location.
 */
export function sharedDataDir(): string | null {
  const dir = process.env['LUNG_BURDEN_DATA'] ?? resolve(REPO_ROOT, '..', 'shared', 'data');
  return existsSync(dir) ? dir : null;
}

/** Message used when a test skips because the shared data is missing. */
export const SHARED_DATA_MISSING = '../shared/data absent: test needs the team data set (see README)';
