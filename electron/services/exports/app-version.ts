import { readFileSync } from 'node:fs';
import { APP_ROOT } from '../../app/paths.ts';
import { join } from 'node:path';

/** The application version from package.json (written into exported objects). */
export const APP_VERSION: string = (() => {
  try {
    const v = (JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
