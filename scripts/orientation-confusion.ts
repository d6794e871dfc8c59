// Accuracy of the stored-orientation estimates on real 8-bit slices: every slice is brought
// upright, then stored in each of the 8 orientations (D4), and each estimator is tallied against
// the truth — per set, per patient (MA20 runs of its PROVENANCE.md; MedSeg has no patient ids) and
// per factor (transpose, upside down, mirrored). Estimators: `heuristic`
// (shared/imaging/slice-orientation.ts), and with a classifier bundle `classifier` (its argmax
// class, left–right from the heuristic as segment does) — the two on exactly the same images.
// Sets: MedSeg (50, stored transposed), MA20 (1,240, stored upright), and the held-out 4D-Lung
// series (99 axial HU slices rendered to 8 bits in the app's eightBitWindow −500/1500 HU).
// Usage: node --import tsx scripts/orientation-confusion.ts [--classifier <bundle dir>] [--json out.json]
//   (--classifier defaults to models/orientation/orientnet when it exists; `--classifier none`: heuristic only)
// Needs ../shared/data (or $LUNG_BURDEN_DATA).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeGray8, eightBitToVolume } from '../electron/cli/segment-command.ts';
import { findOrientNetBundle, OrientNetSession } from '../electron/services/orientation/orient-net-session.ts';
import { decideStoredOrientation } from '../shared/imaging/orientation-decision.ts';
import {
  ALL_ORIENTATIONS,
  estimateStoredOrientation,
  fromUpright,
  orientationIndex,
  transposeImage,
  type StoredOrientation,
} from '../shared/imaging/slice-orientation.ts';
import { DATA, EIGHT_BIT, fourDLungSlices } from './orientation-sets.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Classifier time (preprocessing + onnxruntime, batches of the 8 orientations of one slice). */
const timing = { ms: 0, images: 0 };
/** Per set: classifier–heuristic disagreements (up to left–right), QC notes, and QC notes where the classifier was right. */
const qc = new Map<string, { disagree: number; notes: number; notesRight: number }>();

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

function add(t: Tally, o: StoredOrientation, est: StoredOrientation): void {
  t.confusion[orientationIndex(o)]![orientationIndex(est)]!++;
  t.n++;
  if (orientationIndex(o) === orientationIndex(est)) t.allRight++;
  if (o.transposed === est.transposed) t.transposeRight++;
  if (o.upsideDown === est.upsideDown) t.upsideDownRight++;
  if (o.mirrored === est.mirrored) t.mirroredRight++;
}

/** Tallies one upright slice in all 8 orientations for every estimator, into each key's tallies. */
async function tallySlice(
  get: (est: string, key: string) => Tally,
  keys: string[],
  up: Uint8Array,
  cols: number,
  rows: number,
  clf: OrientNetSession | null,
): Promise<void> {
  const stored = ALL_ORIENTATIONS.map((o) => {
    const s = fromUpright(up, cols, rows, o);
    return { o, vol: eightBitToVolume(s.data, s.cols, s.rows, EIGHT_BIT.center, EIGHT_BIT.width), cols: s.cols, rows: s.rows };
  });
  const t0 = performance.now();
  const probs = clf ? await clf.classify(stored.map((s) => s.vol)) : null;
  timing.ms += performance.now() - t0;
  timing.images += probs ? stored.length : 0;
  stored.forEach((s, i) => {
    const h = estimateStoredOrientation(s.vol.data, s.cols, s.rows);
    for (const k of keys) add(get('heuristic', k), s.o, h.orientation);
    if (probs) {
      const d = decideStoredOrientation(s.vol.data, s.cols, s.rows, h, probs[i]!);
      const right = d.orientation.transposed === s.o.transposed && d.orientation.upsideDown === s.o.upsideDown;
      for (const k of keys) {
        add(get('classifier', k), s.o, d.orientation);
        const q = qc.get(k) ?? { disagree: 0, notes: 0, notesRight: 0 };
        qc.set(k, {
          disagree: q.disagree + (d.agree ? 0 : 1),
          notes: q.notes + (d.qcNote ? 1 : 0),
          notesRight: q.notesRight + (d.qcNote && right ? 1 : 0),
        });
      }
    }
  });
}

const pct = (a: number, n: number): string => `${((100 * a) / Math.max(1, n)).toFixed(1)} %`;

/** Right up to left–right (what matters for segmentation with mirror averaging). */
function countUpToMirror(t: Tally): number {
  let k = 0;
  for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) if ((a & 6) === (b & 6)) k += t.confusion[a]![b]!;
  return k;
}

function summary(name: string, est: string, t: Tally): string {
  return `| ${name} | ${t.n / 8} | ${est} | ${pct(countUpToMirror(t), t.n)} | ${pct(t.transposeRight, t.n)} | ${pct(t.upsideDownRight, t.n)} | ${pct(t.mirroredRight, t.n)} | ${pct(t.allRight, t.n)} |`;
}

