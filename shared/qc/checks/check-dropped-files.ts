import type { DroppedFile } from '../../dicom/types.ts';
import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { DROPPED_SLICES_BLOCKING_FRACTION } from '../qc-thresholds.ts';

const names = (files: readonly DroppedFile[]): string =>
  files
    .slice(0, 5)
    .map((f) => f.file)
    .join(', ') + (files.length > 5 ? ', …' : '');

/** Slices dropped from this series and files of the same import that gave no slice at all. */
export function checkDroppedFiles(input: ScanQcInput): QcFlag[] {
  const a = input.acquisition;
  if (!a) return [];
  const flags: QcFlag[] = [];
  const dropped = a.droppedSlices.length;
  if (dropped > 0) {
    const total = dropped + input.geometry.size[2];
    const f = dropped / total;
    flags.push({
      code: 'slices-dropped',
      severity: f > DROPPED_SLICES_BLOCKING_FRACTION ? 'blocking' : 'warning',
      message: `${dropped} of ${total} slices of this series were dropped on import (${[...new Set(a.droppedSlices.map((d) => d.code))].join(', ')}: ${names(a.droppedSlices)}); the volume has ${input.geometry.size[2]}.`,
    });
  }
  if (a.skippedFileCount > 0) {
    const unreadable = a.skippedFiles.filter((f) => f.severity === 'error');
    flags.push({
      code: 'files-skipped',
      severity: unreadable.length > 0 ? 'warning' : 'info',
      message: `${a.skippedFileCount} file(s) of the imported folder gave no slice (${[...new Set(a.skippedFiles.map((f) => f.code))].join(', ')}: ${names(a.skippedFiles)})${unreadable.length > 0 ? `; ${unreadable.length} could not be read and may be missing slices` : ''}.`,
    });
  }
  return flags;
}
