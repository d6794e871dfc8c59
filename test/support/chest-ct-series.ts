/**
 * The real chest CT series of `../shared/data/chest-ct`, imported with the project's own DICOM
 * importer, with their independent reference lung volume (`lungvol_L` of each `hu_check.txt`,
 * measured with pydicom by whoever staged the data).
 *
 * Imports are cached as raw Int16 + geometry JSON under the OS temp folder (the archive cache of
 * the DICOM tests lives there too), keyed by series id (delete the
 * `volume-*` files there after an importer change), so
 * that benches and tests that load the same series several times pay the import once.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Volume, VolumeGeometry } from '../../shared/domain/volume.ts';
import { importDicomFolder } from '../../electron/services/imports/import-dicom-folder.ts';
import { ARCHIVE_CACHE as CACHE, extractArchive } from '../electron/imports/dicom-test-data.ts';
import { sharedDataDir } from './shared-data.ts';

/** One real series of the team data. */
export interface ChestCtSeries {
  /** Short stable id (folder name under chest-ct). */
  readonly id: string;
  /** Folder of the series under `chest-ct/`. */
  readonly folder: string;
  /** `.tar.xz` archive (relative to the folder) or plain DICOM sub-folder. */
  readonly source: { readonly archive: string } | { readonly dir: string };
  /** What the series is, one line. */
  readonly description: string;
}

/** Every DICOM series of `../shared/data/chest-ct` (the TotalSegmentator crops are no full chest). */
export const CHEST_CT_SERIES: readonly ChestCtSeries[] = [
  {
    id: 'lidc-idri-0001',
    folder: 'lidc-idri-0001',
    source: { archive: 'LIDC-IDRI-0001_series_3000566.tar.xz' },
    description: 'LIDC-IDRI-0001, nodule screening, 2.5 mm, padding −2048',
  },
  {
    id: 'ricord1a-000082-covid',
    folder: 'ricord1a-000082-covid',
    source: { dir: 'series_2_ROUTINE_CHEST_NON-CON_1.25mm_EVERY_2ND_FILE' },
    description: 'RICORD 1a 000082, COVID-19 GGO, JPEG lossless, padding −3024',
  },
  {
    id: '4d-lung-113-hm10395',
    folder: '4d-lung-113-hm10395',
    source: { archive: '113_HM10395_gated40pct_CT.tar.xz' },
    description: '4D-Lung 113_HM10395, RT-planning 4D-CT 40 % phase, 3 mm, NSCLC',
  },
  {
    id: 'rider-1225316081',
    folder: 'rider-1225316081',
    source: { archive: 'RIDER-1225316081_LUNG_1.25mm_EVERY_2ND_FILE_2.5mm.tar.xz' },
    description: 'RIDER Lung CT 1225316081, LUNG kernel, 2.5 mm, NSCLC',
  },
];

/** `lungvol_L` of the series' hu_check.txt in mL, or null when absent. */
export function referenceLungMl(series: ChestCtSeries): number | null {
  const data = sharedDataDir();
  if (!data) return null;
  const file = join(data, 'chest-ct', series.folder, 'hu_check.txt');
  if (!existsSync(file)) return null;
  const m = /lungvol_L=\s*([0-9.]+)/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) * 1000 : null;
}

/** DICOM folder of the series (archives extracted on first use), or null without the team data. */
export function seriesFolder(series: ChestCtSeries): string | null {
  const data = sharedDataDir();
  if (!data) return null;
  const dir = join(data, 'chest-ct', series.folder);
  return 'archive' in series.source ? extractArchive(join(dir, series.source.archive)) : join(dir, series.source.dir);
}

/**
 * The series as the importer reads it (one CT series expected), or null without the team data.
 * Throws when the import does not give exactly one series.
 */
export async function loadChestCtSeries(series: ChestCtSeries): Promise<Volume | null> {
  const folder = seriesFolder(series);
  if (!folder) return null;
  const key = join(CACHE, `volume-${series.id}`);
  if (existsSync(`${key}.json`) && existsSync(`${key}.i16`)) {
    const g = JSON.parse(readFileSync(`${key}.json`, 'utf8')) as VolumeGeometry;
    const buf = readFileSync(`${key}.i16`);
    const data = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return { ...g, data };
  }
  const result = await importDicomFolder(folder);
  if (result.series.length !== 1) throw new Error(`${series.id}: expected one series, got ${result.series.length}`);
  const v = (result.series[0] as { volume: Volume }).volume;
  mkdirSync(CACHE, { recursive: true });
  const { data, ...geometry } = v;
  writeFileSync(`${key}.i16.part`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  renameSync(`${key}.i16.part`, `${key}.i16`);
  writeFileSync(`${key}.json`, JSON.stringify(geometry));
  return v;
}
