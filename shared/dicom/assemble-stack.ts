import { geometryProblems } from '../domain/validate-geometry.ts';
import type { Mat3, Vec3, Volume } from '../domain/volume.ts';
import { copySlices, DEFAULT_STACK_TOLERANCES, type GatherVoxels, type StackSlice, type StackTolerances } from './stack-slice.ts';
import type { ImportIssue, ImportedSeries } from './types.ts';

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const n = norm(a);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const fmt = (x: number, d = 3): string => String(Number(x.toFixed(d)));
const fmtVec = (v: Vec3): string => `[${v.map((x) => fmt(x, 4)).join(', ')}]`;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Summary "4.22 mm ×12, 7.38 mm ×15" of a list of gaps (grouped to 0.01 mm). */
function describeGaps(gaps: readonly number[]): string {
  const counts = new Map<string, number>();
  for (const g of gaps) counts.set(fmt(g, 2), (counts.get(fmt(g, 2)) ?? 0) + 1);
  return [...counts].map(([g, c]) => `${g} mm ×${c}`).join(', ');
}

/**
 * Builds one volume from the slices of one stack (same series, orientation and image size),
 * reporting every geometric problem as an issue. Policies:
 *
 * - Order: along the slice normal `n = row × column` (IOP), by `IPP · n` ascending; k = 0 is the
 *   most negative position along n (for axial LPS stacks: the most inferior slice).
 * - Duplicates: two slices within `samePositionMm` are one; the first (by file name) is kept
 *   (`duplicate-position` warning).
 * - Uneven spacing (a gap deviating > 1 % from its run): the largest uniformly spaced run of
 *   consecutive slices is kept and the rest dropped, with an `uneven-spacing` warning listing the
 *   gaps and the dropped files. When no two consecutive gaps agree the series is refused (error).
 * - Gantry tilt (stacking direction not parallel to n by more than `tiltDegrees`): `gantry-tilt`
 *   warning; the k column of `directionLps` is the measured stacking direction (not orthogonal to
 *   i and j), spacing k the distance between positions, so every voxel's LPS position is exact.
 * - Missing ImagePositionPatient on any slice: ordered by InstanceNumber (then file), spacing from
 *   SpacingBetweenSlices, else SliceThickness, else 1 mm (`missing-position` warning).
 * - One slice: `single-slice` warning; spacing k = SliceThickness (else 1 mm).
 */
