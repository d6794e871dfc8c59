import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { voxelCount } from '../../../shared/domain/volume.ts';
import { workstationApi } from '../../app/api.ts';

/** Everything the review screen loads for one case. */
export interface ReviewData {
  readonly detail: CaseDetail;
  readonly volume: Volume;
  /** The lesion version opened (null: no version yet, the reader starts from empty labels). */
  readonly lesionVersion: LabelVersionInfo | null;
  readonly lesion: Uint8Array;
  readonly lungVersion: LabelVersionInfo | null;
  readonly lung: Uint8Array | null;
}

/** Latest version of a kind (highest version number). */
export function latestVersion(versions: readonly LabelVersionInfo[], kind: 'lesion' | 'lung'): LabelVersionInfo | null {
  let best: LabelVersionInfo | null = null;
  for (const v of versions) if (v.kind === kind && (!best || v.version > best.version)) best = v;
  return best;
}

/** Reinterprets little-endian bytes as Int16 (copying only when unaligned). */
function int16Of(bytes: Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  return new Int16Array(bytes.slice().buffer);
}

/** Loads a label version's bytes and checks their length against the grid. */
export async function loadLabels(version: LabelVersionInfo, expected: number): Promise<Uint8Array> {
  const bytes = await workstationApi().cases.labelBytes(version.id);
  if (bytes.length !== expected) throw new Error(`label version ${version.version} has ${bytes.length} voxels, the volume ${expected}`);
  return bytes;
}

/** Fetches header, voxels, the latest lesion labels and the lung mask of a case. */
export async function loadReviewData(id: CaseId): Promise<ReviewData> {
  const api = workstationApi();
  const detail = await api.cases.get(id);
  const g = detail.geometry;
  const n = voxelCount(g);
  const lesionVersion = latestVersion(detail.labelVersions, 'lesion');
  const lungVersion = latestVersion(detail.labelVersions, 'lung');
  const [bytes, lesion, lung] = await Promise.all([
    api.cases.volumeBytes(id),
    lesionVersion ? loadLabels(lesionVersion, n) : Promise.resolve(new Uint8Array(n)),
    lungVersion ? loadLabels(lungVersion, n) : Promise.resolve(null),
  ]);
  if (bytes.byteLength !== n * 2)
    throw new Error(`volume has ${bytes.byteLength} bytes, expected ${n * 2} for ${g.size.join('×')} Int16 voxels`);
  return { detail, volume: { ...g, data: int16Of(bytes) }, lesionVersion, lesion, lungVersion, lung };
}