/** 4 × 4 confusion up to left–right (classes 2·transposed + upside-down). */
function confusion4(t: Tally): string[] {
  const names = ['upright', 'upside-down', 'transposed', 'transposed+upside-down'];
  const m = names.map(() => names.map(() => 0));
  for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) m[a >> 1]![b >> 1]! += t.confusion[a]![b]!;
  return [
    `| true \\ estimated | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...names.map((n, i) => `| ${n} | ${m[i]!.join(' | ')} |`),
  ];
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined =>
    process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
  const jsonOut = arg('--json');
  const clfArg = arg('--classifier');
  const medDir = join(DATA, 'medseg-slices', 'MultiClassInfection-Train', 'Imgs');
  const maDir = join(DATA, 'ma20-slices', 'ct');
  if (!existsSync(medDir) || !existsSync(maDir)) {
    console.error(`orientation-confusion: ${DATA} lacks medseg-slices or ma20-slices`);
    process.exit(3);
  }
  const bundle = clfArg === 'none' ? null : await findOrientNetBundle(...(clfArg ? [resolve(clfArg)] : []));
  if (clfArg && clfArg !== 'none' && !bundle) throw new Error(`no classifier bundle in ${clfArg}`);
  const clf = bundle ? await OrientNetSession.open(bundle, 1) : null;
  const split = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/validation.json'), 'utf8')) as {
    medseg: { validation: string[] };
  };
  const maSplit = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/ma20-patients.json'), 'utf8')) as {
    runs: [number, number][];
    validationRuns: [number, number][];
  };
  const tallies = new Map<string, Map<string, Tally>>();
  const get = (est: string, k: string): Tally => {
    if (!tallies.has(k)) tallies.set(k, new Map());
    const m = tallies.get(k)!;
    if (!m.has(est)) m.set(est, newTally());
    return m.get(est)!;
  };
  // MedSeg: stored transposed (Inf-Net packaging); upright = its transpose.
  for (const f of readdirSync(medDir).filter((x) => x.endsWith('.jpg'))) {
    const id = f.replace('.jpg', '');
    const { gray, width, height } = decodeGray8(join(medDir, f));
    const part = split.medseg.validation.includes(id) ? 'validation' : 'train';
    await tallySlice(get, ['medseg (all 50)', `medseg ${part}`], transposeImage(gray, width, height), height, width, clf);
  }
  // MA20: stored upright.
  const isVal = (n: number): boolean => maSplit.validationRuns.some(([a, b]) => n >= a && n <= b);
  for (const f of readdirSync(maDir)
    .filter((x) => x.endsWith('.png'))
    .sort()) {
    const n = Number(f.replace('.png', ''));
    const run = maSplit.runs.find(([a, b]) => n >= a && n <= b);
    const { gray, width, height } = decodeGray8(join(maDir, f));
    const keys = ['ma20 (all 1240)', `ma20 ${isVal(n) ? 'validation' : 'train'} patients`];
    if (run) keys.push(`ma20 patient ${String(run[0]).padStart(4, '0')}-${String(run[1]).padStart(4, '0')}`);
    await tallySlice(get, keys, gray, width, height, clf);
  }
  for (const s of await fourDLungSlices()) await tallySlice(get, ['4d-lung (held out, 99)'], s.gray, s.cols, s.rows, clf);
  await clf?.release();
  const lines = [
    `Classifier: ${clf ? `${clf.label} (${bundle?.dir})` : 'none'}.`,
    '',
    '| set | slices | estimator | right up to left–right | transpose right | upside-down right | mirrored right | all 3 right |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [k, m] of tallies) for (const [est, t] of m) lines.push(summary(k, est, t));
  const VAL = ['ma20 validation patients', 'medseg validation', '4d-lung (held out, 99)'];
  lines.push(
    '',
    'Validation sets (the ship rule of models/orientation/orientnet/MODEL_CARD.md): right up to left–right, mean of the three sets:',
  );
  for (const est of clf ? ['heuristic', 'classifier'] : ['heuristic']) {
    const accs = VAL.map((k) => countUpToMirror(get(est, k)) / get(est, k).n);
    lines.push(
      `- ${est}: ${accs.map((a, i) => `${VAL[i]} ${(100 * a).toFixed(1)} %`).join(', ')}; mean ${((100 * accs.reduce((a, b) => a + b, 0)) / accs.length).toFixed(1)} %`,
    );
  }
  if (clf)
    for (const k of VAL) {
      const q = qc.get(k) ?? { disagree: 0, notes: 0, notesRight: 0 };
      lines.push(
        `- ${k}: classifier and heuristic disagree on ${q.disagree} of ${get('classifier', k).n} images; QC notes ${q.notes} (classifier right on ${q.notesRight})`,
      );
    }
  for (const est of clf ? ['heuristic', 'classifier'] : ['heuristic']) {
    const pooled = newTally();
    for (const k of VAL) for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) pooled.confusion[a]![b]! += get(est, k).confusion[a]![b]!;
    lines.push(
      '',
      `Confusion up to left–right, ${est}, the three validation sets pooled (rows: true; columns: estimated):`,
      '',
      ...confusion4(pooled),
    );
  }
  if (timing.images)
    lines.push(
      '',
      `Classifier time: ${(timing.ms / timing.images).toFixed(2)} ms per image (${timing.images} images, 1 thread, preprocessing included).`,
    );
  console.log(lines.join('\n'));
  if (jsonOut)
    writeFileSync(jsonOut, JSON.stringify(Object.fromEntries([...tallies].map(([k, m]) => [k, Object.fromEntries(m)])), null, 1));
}

await main();
