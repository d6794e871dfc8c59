// Segmentation stress test (issue 14, "other sources"): the shipped lesion model's Dice on the
// labelled fixed validation slices (10 MedSeg slices, 3-class; the MA20 validation patients, binary
// lesion) as they are and altered as other sources make them: circular field of view (cut into the
// slice, or padded around it), no table,
// CLAHE-like contrast, the three together, another display curve or window, half resolution, JPEG
// quality 30, Gaussian noise, stored upside down + transposed. Each altered slice goes through
// `segment`'s own path for 8-bit images (segmentGray8: orientation classifier + heuristic, upright,
// body crop, mirror average, the bundle's decision rule); labels are altered with the image where
// the alteration moves or removes pixels. Reported per variant: mean per-slice Dice [95 % bootstrap
// interval] and the paired difference to the unaltered slices [95 % paired bootstrap interval],
// ours (empty vs empty = 1) and Inf-Net style (no true positive = 0). A measurement, not a ship rule.
// Usage: node --import tsx scripts/segment-stress.ts [--model <bundle dir>] [--json <file>]
//          [--ma-every <n>] [--limit <n>] [--threads <n>]
//   --model: default models/lung-burden-convlstm-fast; --ma-every n: every n-th MA20 validation slice
//   (file order, deterministic); --limit n: at most n slices per set. Needs ../shared/data.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { segmentGray8 } from '../electron/cli/segment-gray8.ts';
import { SegmentOrienter } from '../electron/cli/segment-orienter.ts';
import { InferenceService } from '../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../electron/services/inference/model-registry.ts';
import { orientationName, UPRIGHT, type StoredOrientation } from '../shared/imaging/slice-orientation.ts';
import { labelledValidationSets } from './labelled-validation-sets.ts';
import { EIGHT_BIT } from './orientation-sets.ts';
import { gammaCurve, gaussianNoise, halfResolution, jpegRecompress, otherWindow } from './site-variants.ts';
import { sliceDice, type ScoreName } from './stress-scores.ts';
import { BOOTSTRAP_SEED, markdownTable, summarise, type SetValues, type VariantReport } from './stress-table.ts';
import {
  allThree,
  circularFieldOfView,
  localContrast,
  noTable,
  paddedCircularFieldOfView,
  storedAs,
  type Variant,
} from './stress-variants.ts';

/** Seed of the noise variant (each slice: this seed and its index in its set). */
const NOISE_SEED = 14;
const STORED: StoredOrientation = { transposed: true, upsideDown: true, mirrored: false };

/** The variants, with the stored orientation each one hands to `segment`. */
const VARIANTS: readonly (readonly [string, Variant, StoredOrientation])[] = [
  ['as is', (s) => s, UPRIGHT],
  ['circular field of view (diameter 0.92 × shorter side)', circularFieldOfView, UPRIGHT],
  ['circular field of view around the image (padded)', paddedCircularFieldOfView, UPRIGHT],
  ['no table', noTable, UPRIGHT],
  ['CLAHE-like local contrast', localContrast, UPRIGHT],
  ['all three', allThree, UPRIGHT],
  ['display gamma 0.7', gammaCurve(0.7), UPRIGHT],
  ['display gamma 1.4', gammaCurve(1.4), UPRIGHT],
  ['window −600/1200 HU (grey × 1.25 − 10.6)', otherWindow(EIGHT_BIT, { center: -600, width: 1200 }), UPRIGHT],
  ['half resolution and back', halfResolution, UPRIGHT],
  ['JPEG quality 30', jpegRecompress(30), UPRIGHT],
  ['Gaussian noise σ 8 grey levels', gaussianNoise(8, NOISE_SEED), UPRIGHT],
  [`stored ${orientationName(STORED)}`, storedAs(STORED), STORED],
];

const lesionPixels = (labels: Uint8Array): number => labels.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);

