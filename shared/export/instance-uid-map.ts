import type { SeriesMetadata } from '../dicom/types.ts';
import { toCsv } from './csv-table.ts';

/** Columns of the per-slice UID mapping written beside an export of a series whose UIDs were replaced. */
export const UID_MAP_COLUMNS = ['slice_index', 'frame_number', 'original_sop_instance_uid', 'stored_sop_instance_uid', 'derived'] as const;

/**
 * The original → stored SOP Instance UID of every slice (k = 0 … n−1, the volume's slice order) as
 * CSV, or null when the import kept every UID as read (nothing to map). Exports that reference the
 * stored UIDs (DICOM SEG, later SR) write it beside their file so a reader of the export can find
 * the original file of each referenced slice.
 */
export function instanceUidMapCsv(m: SeriesMetadata): string | null {
  const orig = m.originalSopInstanceUids;
  if (orig === undefined || orig.length !== m.sopInstanceUids.length) return null;
  const rows = m.sopInstanceUids.map((stored, k) => ({
    slice_index: k,
    frame_number: m.frameNumbers?.[k] ?? 1,
    original_sop_instance_uid: orig[k] ?? '',
    stored_sop_instance_uid: stored,
    derived: orig[k] === stored ? 0 : 1,
  }));
  return toCsv(UID_MAP_COLUMNS, rows);
}
