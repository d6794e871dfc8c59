import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes the entries of `dir` not modified for `maxAgeMs` (leftovers of exports or uploads of a
 * process that crashed). Age-based, not all: another process on the same data folder may be
 * using its own fresh entries. Missing folder or entries that vanish meanwhile are fine.
 */
export function sweepStale(dir: string, maxAgeMs: number, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const p = join(dir, name);
    try {
      if (now - statSync(p).mtimeMs > maxAgeMs) {
        rmSync(p, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // removed by its owner meanwhile
    }
  }
  return removed;
}