function options(): { model: string; json: string | undefined; maEvery: number; limit: number | undefined; threads: number | undefined } {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      json: { type: 'string' },
      'ma-every': { type: 'string' },
      limit: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${v})`);
    return n;
  };
  return {
    model: resolve(values.model ?? resolve(import.meta.dirname, '..', 'models', 'lung-burden-convlstm-fast')),
    json: values.json,
    maEvery: int('ma-every', values['ma-every']) ?? 1,
    limit: int('limit', values.limit),
    threads: int('threads', values.threads),
  };
}

async function main(): Promise<void> {
  const o = options();
  const model = await loadModelBundle(o.model);
  const sets = labelledValidationSets({ maEvery: o.maEvery, ...(o.limit ? { limit: o.limit } : {}) });
  const win = model.metadata.preprocessing.eightBitWindow;
  const service = new InferenceService({ logger: (level, m) => level === 'warn' && console.error(`[inference] ${m}`) });
  // segment's per-image orientation lines would be thousands here; its QC lines (uncertain orientation) go to stderr
  let current = '';
  const log = (m: string): void => {
    if (m.includes(' QC: ')) console.error(`${current}: ${m}`);
  };
  const orienter = await SegmentOrienter.open({ fixed: null, bundleDir: undefined, log });
  const ctx = { orienter, service, model, centerHu: win.centerHu, widthHu: win.widthHu, ...(o.threads ? { threads: o.threads } : {}) };
  const values = new Map<string, Map<string, SetValues>>();
  const reports: VariantReport[] = [];
  try {
    for (const [name, variant, stored] of VARIANTS) {
      const t0 = performance.now();
      current = name;
      const bySet = new Map<string, SetValues>();
      let right = 0,
        n = 0;
      const truthKept: Record<string, number> = {};
      for (const set of sets) {
        const acc: SetValues = {};
        const kept: [number, number] = [0, 0];
        for (const [i, slice] of set.slices.entries()) {
          const s = variant(slice, i);
          if (!s.labels) throw new Error(`${name} lost the labels`);
          kept[0] += lesionPixels(s.labels);
          kept[1] += lesionPixels(slice.labels);
          const r = await segmentGray8(`${set.name.split(' ')[0] ?? ''} ${slice.id}`, s.gray, s.cols, s.rows, ctx);
          if (r.orientation.transposed === stored.transposed && r.orientation.upsideDown === stored.upsideDown) right++;
          n++;
          for (const [k, d] of Object.entries(sliceDice(r.labels, s.labels, set.threeClass)) as [
            ScoreName,
            { ours: number; infnet: number },
          ][]) {
            const a = (acc[k] ??= { ours: [], infnet: [] });
            a.ours.push(d.ours);
            a.infnet.push(d.infnet);
          }
        }
        bySet.set(set.name, acc);
        truthKept[set.name] = kept[0] / Math.max(1, kept[1]);
      }
      values.set(name, bySet);
      const reference = values.get(VARIANTS[0]![0])!;
      reports.push({
        variant: name,
        sets: Object.fromEntries(sets.map((set) => [set.name, summarise(bySet.get(set.name) ?? {}, reference.get(set.name) ?? {})])),
        orientationRight: right,
        truthKept,
        slices: n,
        msPerSlice: (performance.now() - t0) / Math.max(1, n),
      });
      console.error(`segment-stress: ${name}: ${n} slices, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await orienter.dispose();
    await service.dispose();
  }
  const [med, ma] = sets.map((s) => s.name) as [string, string];
  const columns: [string, ScoreName][] = [
    [med, 'ggo'],
    [med, 'highOpacity'],
    [med, 'lesion'],
    [ma, 'lesion'],
  ];
  const about =
    `Model ${model.metadata.name} ${model.metadata.version} through segment's path (${orienter.summary()}); ` +
    `${sets.map((s) => `${s.name}: ${s.slices.length} slices`).join(', ')}. ` +
    `Mean per-slice Dice [95 % bootstrap CI, 2,000 resamples, seed ${BOOTSTRAP_SEED}]; Δ: paired difference to "as is" [95 % paired bootstrap CI].`;
  console.log(`${about}\n\nOurs (a slice where neither map has the class scores 1):\n\n${markdownTable(reports, columns, 'ours')}\n`);
  console.log(`Inf-Net style (a slice with no true positive scores 0):\n\n${markdownTable(reports, columns, 'infnet')}`);
  if (o.json) {
    const perSlice = Object.fromEntries([...values].map(([v, bySet]) => [v, Object.fromEntries(bySet)]));
    const json = {
      model: { name: model.metadata.name, version: model.metadata.version, dir: model.dir },
      sets: sets.map((s) => ({ name: s.name, threeClass: s.threeClass, ids: s.slices.map((x) => x.id) })),
      bootstrap: { resamples: 2000, seed: BOOTSTRAP_SEED, level: 0.95 },
      noiseSeed: NOISE_SEED,
      reports,
      perSlice,
    };
    writeFileSync(o.json, JSON.stringify(json, null, 1));
  }
}

await main();
