import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import {
  COVERAGE_BLOCKING_FRACTION,
  COVERAGE_WARNING_FRACTION,
  FOV_CUT_BLOCKING_FRACTION,
  FOV_CUT_WARNING_FRACTION,
  MAX_LUNG_SIDE_RATIO,
  MAX_LUNG_VOLUME_ML,
  MIN_LUNG_VOLUME_ML,
  NO_LUNG_ML,
} from '../qc-thresholds.ts';

const litres = (ml: number): string => (ml / 1000).toFixed(2);
const pct = (x: number): string => `${Math.round(x * 100)} %`;

/** Lungs present, volume in the physiological range, right/left balance (needs the lung mask). */
export function checkLungVolume(input: ScanQcInput): QcFlag[] {
  const lung = input.lung;
  if (!lung) return [];
  const total = lung.rightMl + lung.leftMl;
  if (total < NO_LUNG_ML) {
    return [
      {
        code: 'no-lung',
        severity: 'blocking',
        message: `No lung found (lung mask ${total.toFixed(0)} mL): this does not look like a chest CT, or the lungs are outside the scan; the burden is meaningless.`,
      },
    ];
  }
  const flags: QcFlag[] = [];
  if (total < MIN_LUNG_VOLUME_ML || total > MAX_LUNG_VOLUME_ML) {
    flags.push({
      code: 'lung-volume',
      severity: 'blocking',
      message: `Lung volume ${litres(total)} L is outside the adult range ${litres(MIN_LUNG_VOLUME_ML)}–${litres(MAX_LUNG_VOLUME_ML)} L: the lung mask ${total < MIN_LUNG_VOLUME_ML ? 'missed lung or the scan covers only part of it' : 'leaked outside the lungs'}; check the lung outline before using the burden.`,
    });
  }
  const lo = Math.min(lung.rightMl, lung.leftMl);
  const hi = Math.max(lung.rightMl, lung.leftMl);
  if (lo <= 0 || hi / lo > MAX_LUNG_SIDE_RATIO) {
    const bigger = lung.rightMl >= lung.leftMl ? 'right' : 'left';
    flags.push({
      code: 'lung-asymmetry',
      severity: 'warning',
      message: `The ${bigger} lung is ${lo <= 0 ? 'the only one found' : `${(hi / lo).toFixed(1)}× the other`} (right ${litres(lung.rightMl)} L, left ${litres(lung.leftMl)} L; expected within ${MAX_LUNG_SIDE_RATIO}×): one lung may be missed, collapsed or removed.`,
    });
  }
  return flags;
}

/** Lungs covered apex to base: lung area on the first and last slice against the largest slice. */
export function checkLungCoverage(input: ScanQcInput): QcFlag[] {
  const lung = input.lung;
  if (!lung || lung.rightMl + lung.leftMl < NO_LUNG_ML) return [];
  const areas = lung.sliceAreaMm2;
  const max = Math.max(...areas);
  if (!(max > 0)) return [];
  // k = 0 is the most inferior slice of an axial LPS volume (the base), k = n−1 the apex.
  const ends = [
    { where: 'base (first slice)', f: (areas[0] ?? 0) / max },
    { where: 'apex (last slice)', f: (areas[areas.length - 1] ?? 0) / max },
  ].filter((e) => e.f > COVERAGE_WARNING_FRACTION);
  if (ends.length === 0) return [];
  const blocking = ends.some((e) => e.f > COVERAGE_BLOCKING_FRACTION);
  return [
    {
      code: 'lung-coverage',
      severity: blocking ? 'blocking' : 'warning',
      message: `The lungs continue past the scan at the ${ends.map((e) => `${e.where}: lung area ${pct(e.f)} of the largest slice`).join(' and ')}: the scan does not cover the lungs from apex to base, so lung volume and burden are of a part only.`,
    },
  ];
}

/** Field-of-view cut: lung reaching the image border on many of its slices. */
export function checkFieldOfView(input: ScanQcInput): QcFlag[] {
  const lung = input.lung;
  if (!lung || lung.lungSlices === 0 || lung.rightMl + lung.leftMl < NO_LUNG_ML) return [];
  const f = lung.borderSlices / lung.lungSlices;
  if (f <= FOV_CUT_WARNING_FRACTION) return [];
  return [
    {
      code: 'fov-cut',
      severity: f > FOV_CUT_BLOCKING_FRACTION ? 'blocking' : 'warning',
      message: `The lung touches the image border or the edge of the field of view on ${lung.borderSlices} of ${lung.lungSlices} lung slices (${pct(f)}): the field of view cuts the lung, so part of it is missing from the volume.`,
    },
  ];
}
