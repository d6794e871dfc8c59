import { writeFileSafely } from '../services/exports/safe-write.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { pairAgreement } from '../../shared/imaging/agreement.ts';
import { toCsv } from '../../shared/export/csv-table.ts';
import { ImportPathError } from '../services/analysis/import-any-path.ts';

export interface CompareSlicesOptions {
  /** Folder of label PNGs to score (e.g. the output of `segment`). */
  readonly testDir: string;
  /** Folder of reference label PNGs with the same stems. */
  readonly referenceDir: string;
  /** Optional CSV with one row per image. */
  readonly csvOut?: string;
  readonly log: (msg: string) => void;
}

type ClassName = 'ggo' | 'highOpacity' | 'lesion';
const CLASSES: readonly ClassName[] = ['ggo', 'highOpacity', 'lesion'];

export interface ClassSummary {
  /** Mean of the per-image Dice; an image where both maps lack the class counts as 1 (see `emptyBoth`). */
  readonly meanDice: number;
  /** Dice of all pixels of all images pooled. */
  readonly pooledDice: number;
  /** Images where neither map has the class. */
  readonly emptyBoth: number;
}

export interface CompareSlicesResult {
  readonly n: number;
  readonly classes: Record<ClassName, ClassSummary>;
  readonly missingInTest: readonly string[];
  readonly rows: readonly { readonly image: string; readonly dice: Record<ClassName, number | null> }[];
}

/**
 * Label values of a 2D label PNG: palette images (as the MedSeg/Inf-Net ground truth) give the
 * palette index of each pixel; grey images give the grey value (as `segment` writes them).
 */
export function decodeLabelPng(file: string): { labels: Uint8Array; width: number; height: number } {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (e) {
    throw new ImportPathError(`${basename(file)}: not a readable PNG (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height, data } = png;
  const labels = new Uint8Array(width * height);
  // pngjs types `palette` as a flag; at run time a palette image carries its RGBA entries there
  const palette = (png as unknown as { palette?: unknown }).palette;
  if (Array.isArray(palette) && palette.length > 0) {
    const index = new Map<number, number>();
    (palette as number[][]).forEach((c, i) => {
      const key = (c[0]! << 16) | (c[1]! << 8) | c[2]!;
      if (!index.has(key)) index.set(key, i);
    });
    for (let p = 0; p < labels.length; p++) {
      const key = (data[p * 4]! << 16) | (data[p * 4 + 1]! << 8) | data[p * 4 + 2]!;
      labels[p] = index.get(key) ?? 0;
    }
  } else {
    for (let p = 0; p < labels.length; p++) labels[p] = data[p * 4]!;
  }
  return { labels, width, height };
}

const dice = (inter: number, a: number, b: number) => (a + b === 0 ? 1 : (2 * inter) / (a + b));

/**
 * `lung-burden compare-slices <test-dir> <reference-dir>`: Dice of GGO, high opacity and all lesion
 * between two folders of 2D label PNGs (0 background, 1 GGO, 2 high opacity) matched by file stem,
 * per image and summarised (mean per image, pooled over all pixels). Both maps of an image must have
 * the same size.
 */
export function compareSlices(o: CompareSlicesOptions): CompareSlicesResult {
  const testDir = resolve(o.testDir);
  const refDir = resolve(o.referenceDir);
  for (const d of [testDir, refDir])
    if (!statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new ImportPathError(`not a folder: ${d}`);
  const stem = (f: string) => basename(f, extname(f));
  const tests = new Map(
    readdirSync(testDir)
      .filter((f) => /\.png$/i.test(f))
      .map((f) => [stem(f), join(testDir, f)]),
  );
  const refs = readdirSync(refDir)
    .filter((f) => /\.png$/i.test(f))
    .sort();
  if (refs.length === 0) throw new ImportPathError(`no PNG label images in ${refDir}`);
  const rows: { image: string; dice: Record<ClassName, number | null> }[] = [];
  const missingInTest: string[] = [];
  const pooled = { ggo: [0, 0, 0], highOpacity: [0, 0, 0], lesion: [0, 0, 0] } as Record<ClassName, number[]>;
  for (const f of refs) {
    const t = tests.get(stem(f));
    if (!t) {
      missingInTest.push(f);
      continue;
    }
    const ref = decodeLabelPng(join(refDir, f));
    const test = decodeLabelPng(t);
    if (ref.width !== test.width || ref.height !== test.height)
      throw new ImportPathError(`${f}: reference is ${ref.width}×${ref.height}, test is ${test.width}×${test.height}`);
    const a = pairAgreement(test.labels, ref.labels, 1);
    rows.push({ image: stem(f), dice: { ggo: a.dice.ggo, highOpacity: a.dice.highOpacity, lesion: a.dice.lesion } });
    for (const c of CLASSES) {
      const inA = c === 'ggo' ? (v: number) => v === 1 : c === 'highOpacity' ? (v: number) => v === 2 : (v: number) => v === 1 || v === 2;
      const acc = pooled[c];
      for (let p = 0; p < ref.labels.length; p++) {
        const x = inA(test.labels[p]!),
          y = inA(ref.labels[p]!);
        if (x && y) acc[0]!++;
        if (x) acc[1]!++;
        if (y) acc[2]!++;
      }
    }
  }
  if (rows.length === 0) throw new ImportPathError(`no image of ${refDir} has a label PNG with the same name in ${testDir}`);
  const classes = {} as Record<ClassName, ClassSummary>;
  for (const c of CLASSES) {
    const vals = rows.map((r) => r.dice[c] ?? 1);
    const [i, a, b] = pooled[c] as [number, number, number];
    classes[c] = {
      meanDice: vals.reduce((s, v) => s + v, 0) / vals.length,
      pooledDice: dice(i, a, b),
      emptyBoth: rows.filter((r) => r.dice[c] === null).length,
    };
  }
  if (o.csvOut) {
    writeFileSafely(
      o.csvOut,
      toCsv(
        ['image', 'dice_ggo', 'dice_high_opacity', 'dice_lesion'],
        rows.map((r) => ({ image: r.image, dice_ggo: r.dice.ggo, dice_high_opacity: r.dice.highOpacity, dice_lesion: r.dice.lesion })),
      ),
    );
  }
  if (missingInTest.length > 0)
    o.log(
      `compare-slices: ${missingInTest.length} reference image(s) have no test labels: ${missingInTest.slice(0, 5).join(', ')}${missingInTest.length > 5 ? ', …' : ''}`,
    );
  return { n: rows.length, classes, missingInTest, rows };
}
