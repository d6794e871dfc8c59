import type { Vec3 } from '../../domain/volume.ts';
import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { GANTRY_TILT_WARNING_DEG } from '../qc-thresholds.ts';

/** Angle (degrees) between the volume's slice direction and the normal of its image plane. */
export function stackTiltDegrees(direction: readonly number[]): number {
  const r: Vec3 = [direction[0] ?? 1, direction[1] ?? 0, direction[2] ?? 0];
  const c: Vec3 = [direction[3] ?? 0, direction[4] ?? 1, direction[5] ?? 0];
  const k: Vec3 = [direction[6] ?? 0, direction[7] ?? 0, direction[8] ?? 1];
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const dot = Math.abs(n[0] * k[0] + n[1] * k[1] + n[2] * k[2]) / (Math.hypot(...n) * Math.hypot(...k) || 1);
  return (Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

/** Gantry tilt, measured from the slice positions or tagged (GantryDetectorTilt). */
export function checkGantryTilt(input: ScanQcInput): QcFlag[] {
  const measured = stackTiltDegrees(input.geometry.directionLps);
  const tagged = input.acquisition?.gantryDetectorTiltDeg ?? null;
  const deg = Math.max(measured, Math.abs(tagged ?? 0));
  if (deg <= GANTRY_TILT_WARNING_DEG) return [];
  return [
    {
      code: 'gantry-tilt',
      severity: 'warning',
      message: `The gantry was tilted ${deg.toFixed(1)}°${tagged !== null && Math.abs(tagged) > GANTRY_TILT_WARNING_DEG ? ' (GantryDetectorTilt tag)' : ''}: chest CT for burden is normally acquired without tilt; check the scan is a chest CT and that slices are not sheared.`,
    },
  ];
}
