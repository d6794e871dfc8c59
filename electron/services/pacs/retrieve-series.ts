import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { ImportIssue } from '../../../shared/dicom/types.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { importAnyPath } from '../analysis/import-any-path.ts';
import type { DicomWebClient } from './dicomweb-client.ts';
import { PacsError } from './pacs-error.ts';

export interface RetrieveSeriesOptions {
  readonly signal?: AbortSignal;
  /** Instances present (fetched now or earlier) / total, and a short message. */
  readonly onProgress?: (done: number, total: number, message: string) => void;
  /** Instances fetched in parallel (default 4). */
  readonly concurrency?: number;
}

export interface RetrieveSeriesResult {
  readonly caseIds: readonly CaseId[];
  /** True when every case was already in the store (same voxels). */
  readonly duplicate: boolean;
  readonly instances: number;
  /** Instances that were already staged by an earlier, interrupted retrieve. */
  readonly resumed: number;
  readonly issues: readonly ImportIssue[];
}

/** `<dataDir>/pacs-staging`: one folder per series being retrieved (kept across failures for resume). */
export const stagingRoot = (dataDir: string): string => join(dataDir, 'pacs-staging');

/** The staging folder of a series: a hash of node URL + series UID (no PHI in the path). */
export function stagingDirOf(dataDir: string, nodeUrl: string, seriesInstanceUid: string): string {
  const key = createHash('sha256').update(`${nodeUrl}\u0000${seriesInstanceUid}`).digest('hex').slice(0, 24);
  return join(stagingRoot(dataDir), key);
}

/** Writes a file so that it exists under its name only when complete (temp + fsync + rename). */
function writeComplete(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.part`;
  writeFileSync(tmp, bytes);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Retrieves one series from a DICOMweb node into the case store:
 * 1. QIDO-RS lists the series' instances;
 * 2. WADO-RS fetches each one not yet staged into `<dataDir>/pacs-staging/<key>/<SOPInstanceUID>.dcm`
 *    (written whole, then renamed: a partial file never counts). An interrupted retrieve (cancel,
 *    PACS gone, crash) leaves the complete instances there, and the next call fetches only the rest;
 * 3. only when every instance is staged is the folder handed to the folder importer (the same QC
 *    and import rules as a folder import), the case(s) stored, and the staging folder removed.
 * Nothing is added to the store before step 3, so a half-retrieved series never appears as a case.
 */
export async function retrieveSeries(
  client: DicomWebClient,
  store: CaseStore,
  where: { readonly dataDir: string; readonly studyInstanceUid: string; readonly seriesInstanceUid: string },
  o: RetrieveSeriesOptions = {},
): Promise<RetrieveSeriesResult> {
  const { studyInstanceUid, seriesInstanceUid } = where;
  const dir = stagingDirOf(where.dataDir, client.displayUrl, seriesInstanceUid);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.part')) rmSync(join(dir, f), { force: true });
  o.onProgress?.(0, 1, 'listing the instances of the series');
  const uids = await client.searchInstances(studyInstanceUid, seriesInstanceUid, o.signal);
  if (uids.length === 0) throw new PacsError('not-found', `the PACS lists no instances for series ${seriesInstanceUid}`);
  const fileOf = (uid: string): string => join(dir, `${uid}.dcm`);
  const staged = new Set(uids.filter((u) => existsSync(fileOf(u)) && statSync(fileOf(u)).size > 132));
  const resumed = staged.size;
  const total = uids.length;
  const todo = uids.filter((u) => !staged.has(u));
  o.onProgress?.(
    staged.size,
    total,
    resumed > 0 ? `resuming: ${resumed} of ${total} instances already here` : `retrieving ${total} instances`,
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      if (o.signal?.aborted) throw new PacsError('cancelled', 'retrieve cancelled');
      const uid = todo[next++] as string;
      const bytes = await client.retrieveInstance(studyInstanceUid, seriesInstanceUid, uid, o.signal);
      writeComplete(fileOf(uid), bytes);
      staged.add(uid);
      o.onProgress?.(staged.size, total, `retrieved ${staged.size} of ${total} instances`);
    }
  };
  const n = Math.max(1, Math.min(o.concurrency ?? 4, todo.length));
  // allSettled: a failing worker must not leave others writing after we return
  const results = await Promise.allSettled(Array.from({ length: n }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    const e = failed.reason as unknown;
    if (e instanceof PacsError) {
      throw new PacsError(
        e.code,
        `${e.message} — ${staged.size} of ${total} instances are kept for a resumed retrieve; nothing was imported`,
        e.status,
      );
    }
    throw e;
  }
  if (o.signal?.aborted) throw new PacsError('cancelled', 'retrieve cancelled');
  o.onProgress?.(total, total, 'importing the retrieved series');
  const { series, issues } = await importAnyPath(dir, o.signal ? { signal: o.signal } : {});
  const sourcePath = `${client.displayUrl}/studies/${studyInstanceUid}/series/${seriesInstanceUid}`;
  const caseIds: CaseId[] = [];
  let duplicate = true;
  for (const s of series) {
    const r = store.addSeries({ ...s, sourcePath });
    caseIds.push(r.caseId);
    duplicate &&= r.duplicate;
  }
  rmSync(dir, { recursive: true, force: true });
  return { caseIds, duplicate, instances: total, resumed, issues };
}
