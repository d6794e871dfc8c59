import { asCaseId } from '../../../shared/domain/ids.ts';
import { scanQc, scanQcInput } from '../../../shared/qc/scan-qc.ts';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import { recordQcFlags } from '../qc/record-qc-flags.ts';
import type { Db } from './database.ts';
import { insertSeries } from './insert-series.ts';
import type { SeriesToStore, StoredSeries } from './series-to-store.ts';
import { VoxelCache } from './voxel-cache.ts';

/**
 * Stores a series and creates its case; returns the existing case for known voxels (`CaseStore.addSeries`).
 * `contentHash`: the voxel-cache hash when already computed (and the voxels written) off the main thread.
 */
export function addSeries(
  db: Db,
  voxels: VoxelCache,
  audit: AuditTrail,
  s: SeriesToStore,
  by: AuditActor,
  contentHash?: string,
): StoredSeries {
  const hash = contentHash ?? VoxelCache.contentHash(s.volume);
  const existingCase = (): number | undefined =>
    (
      db.prepare('SELECT c.id FROM cases c JOIN series s ON s.id = c.series_id WHERE s.content_hash = ?').get(hash) as
        { id: number } | undefined
    )?.id;
  const known = existingCase();
  if (known !== undefined) return { caseId: asCaseId(known), duplicate: true };
  voxels.put(hash, s.volume); // content-addressed: another process writing the same file is harmless
  // BEGIN IMMEDIATE and a second look under the write lock (insert-series.ts).
  const caseId = insertSeries(db, audit, s, by, hash, existingCase);
  if (typeof caseId !== 'number') return { caseId: asCaseId(caseId.duplicateOf), duplicate: true };
  audit.syncAnchor();
  // The scan QC gate runs on every import (scan facts only; the analysis adds the lung checks).
  recordQcFlags(db, asCaseId(caseId), 'import', s.qcFlags ?? scanQc(scanQcInput(s, s.volume)));
  return { caseId: asCaseId(caseId), duplicate: false };
}
