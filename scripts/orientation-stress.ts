// The orientation estimates on the fixed validation sets made to look like "other sources": each
// upright slice is altered (circular field of view; everything outside the body box blanked — no
// table; CLAHE-like local contrast; the three together), then stored in each of the 8 orientations;
// reported: right up to left–right for the heuristic and the classifier on the same images. A stress
// test, not the ship rule (that is scripts/orientation-confusion.ts on the unaltered slices).
// Usage: node --import tsx scripts/orientation-stress.ts [--classifier <bundle dir>]   (needs ../shared/data)
import { resolve } from 'node:path';
import { eightBitToVolume } from '../electron/cli/segment-command.ts';
import { findOrientNetBundle, OrientNetSession } from '../electron/services/orientation/orient-net-session.ts';
import { bodyBoundingBox } from '../shared/inference/body-crop-box.ts';
import { decideStoredOrientation } from '../shared/imaging/orientation-decision.ts';
import { ALL_ORIENTATIONS, estimateStoredOrientation, fromUpright } from '../shared/imaging/slice-orientation.ts';
import { EIGHT_BIT, validationSets, type UprightSlice } from './orientation-sets.ts';

type Variant = (s: UprightSlice) => UprightSlice;

/** Outside a centred circle of diameter 0.92 × the shorter side: 0 (black), as scanners pad a round reconstruction. */
const circle: Variant = (s) => {
  const r = 0.46 * Math.min(s.cols, s.rows);
  const gray = s.gray.map((v, p) => (((p % s.cols) - s.cols / 2) ** 2 + (Math.floor(p / s.cols) - s.rows / 2) ** 2 <= r * r ? v : 0));
  return { ...s, gray };
};

/** Everything outside the body's bounding box (largest region ≥ −500 HU, 2 px margin) blanked: no table, no cables. */
const noTable: Variant = (s) => {
  const hu = eightBitToVolume(s.gray, s.cols, s.rows, EIGHT_BIT.center, EIGHT_BIT.width).data;
  const b = bodyBoundingBox(hu, 0, s.cols, s.rows, -500);
  const gray = s.gray.map((v, p) => {
    const x = p % s.cols,
      y = Math.floor(p / s.cols);
    return x >= b.c0 - 2 && x <= b.c1 + 2 && y >= b.r0 - 2 && y <= b.r1 + 2 ? v : 0;
  });
  return { ...s, gray };
};

/** CLAHE-like: x + (x − box mean over a (2r+1)² window), r = 1/16 of the shorter side, clipped to 0..255. */
const localContrast: Variant = (s) => {
  const { cols, rows } = s;
  const r = Math.max(2, Math.round(Math.min(cols, rows) / 16));
  const sum = new Float64Array((cols + 1) * (rows + 1));
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++)
      sum[(y + 1) * (cols + 1) + x + 1] =
        s.gray[y * cols + x]! + sum[y * (cols + 1) + x + 1]! + sum[(y + 1) * (cols + 1) + x]! - sum[y * (cols + 1) + x]!;
  const gray = new Uint8Array(cols * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const y0 = Math.max(0, y - r),
        y1 = Math.min(rows, y + r + 1),
        x0 = Math.max(0, x - r),
        x1 = Math.min(cols, x + r + 1);
      const mean =
        (sum[y1 * (cols + 1) + x1]! - sum[y0 * (cols + 1) + x1]! - sum[y1 * (cols + 1) + x0]! + sum[y0 * (cols + 1) + x0]!) /
        ((y1 - y0) * (x1 - x0));
      const v = s.gray[y * cols + x]!;
      gray[y * cols + x] = Math.max(0, Math.min(255, Math.round(v + (v - mean))));
    }
  return { ...s, gray };
};

const VARIANTS: [string, Variant][] = [
  ['unaltered', (s) => s],
  ['circular field of view', circle],
  ['no table (outside body box blanked)', noTable],
  ['CLAHE-like local contrast', localContrast],
  ['all three', (s) => localContrast(circle(noTable(s)))],
];

async function main(): Promise<void> {
  const i = process.argv.indexOf('--classifier');
  const bundle = await findOrientNetBundle(...(i > 0 && process.argv[i + 1] ? [resolve(process.argv[i + 1]!)] : []));
  if (!bundle) throw new Error('no orientation classifier bundle');
  const clf = await OrientNetSession.open(bundle, 1);
  const sets = await validationSets();
  const lines = ['| variant | set | slices | heuristic | classifier |', '|---|---|---|---|---|'];
  for (const [vName, variant] of VARIANTS)
    for (const [sName, slices] of sets) {
      let h = 0,
        c = 0;
      for (const up0 of slices) {
        const up = variant(up0);
        const stored = ALL_ORIENTATIONS.map((o) => {
          const s = fromUpright(up.gray, up.cols, up.rows, o);
          return { o, vol: eightBitToVolume(s.data, s.cols, s.rows, EIGHT_BIT.center, EIGHT_BIT.width), cols: s.cols, rows: s.rows };
        });
        const probs = await clf.classify(stored.map((s) => s.vol));
        stored.forEach((s, j) => {
          const est = estimateStoredOrientation(s.vol.data, s.cols, s.rows);
          const d = decideStoredOrientation(s.vol.data, s.cols, s.rows, est, probs[j]!);
          const same = (x: { transposed: boolean; upsideDown: boolean }): boolean =>
            x.transposed === s.o.transposed && x.upsideDown === s.o.upsideDown;
          if (same(est.orientation)) h++;
          if (same(d.orientation)) c++;
        });
      }
      const n = slices.length * 8;
      lines.push(`| ${vName} | ${sName} | ${slices.length} | ${((100 * h) / n).toFixed(1)} % | ${((100 * c) / n).toFixed(1)} % |`);
    }
  await clf.release();
  console.log(`Right up to left–right, every slice in the 8 orientations; classifier ${clf.label}.\n\n${lines.join('\n')}`);
}

await main();
