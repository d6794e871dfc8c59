// Upright 8-bit validation slices of the orientation scorers (scripts/orientation-confusion.ts,
// scripts/orientation-stress.ts): MA20 validation patients, MedSeg validation slices (stored
// transposed, brought upright) and the held-out 4D-Lung series rendered in the app's eightBitWindow.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeGray8 } from '../electron/cli/segment-command.ts';
import { importAnyPath } from '../electron/services/analysis/import-any-path.ts';
import { transposeImage } from '../shared/imaging/slice-orientation.ts';
import { extractArchive } from '../test/electron/imports/dicom-test-data.ts';

export const DATA = process.env['LUNG_BURDEN_DATA'] ?? resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const ROOT = resolve(import.meta.dirname, '..');
/** The app's eightBitWindow (HU) in which the 4D-Lung slices are rendered and every 8-bit slice is read. */
export const EIGHT_BIT = { center: -500, width: 1500 };

export interface UprightSlice {
  readonly gray: Uint8Array;
  readonly cols: number;
  readonly rows: number;
}

/** Upright 8-bit slices of the held-out 4D-Lung series (LPS grid = radiological display). */
export async function fourDLungSlices(): Promise<UprightSlice[]> {
  const dir = join(DATA, 'chest-ct', '4d-lung-113-hm10395');
  const ct = extractArchive(join(dir, '113_HM10395_gated40pct_CT.tar.xz'));
  const { series } = await importAnyPath(ct);
  const v = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0]!.volume;
  const [nI, nJ, nK] = v.size;
  const lo = EIGHT_BIT.center - EIGHT_BIT.width / 2;
  const out: UprightSlice[] = [];
  for (let k = 0; k < nK; k++) {
    const gray = new Uint8Array(nI * nJ);
    for (let p = 0; p < gray.length; p++)
      gray[p] = Math.max(0, Math.min(255, Math.round(((v.data[k * nI * nJ + p]! - lo) / EIGHT_BIT.width) * 255)));
    out.push({ gray, cols: nI, rows: nJ });
  }
  return out;
}

/** Files of the fixed validation slices: MA20 validation patients (`<maDir>/<file>`, stored upright) and MedSeg validation ids (stored transposed). */
export function validationFiles(): { maDir: string; maFiles: string[]; medDir: string; medIds: string[] } {
  const split = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/validation.json'), 'utf8')) as {
    medseg: { validation: string[] };
  };
  const ma = JSON.parse(readFileSync(join(ROOT, 'models/training/splits/ma20-patients.json'), 'utf8')) as {
    validationRuns: [number, number][];
  };
  const maDir = join(DATA, 'ma20-slices', 'ct');
  const medDir = join(DATA, 'medseg-slices', 'MultiClassInfection-Train', 'Imgs');
  const maFiles = readdirSync(maDir)
    .filter((f) => f.endsWith('.png') && ma.validationRuns.some(([a, b]) => Number(f.slice(0, -4)) >= a && Number(f.slice(0, -4)) <= b))
    .sort();
  return { maDir, maFiles, medDir, medIds: split.medseg.validation };
}

/** An 8-bit image file as an upright slice (`transpose`: the file is stored transposed). */
export function loadUpright(file: string, transpose: boolean): UprightSlice {
  const { gray, width, height } = decodeGray8(file);
  return transpose ? { gray: transposeImage(gray, width, height), cols: height, rows: width } : { gray, cols: width, rows: height };
}

/** The three fixed validation sets, upright. */
export async function validationSets(): Promise<Map<string, UprightSlice[]>> {
  const { maDir, maFiles, medDir, medIds } = validationFiles();
  return new Map([
    ['ma20 validation patients', maFiles.map((f) => loadUpright(join(maDir, f), false))],
    ['medseg validation', medIds.map((id) => loadUpright(join(medDir, `${id}.jpg`), true))],
    ['4d-lung (held out, 99)', await fourDLungSlices()],
  ]);
}
