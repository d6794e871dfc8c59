// Accuracy of the stored-orientation estimate (shared/imaging/slice-orientation.ts) on real 8-bit
// slices: every slice is brought upright, then stored in each of the 8 orientations (D4), and the
// estimate is tallied against the truth — per set, per patient (MA20 runs of its PROVENANCE.md;
// MedSeg has no patient ids) and per factor (transpose, upside down, mirrored).
// Usage: node --import tsx scripts/orientation-confusion.ts [--json out.json]
// Needs ../shared/data (or $LUNG_BURDEN_DATA).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeGray8, eightBitToVolume } from '../electron/cli/segment-command.ts';
import {
  ALL_ORIENTATIONS,
  estimateStoredOrientation,
  fromUpright,
  orientationIndex,
  orientationName,
  transposeImage,
} from '../shared/imaging/slice-orientation.ts';

const DATA = process.env['LUNG_BURDEN_DATA'] ?? resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const ROOT = resolve(import.meta.dirname, '..');

interface Tally {
  confusion: number[][]; // [true][estimated], indices of ALL_ORIENTATIONS
  n: number;
  allRight: number;
  transposeRight: number;
  upsideDownRight: number;
  mirroredRight: number;
}

const newTally = (): Tally => ({
  confusion: ALL_ORIENTATIONS.map(() => ALL_ORIENTATIONS.map(() => 0)),
  n: 0,
  allRight: 0,
  transposeRight: 0,
  upsideDownRight: 0,
  mirroredRight: 0,
});

function tallySlice(t: Tally, upright: Uint8Array, cols: number, rows: number): void {
  for (const o of ALL_ORIENTATIONS) {
    const s = fromUpright(upright, cols, rows, o);
    const est = estimateStoredOrientation(eightBitToVolume(s.data, s.cols, s.rows, -500, 1500).data, s.cols, s.rows).orientation;
    t.confusion[orientationIndex(o)]![orientationIndex(est)]!++;
    t.n++;
    if (orientationIndex(o) === orientationIndex(est)) t.allRight++;
    if (o.transposed === est.transposed) t.transposeRight++;
    if (o.upsideDown === est.upsideDown) t.upsideDownRight++;
    if (o.mirrored === est.mirrored) t.mirroredRight++;
  }
}

const pct = (a: number, n: number): string => `${((100 * a) / Math.max(1, n)).toFixed(1)} %`;

function summary(name: string, t: Tally): string {
  return `| ${name} | ${t.n / 8} | ${pct(t.allRight, t.n)} | ${pct(t.transposeRight, t.n)} | ${pct(t.upsideDownRight, t.n)} | ${pct(t.mirroredRight, t.n)} | ${pct(countUpToMirror(t), t.n)} |`;
}

/** Right up to left–right (what matters for segmentation with mirror averaging). */
function countUpToMirror(t: Tally): number {
  let k = 0;
  for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) if ((a & 6) === (b & 6)) k += t.confusion[a]![b]!;
  return k;
}

function main(): void {
  const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
  const medDir = join(DATA, 'medseg-slices', 'MultiClassInfection-Train', 'Imgs');
  const maDir = join(DATA, 'ma20-slices', 'ct');
  if (!existsSync(medDir) || !existsSync(maDir)) {
    console.error(`orientation-confusion: ${DATA} lacks medseg-slices or ma20-slices`);
    process.exit(3);
  }
  const split = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/validation.json'), 'utf8')) as {
    medseg: { validation: string[]; train: string[] };
  };
  const maSplit = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/ma20-patients.json'), 'utf8')) as {
    runs: [number, number][];
    validationRuns: [number, number][];
  };
  const tallies = new Map<string, Tally>();
  const get = (k: string): Tally => {
    let t = tallies.get(k);
    if (!t) tallies.set(k, (t = newTally()));
    return t;
  };
  // MedSeg: stored transposed (Inf-Net packaging); upright = its transpose.
  for (const f of readdirSync(medDir).filter((x) => x.endsWith('.jpg'))) {
    const id = f.replace('.jpg', '');
    const { gray, width, height } = decodeGray8(join(medDir, f));
    const up = transposeImage(gray, width, height);
    const part = split.medseg.validation.includes(id) ? 'validation' : 'train';
    for (const k of ['medseg (all 50)', `medseg ${part}`]) tallySlice(get(k), up, height, width);
  }
  // MA20: stored upright.
  const isVal = (n: number): boolean => maSplit.validationRuns.some(([a, b]) => n >= a && n <= b);
  for (const f of readdirSync(maDir).filter((x) => x.endsWith('.png')).sort()) {
    const n = Number(f.replace('.png', ''));
    const run = maSplit.runs.find(([a, b]) => n >= a && n <= b);
    const { gray, width, height } = decodeGray8(join(maDir, f));
    const keys = ['ma20 (all 1240)', `ma20 ${isVal(n) ? 'validation' : 'train'} patients`];
    if (run) keys.push(`ma20 patient ${String(run[0]).padStart(4, '0')}-${String(run[1]).padStart(4, '0')}`);
    for (const k of keys) tallySlice(get(k), gray, width, height);
  }
  const lines = [
    '| set | slices | all 3 right (of 8 orientations each) | transpose right | upside-down right | mirrored right | right up to left–right |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [k, t] of tallies) lines.push(summary(k, t));
  const conf = (t: Tally): string[] => [
    `| true \\ estimated | ${ALL_ORIENTATIONS.map(orientationName).join(' | ')} |`,
    `|---|${ALL_ORIENTATIONS.map(() => '---').join('|')}|`,
    ...ALL_ORIENTATIONS.map((o, i) => `| ${orientationName(o)} | ${t.confusion[i]!.join(' | ')} |`),
  ];
  const all = newTally();
  for (const k of ['medseg (all 50)', 'ma20 (all 1240)']) {
    const t = get(k);
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) all.confusion[a]![b]! += t.confusion[a]![b]!;
  }
  console.log(lines.join('\n'));
  console.log('\nConfusion, MedSeg + MA20, all slices × 8 orientations (rows: true; columns: estimated):\n');
  console.log(conf(all).join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(Object.fromEntries(tallies), null, 1));
}

main();
