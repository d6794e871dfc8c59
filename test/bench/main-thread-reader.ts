/**
 * The reader of the main-thread bench (`main-thread.bench.ts`), in its own thread so its work does
 * not block the measured one, talking HTTP to the loopback bridge as the renderer does: it scrolls
 * (`cases.get` every 250 ms, `cases.labelBytes` of its version every 2 s, as when switching
 * versions) and saves a brush stroke every 2 s, then `autosave.discard` and `cases.get` as the
 * review screen does. Saves alternate between the two paths, same case, same kind of edit:
 * - `fullMap`: the whole label map to `cases.saveLesionLabels` (the review screen before);
 * - `patch`: the changed blocks to `labelPatches.saveLesionPatch` with the sha256 of the full map
 *   (the review screen now: `ChangedBlocks` as the edit session keeps them, the digest included in
 *   the time). Each save's time is request → reply as the reader sees it; its window (epoch ms) goes
 *   back so the bench can find the main thread's longest task during saves of each path.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { ChangedBlocks } from '../../shared/imaging/mask-tools/changed-blocks.ts';

export type SavePath = 'fullMap' | 'patch';
export interface ReaderReport {
  readonly saveMs: Record<SavePath, number[]>;
  /** Parts of each save: the reader's own work (patch + sha256), the save call, the discard + get after it. */
  readonly phases: Record<SavePath, { client: number[]; call: number[]; after: number[] }>;
  readonly windows: { path: SavePath; from: number; to: number }[];
  readonly scrollMs: number[];
  readonly errors: string[];
}

const port = parentPort;
if (!port) throw new Error('main-thread-reader.ts runs as a worker thread');
const { origin, token, caseId, voxels, size } = workerData as {
  origin: string;
  token: string;
  caseId: number;
  voxels: number;
  size: [number, number, number];
};
let parent = (workerData as { parent: number | null }).parent;
const labels = new Uint8Array(voxels);
const blocks = new ChangedBlocks(voxels);
const report: ReaderReport = {
  saveMs: { fullMap: [], patch: [] },
  phases: { fullMap: { client: [], call: [], after: [] }, patch: { client: [], call: [], after: [] } },
  windows: [],
  scrollMs: [],
  errors: [],
};
const state = { stop: false };
port.on('message', () => {
  state.stop = true;
});

async function rpc(channel: string, args: unknown[], bytes?: Uint8Array): Promise<unknown> {
  const headers: Record<string, string> = { 'x-lb-token': token };
  let body: BodyInit;
  if (bytes) {
    headers['content-type'] = 'application/octet-stream';
    headers['x-lb-args'] = JSON.stringify(args.map((a) => (a === bytes ? { $binary: true } : a)));
    body = bytes as Uint8Array<ArrayBuffer>;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(args);
  }
  const res = await fetch(`${origin}/rpc/${channel}`, { method: 'POST', headers, body });
  if ((res.headers.get('content-type') ?? '').startsWith('application/octet-stream')) return new Uint8Array(await res.arrayBuffer());
  const j = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (!res.ok || j.error) throw new Error(`${channel}: ${j.error ? j.error.message : res.status}`);
  return j.result;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const epoch = (): number => performance.timeOrigin + performance.now();

if (parent !== null) labels.set((await rpc('cases.labelBytes', [parent])) as Uint8Array);
const [nI, nJ, nK] = size;
let nextSave = performance.now() + 2000;
let stroke = 0;
let tick = 0;
while (!state.stop) {
  try {
    let t = performance.now();
    await rpc('cases.get', [caseId]);
    if (parent !== null && tick++ % 8 === 0) await rpc('cases.labelBytes', [parent]);
    report.scrollMs.push(performance.now() - t);
    if (performance.now() >= nextSave) {
      // a brush stroke: 40 rows × 50 voxels on one slice, marked as the edit session marks it
      const k = Math.min(nK - 1, 20 + (stroke++ % 80));
      const base = k * nI * nJ;
      const touched: number[] = [];
      for (let j = 200; j < 240; j++) {
        labels.fill(1 + (stroke % 2), base + j * nI + 150, base + j * nI + 200);
        for (let i = 150; i < 200; i++) touched.push(base + j * nI + i);
      }
      blocks.mark(touched);
      const path: SavePath = stroke % 2 === 0 ? 'fullMap' : 'patch';
      const from = epoch();
      t = performance.now();
      const taken = blocks.take();
      let v: { id: number };
      const ph = report.phases[path];
      let t1 = t;
      if (path === 'fullMap') {
        v = (await rpc('cases.saveLesionLabels', [caseId, labels, parent, ''], labels)) as { id: number };
      } else {
        const patch = blocks.patchOf(labels, taken);
        const sha256 = createHash('sha256').update(labels).digest('hex');
        t1 = performance.now();
        v = (await rpc('labelPatches.saveLesionPatch', [caseId, patch, parent, sha256, ''], patch)) as { id: number };
      }
      const t2 = performance.now();
      await rpc('autosave.discard', [caseId]);
      await rpc('cases.get', [caseId]);
      report.saveMs[path].push(performance.now() - t);
      ph.client.push(t1 - t);
      ph.call.push(t2 - t1);
      ph.after.push(performance.now() - t2);
      report.windows.push({ path, from, to: epoch() });
      parent = v.id;
      nextSave = performance.now() + 2000;
    }
  } catch (e) {
    report.errors.push(String(e instanceof Error ? e.message : e));
  }
  await sleep(250);
}
port.postMessage(report);
