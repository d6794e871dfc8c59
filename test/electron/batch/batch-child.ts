/**
 * Child of batch-safety.test.ts: waits until `startAt` (epoch ms) and runs a batch of `root` into
 * `out` (no model); prints one JSON line: `{ok: true, processed}` or `{ok: false, error, message}`.
 * Usage: batch-child.ts <root> <out> <dataDir> <startAt>
 */
import { runBatch } from '../../../electron/services/batch/run-batch.ts';

const [root, out, dataDir, startAt] = process.argv.slice(2);
if (!root || !out || !dataDir || !startAt) throw new Error('usage: batch-child.ts <root> <out> <dataDir> <startAt>');
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
try {
  const s = await runBatch({ root, outDir: out, jobs: 1, dataDir, model: null });
  process.stdout.write(`${JSON.stringify({ ok: true, processed: s.processed, done: s.done })}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: (e as Error).name, message: (e as Error).message })}\n`);
}