export function assembleStack(
  input: readonly StackSlice[],
  tol: StackTolerances = DEFAULT_STACK_TOLERANCES,
  gather: GatherVoxels = copySlices,
): { series: ImportedSeries | null; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const seriesIssues: ImportIssue[] = [];
  const first0 = input[0];
  if (!first0) return { series: null, issues };
  const label = first0.metadata.seriesDescription || first0.metadata.seriesInstanceUid || first0.file;

  const ori = first0.frame.orientation;
  const row: Vec3 = ori ? [ori[0], ori[1], ori[2]] : [1, 0, 0];
  const col: Vec3 = ori ? [ori[3], ori[4], ori[5]] : [0, 1, 0];
  if (!ori)
    seriesIssues.push({
      severity: 'warning',
      code: 'missing-orientation',
      message: `${label}: no ImageOrientationPatient; assumed axial [1,0,0,0,1,0]`,
    });
  const normal = unit(cross(row, col));

  let slices: StackSlice[];
  let spacingK: number;
  let dirK: Vec3 = normal;
  let origin: Vec3;
  const missingPos = input.some((s) => s.frame.positionLps === null);
  if (missingPos || input.length === 1) {
    slices = [...input].sort(
      (a, b) =>
        (a.frame.orderNumber ?? Infinity) - (b.frame.orderNumber ?? Infinity) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : a.frame.frameIndex - b.frame.frameIndex),
    );
    const f = slices[0] as StackSlice;
    spacingK = (slices.length > 1 ? f.spacingBetweenSlicesMm : null) ?? f.frame.sliceThicknessMm ?? f.spacingBetweenSlicesMm ?? 1;
    // A zero or negative SliceThickness is not replaced here: geometryProblems refuses it below.
    origin = f.frame.positionLps ?? [0, 0, 0];
    if (missingPos) {
      seriesIssues.push({
        severity: 'warning',
        code: 'missing-position',
        message: `${label}: ImagePositionPatient missing on ${input.filter((s) => !s.frame.positionLps).length} slice(s); slices ordered by InstanceNumber, spacing ${fmt(spacingK)} mm taken from ${f.spacingBetweenSlicesMm ? 'SpacingBetweenSlices' : f.frame.sliceThicknessMm ? 'SliceThickness' : 'nothing (1 mm assumed)'}`,
      });
    }
    if (slices.length === 1) {
      seriesIssues.push({
        severity: 'warning',
        code: 'single-slice',
        message: `${label}: series has a single slice; slice spacing set to ${fmt(spacingK)} mm (SliceThickness)`,
        file: f.file,
      });
    }
  } else {
    const withD = input.map((s) => ({ s, d: dot(s.frame.positionLps as Vec3, normal) }));
    withD.sort((a, b) => a.d - b.d || (a.s.file < b.s.file ? -1 : a.s.file > b.s.file ? 1 : a.s.frame.frameIndex - b.s.frame.frameIndex));
    // De-duplicate equal positions (keep the first by file name).
    const kept: { s: StackSlice; d: number }[] = [];
    const dropped: string[] = [];
    for (const x of withD) {
      const prev = kept[kept.length - 1];
      if (
        prev &&
        Math.abs(x.d - prev.d) < tol.samePositionMm &&
        norm(sub(x.s.frame.positionLps as Vec3, prev.s.frame.positionLps as Vec3)) < tol.samePositionMm
      ) {
        const keep = x.s.file < prev.s.file ? x : prev;
        const drop = keep === x ? prev : x;
        kept[kept.length - 1] = keep;
        dropped.push(drop.s.file + (drop.s.frame.frameIndex ? ` (frame ${drop.s.frame.frameIndex + 1})` : ''));
        continue;
      }
      kept.push(x);
    }
    if (dropped.length) {
      seriesIssues.push({
        severity: 'warning',
        code: 'duplicate-position',
        message: `${label}: ${dropped.length} slice(s) at an already occupied position were dropped: ${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', …' : ''}`,
      });
    }
    // Tilt: stacking direction vs normal.
    const pFirst = (kept[0] as { s: StackSlice }).s.frame.positionLps as Vec3;
    const pLast = (kept[kept.length - 1] as { s: StackSlice }).s.frame.positionLps as Vec3;
    const total = sub(pLast, pFirst);
    const tiltDeg = kept.length > 1 ? (Math.acos(Math.min(1, Math.abs(dot(total, normal)) / norm(total))) * 180) / Math.PI : 0;
    const tilted = tiltDeg > tol.tiltDegrees;
    // Gaps: projected on the normal, or 3-D distances when tilted.
    const gaps: number[] = [];
    for (let i = 0; i + 1 < kept.length; i++) {
      const a = kept[i] as { s: StackSlice; d: number };
      const b = kept[i + 1] as { s: StackSlice; d: number };
      gaps.push(tilted ? norm(sub(b.s.frame.positionLps as Vec3, a.s.frame.positionLps as Vec3)) : b.d - a.d);
    }
    const close = (g: number, ref: number): boolean => Math.abs(g - ref) <= tol.spacingRelative * ref + tol.spacingAbsoluteMm;
    let runStart = 0;
    let runEnd = kept.length - 1;
    if (gaps.length > 0 && !gaps.every((g) => close(g, median(gaps)))) {
      let bestA = 0;
      let bestB = 0;
      let a = 0;
      for (let i = 0; i < gaps.length; i++) {
        if (!close(gaps[i] as number, gaps[a] as number)) a = i;
        if (i + 1 - a > bestB - bestA) {
          bestA = a;
          bestB = i + 1;
        }
      }
      runStart = bestA;
      runEnd = bestB;
      const nKept = runEnd - runStart + 1;
      const droppedFiles = kept.filter((_, i) => i < runStart || i > runEnd).map((x) => x.s.file);
      if (nKept < 3) {
        issues.push({
          severity: 'error',
          code: 'uneven-spacing',
          message: `${label}: slice gaps vary (${describeGaps(gaps)}) and no two consecutive gaps agree; series not imported`,
        });
        return { series: null, issues };
      }
      seriesIssues.push({
        severity: 'warning',
        code: 'uneven-spacing',
        message: `${label}: slice gaps vary by more than ${fmt(tol.spacingRelative * 100, 1)} % (${describeGaps(gaps)}); kept the largest evenly spaced run of ${nKept} of ${kept.length} slices, dropped ${droppedFiles.length}: ${droppedFiles.slice(0, 10).join(', ')}${droppedFiles.length > 10 ? ', …' : ''}`,
      });
    }
    const run = kept.slice(runStart, runEnd + 1);
    slices = run.map((x) => x.s);
    const a = run[0] as { s: StackSlice; d: number };
    const b = run[run.length - 1] as { s: StackSlice; d: number };
    origin = a.s.frame.positionLps as Vec3;
    if (run.length > 1) {
      const span = sub(b.s.frame.positionLps as Vec3, origin);
      if (tilted) {
        dirK = unit(span);
        spacingK = norm(span) / (run.length - 1);
      } else {
        spacingK = (b.d - a.d) / (run.length - 1);
      }
    } else {
      spacingK = a.s.frame.sliceThicknessMm ?? 1;
    }
    if (tilted) {
      seriesIssues.push({
        severity: 'warning',
        code: 'gantry-tilt',
        message: `${label}: slices are stacked ${fmt(tiltDeg, 1)}° off the image normal (gantry tilt); the volume keeps the measured slice direction ${fmtVec(dirK)} (not orthogonal to the image plane) so voxel positions stay exact; viewers or exports that assume an orthogonal grid must resample`,
      });
    }
    if (slices.length === 1) {
      seriesIssues.push({
        severity: 'warning',
        code: 'single-slice',
        message: `${label}: series has a single slice; slice spacing set to ${fmt(spacingK)} mm`,
        file: a.s.file,
      });
    }
  }

  const f = slices[0] as StackSlice;
  const ps = f.frame.pixelSpacingMm;
  if (!ps)
    seriesIssues.push({
      severity: 'warning',
      code: 'missing-pixel-spacing',
      message: `${label}: no PixelSpacing; 1 mm assumed`,
    });
  const nI = f.columns;
  const nJ = f.rows;
  const nK = slices.length;
  const plane = nI * nJ;
  // Geometry checked once, before the voxels are gathered, for every branch above.
  const bad = geometryProblems({
    size: [nI, nJ, nK],
    spacingMm: [ps ? ps[1] : 1, ps ? ps[0] : 1, spacingK],
    originLps: origin,
    directionLps: [row[0], row[1], row[2], col[0], col[1], col[2], dirK[0], dirK[1], dirK[2]],
  });
  if (bad.length > 0) {
    issues.push({
      severity: 'error',
      code: 'bad-geometry',
      message: `${label}: implausible geometry, series not imported: ${bad.join('; ')}`,
    });
    return { series: null, issues };
  }
  const data = gather(slices, plane);
  // `+ 0` turns the −0 a cross product can give into 0.
  const directionLps: Mat3 = [
    row[0] + 0,
    row[1] + 0,
    row[2] + 0,
    col[0] + 0,
    col[1] + 0,
    col[2] + 0,
    dirK[0] + 0,
    dirK[1] + 0,
    dirK[2] + 0,
  ];
  const volume: Volume = {
    size: [nI, nJ, nK],
    spacingMm: [ps ? ps[1] : 1, ps ? ps[0] : 1, spacingK],
    originLps: origin,
    directionLps,
    data,
  };
  const series: ImportedSeries = {
    metadata: {
      ...f.metadata,
      sopInstanceUids: slices.map((s) => s.sopInstanceUid),
      frameNumbers: slices.map((s) => s.frame.frameIndex + 1),
    },
    volume,
    files: slices.map((s) => s.file),
    issues: seriesIssues,
  };
  return { series, issues };
}
