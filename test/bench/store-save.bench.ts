// The store's save of a 512×512×300 lesion map (full map vs patch, same run) and the former
// main-thread leftovers (inline vs off the main thread, same run), without the import + AI load of
// the main-thread bench (which runs the same measures after its loaded section). One JSON object.
//   npm run bench -- store-save
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureEncodeCpu, measureLeftovers, measureStoreSave } from './main-thread-store.ts';

const root = mkdtempSync(join(tmpdir(), 'lb-bench-save-'));
try {
  const storeSaveMs = await measureStoreSave(join(root, 'store'));
  const encodeCpu = await measureEncodeCpu();
  const leftovers = await measureLeftovers(join(root, 'leftovers'));
  console.log(
    JSON.stringify({
      bench: 'store-save',
      storeSaveMs,
      encodeCpu,
      leftovers,
      goals: { storeSaveMs: 20, longestTaskMs: 100 },
      loadavg1: +loadavg()[0]!.toFixed(2),
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
