import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import type { Vec3 } from '../domain/volume.ts';
import { isValidUid, uidFromBytes } from '../export/dicom-uid.ts';
import { pixelHash } from './pixel-hash.ts';
import type { ImportIssue, ImportedSeries, SeriesMetadata } from './types.ts';

/** A `2.25` UID derived from a text (sha256, first 16 bytes): the same text always gives the same UID. */
export function derivedUid(text: string): string {
  return uidFromBytes(sha256(utf8ToBytes(`lung-burden derived uid\u0000${text}`)));
}

const r3 = (x: number): string => (Math.round(x * 1000) / 1000).toFixed(3);

/** LPS position (mm) of the first voxel of slice k of the series' volume, rounded to 1 µm, as text. */
function slicePosition(s: ImportedSeries, k: number): string {
  const v = s.volume;
  const p: Vec3 = [0, 1, 2].map(
    (r) => v.originLps[r as 0 | 1 | 2] + k * v.spacingMm[2] * (v.directionLps[6 + r] as number),
  ) as unknown as Vec3;
  return p.map(r3).join('\\');
}

/**
 * Makes every slice of an imported series referable by a unique, valid UID, so a DICOM SEG (or SR)
 * exported later points at exactly one slice per reference.
 *
 * Some exporters write the same SOP Instance UID on every file of a series, leave it empty, or write
 * UUID-style text as Study/Series UIDs. Slices whose (SOP Instance UID, frame) is empty, invalid or
 * shared with another slice get a derived UID `2.25.<n>` from a hash of the series UID, the original
 * UID, the frame, the slice position (LPS, µm) and the slice's pixels, so importing the same files
 * again derives the same UIDs. The UIDs as read are kept per slice in `originalSopInstanceUids`
 * (the mapping original → stored); invalid or empty Study/Series UIDs are replaced the same way
 * (originals in `originalStudyInstanceUid` / `originalSeriesInstanceUid`). Each replacement is a
 * warning. A series that needs nothing is returned as it is.
 */
export function stabilizeInstanceUids(s: ImportedSeries): { series: ImportedSeries; issues: ImportIssue[] } {
  const m = s.metadata;
  const nK = s.volume.size[2];
  const uids = m.sopInstanceUids;
  const frames = m.frameNumbers;
  const key = (k: number): string => `${uids[k] ?? ''}#${frames?.[k] ?? 1}`;
  const counts = new Map<string, number>();
  for (let k = 0; k < uids.length; k++) counts.set(key(k), (counts.get(key(k)) ?? 0) + 1);
  const label = m.seriesDescription || m.seriesInstanceUid || 'series';
  const issues: ImportIssue[] = [];
  const studyOk = isValidUid(m.studyInstanceUid);
  const seriesOk = isValidUid(m.seriesInstanceUid);
  const badSlices: number[] = [];
  if (uids.length === nK) {
    for (let k = 0; k < nK; k++) if (!isValidUid(uids[k] ?? '') || (counts.get(key(k)) ?? 0) > 1) badSlices.push(k);
  }
  if (badSlices.length === 0 && studyOk && seriesOk) return { series: s, issues };

  const plane = s.volume.size[0] * s.volume.size[1];
  const planeHash = (k: number): string => pixelHash(s.volume.data.subarray(k * plane, (k + 1) * plane));
  const seriesSeed = `${m.studyInstanceUid}|${m.seriesInstanceUid}|${m.frameOfReferenceUid}|${m.seriesNumber}|${s.volume.size.join('x')}|${slicePosition(s, 0)}|${planeHash(0)}`;
  const out: { -readonly [K in keyof SeriesMetadata]: SeriesMetadata[K] } = { ...m };
  if (!studyOk) {
    out.studyInstanceUid = derivedUid(`study|${m.studyInstanceUid || seriesSeed}`);
    out.originalStudyInstanceUid = m.studyInstanceUid;
    issues.push({
      severity: 'warning',
      code: 'invalid-study-uid',
      message: `${label}: Study Instance UID ${m.studyInstanceUid ? `"${m.studyInstanceUid}" is not a valid DICOM UID` : 'is empty'}; stored as ${out.studyInstanceUid} (the original is kept)`,
    });
  }
  if (!seriesOk) {
    out.seriesInstanceUid = derivedUid(`series|${m.seriesInstanceUid || seriesSeed}`);
    out.originalSeriesInstanceUid = m.seriesInstanceUid;
    issues.push({
      severity: 'warning',
      code: 'invalid-series-uid',
      message: `${label}: Series Instance UID ${m.seriesInstanceUid ? `"${m.seriesInstanceUid}" is not a valid DICOM UID` : 'is empty'}; stored as ${out.seriesInstanceUid} (the original is kept)`,
    });
  }
  if (badSlices.length > 0) {
    const stored = [...uids];
    for (const k of badSlices) {
      stored[k] = derivedUid(`sop|${m.seriesInstanceUid}|${key(k)}|${slicePosition(s, k)}|${planeHash(k)}`);
    }
    out.sopInstanceUids = stored;
    out.originalSopInstanceUids = [...uids];
    const empty = badSlices.filter((k) => !uids[k]).length;
    const shared = badSlices.filter((k) => uids[k] && (counts.get(key(k)) ?? 0) > 1);
    const invalid = badSlices.length - empty - shared.length;
    if (shared.length > 0) {
      const distinct = new Set(shared.map((k) => uids[k])).size;
      const example = uids[shared[0] as number] ?? '';
      issues.push({
        severity: 'warning',
        code: 'non-unique-sop-uid',
        message: `${label}: SOP Instance UIDs are not unique: ${shared.length} slices at different positions or with different pixels share ${distinct} UID(s) (e.g. ${example}); all are kept as separate slices and stored with derived UIDs (2.25…); exports reference the derived UIDs and list the original ones`,
      });
    }
    if (empty > 0) {
      issues.push({
        severity: 'warning',
        code: 'empty-sop-uid',
        message: `${label}: ${empty} slice(s) have an empty SOP Instance UID; stored with derived UIDs (2.25…)`,
      });
    }
    if (invalid > 0) {
      issues.push({
        severity: 'warning',
        code: 'invalid-sop-uid',
        message: `${label}: ${invalid} slice(s) have a SOP Instance UID that is not a valid DICOM UID; stored with derived UIDs (2.25…)`,
      });
    }
  }
  return { series: { ...s, metadata: out, issues: [...s.issues, ...issues] }, issues };
}
