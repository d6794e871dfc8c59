import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import type { Volume } from '../../../shared/domain/volume.ts';
import { REPO_ROOT, sharedDataDir } from '../../support/shared-data.ts';

/** The independent reference written by test/fixtures/dicom-reference/make-reference.py (pydicom). */
export interface ReferenceVolume {
  readonly size: [number, number, number];
  readonly spacingMm?: [number, number, number];
  readonly originLps?: [number, number, number];
  readonly directionLps?: number[];
  readonly files?: string[];
  readonly unevenSpacing?: boolean;
  readonly tiltDegrees?: number;
  readonly voxels: { ijk: [number, number, number]; hu: number }[];
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
}
export interface Reference {
  readonly series: Record<string, ReferenceVolume>;
  readonly singleFiles: Record<string, ReferenceVolume>;
}

export const reference: Reference = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'test/fixtures/dicom-reference/reference.json'), 'utf8'),
) as Reference;

/** Folder where chest-CT archives are extracted once (shared with make-reference.py). */
export const ARCHIVE_CACHE = join(tmpdir(), 'lung-burden-dicom-cache');

/**
 * Extracts `archive` (.tar.xz) with `tar -xJf` into {@link ARCHIVE_CACHE} unless already there;
 * returns the folder holding the archive's content.
 */
export function extractArchive(archive: string): string {
  const name = basename(archive).replace(/\.tar\.xz$/, '');
  const dest = join(ARCHIVE_CACHE, name);
  if (existsSync(join(dest, '.complete'))) return dest;
  const tmp = `${dest}.part-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xJf', archive, '-C', tmp]);
  writeFileSync(join(tmp, '.complete'), 'ok');
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return dest;
}

/** `../shared/data/<rel>` or null when the team data is absent. */
export function dataPath(...rel: string[]): string | null {
  const d = sharedDataDir();
  return d ? join(d, ...rel) : null;
}

/** Mean / min / max / sum of a volume's HU. */
export function huStats(v: Volume): { mean: number; min: number; max: number; sum: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of v.data) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return { mean: sum / v.data.length, min, max, sum };
}

/** HU of voxel (i, j, k). */
export const voxel = (v: Volume, [i, j, k]: readonly [number, number, number]): number =>
  v.data[i + j * v.size[0] + k * v.size[0] * v.size[1]] as number;

/** Geometry within 1e-4 mm / 1e-5, HU at the probe voxels and the statistics as the pydicom reference. */
export function assertMatchesReference(v: Volume, ref: ReferenceVolume, what: string): void {
  assert.deepEqual([...v.size], ref.size, `${what}: size`);
  for (let a = 0; a < 3; a++) {
    if (ref.spacingMm)
      assert.ok(
        Math.abs((v.spacingMm[a] as number) - (ref.spacingMm[a] as number)) < 1e-4,
        `${what}: spacing[${a}] ${v.spacingMm[a]} vs ${ref.spacingMm[a]}`,
      );
    if (ref.originLps)
      assert.ok(
        Math.abs((v.originLps[a] as number) - (ref.originLps[a] as number)) < 1e-4,
        `${what}: origin[${a}] ${v.originLps[a]} vs ${ref.originLps[a]}`,
      );
  }
  if (ref.directionLps)
    ref.directionLps.forEach((d, c) => assert.ok(Math.abs((v.directionLps[c] as number) - d) < 1e-5, `${what}: direction[${c}]`));
  for (const p of ref.voxels) assert.equal(voxel(v, p.ijk), p.hu, `${what}: HU at ${p.ijk.join(',')}`);
  const s = huStats(v);
  assert.equal(s.min, ref.min, `${what}: min`);
  assert.equal(s.max, ref.max, `${what}: max`);
  assert.equal(s.sum, ref.sum, `${what}: sum of HU (exact pixels)`);
}
