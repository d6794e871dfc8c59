import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';

/** Root of the application files (repository root in development). */
export const APP_ROOT = process.env['LUNG_BURDEN_APP_ROOT'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled, redistributable synthetic sample case (made by scripts/make-sample-case.ts). */
export const SAMPLE_CASE_PATH = join(APP_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');

/**
 * Default user data folder of CLI and browser mode (`LUNG_BURDEN_DATA_DIR` overrides). Electron
 * uses `app.getPath('userData')` instead.
 */
export function defaultDataDir(): string {
  if (process.env['LUNG_BURDEN_DATA_DIR']) return resolve(process.env['LUNG_BURDEN_DATA_DIR']);
  const base = process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(base, 'lung-burden');
}
