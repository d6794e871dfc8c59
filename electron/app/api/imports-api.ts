import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { importsContract } from '../../../shared/contracts/imports.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { CaseStoreError } from '../../services/cases/case-store.ts';
import type { WorkstationDialogs } from '../workstation-dialogs.ts';
import { sweepStale } from './sweep-stale.ts';

/** Upload folders older than this are leftovers of a crashed process (removed at start). */
const STALE_MS = 24 * 3600_000;

export interface ImportsApiDeps {
  /** The case store's folder: uploads are staged in `<dataDir>/uploads/<id>/`. */
  readonly dataDir: string;
  /** Starts the workstation's import job on a folder or file. */
  readonly startImport: (path: string) => JobInfo;
  /** Resolves when a job has left the running state. */
  readonly waitJob: (id: string) => Promise<JobInfo>;
  readonly dialogs?: WorkstationDialogs | undefined;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  /** Uploads open at the same time (default 4). */
  readonly maxOpenUploads?: number;
  /** An upload without a file for this long is dropped (default 30 min). */
  readonly idleMs?: number;
}

interface Upload {
  readonly dir: string;
  readonly plannedFiles: number;
  readonly plannedBytes: number;
  readonly paths: Set<string>;
  bytes: number;
  timer: NodeJS.Timeout;
}

/**
 * The `imports` service: "Import folder…" with Electron's folder dialog, or, in browser mode, a
 * folder uploaded file by file (binary RPCs: the same gate and token checks as every call) into a
 * fresh staging folder `<dataDir>/uploads/<32 hex>/`, bounded by the plan given to
 * `beginUpload` (file count and total bytes, each at most the contract's limits) and by the
 * number of open uploads. `finishUpload` runs the usual import job on the staging folder and
 * removes the folder when the job ends (the volumes are then in the case store). A path never
 * leaves its staging folder (checked again after resolving, beyond the contract's schema).
 */
export function createImportsApi(deps: ImportsApiDeps): ServiceApi<(typeof importsContract)['imports']> {
  const root = join(deps.dataDir, 'uploads');
  sweepStale(root, STALE_MS);
  const uploads = new Map<string, Upload>();
  const idleMs = deps.idleMs ?? 30 * 60_000;
  const get = (id: string): Upload => {
    const u = uploads.get(id);
    if (!u) throw new CaseStoreError('not-found', 'this upload is not open (finished, aborted or expired): start the import again');
    return u;
  };
  const drop = (id: string): void => {
    const u = uploads.get(id);
    if (!u) return;
    uploads.delete(id);
    clearTimeout(u.timer);
    rmSync(u.dir, { recursive: true, force: true });
  };
  const touch = (id: string, u: Upload): void => {
    clearTimeout(u.timer);
    u.timer = setTimeout(() => drop(id), idleMs);
    u.timer.unref();
  };

  return {
    chooseFolder: async () => {
      if (!deps.dialogs) return { kind: 'unsupported' };
      const folder = await deps.dialogs.chooseImportFolder();
      if (folder === null) return { kind: 'cancelled' };
      return { kind: 'started', job: deps.startImport(folder) };
    },
    beginUpload: async (plan) => {
      if (uploads.size >= (deps.maxOpenUploads ?? 4))
        throw new CaseStoreError('invalid', 'too many folder uploads at once: wait for one to finish');
      const uploadId = randomBytes(16).toString('hex');
      const dir = join(root, uploadId);
      mkdirSync(dir, { recursive: true });
      const u: Upload = {
        dir,
        plannedFiles: plan.files,
        plannedBytes: plan.bytes,
        paths: new Set(),
        bytes: 0,
        timer: setTimeout(() => undefined, 0),
      };
      uploads.set(uploadId, u);
      touch(uploadId, u);
      deps.log?.('folder upload started', { uploadId, files: plan.files, bytes: plan.bytes });
      return { uploadId };
    },
    uploadFile: async (uploadId, relPath, bytes) => {
      const u = get(uploadId);
      if (u.paths.has(relPath)) throw new CaseStoreError('invalid', `${relPath} was uploaded already`);
      if (u.paths.size + 1 > u.plannedFiles) throw new CaseStoreError('invalid', `more files than the ${u.plannedFiles} announced`);
      if (u.bytes + bytes.length > u.plannedBytes) throw new CaseStoreError('invalid', `more bytes than the ${u.plannedBytes} announced`);
      const target = resolve(u.dir, ...relPath.split('/'));
      if (!target.startsWith(resolve(u.dir) + sep)) throw new CaseStoreError('invalid', 'upload path leaves the upload folder');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes, { flag: 'wx' });
      u.paths.add(relPath);
      u.bytes += bytes.length;
      touch(uploadId, u);
      return { files: u.paths.size, bytes: u.bytes };
    },
    finishUpload: async (uploadId) => {
      const u = get(uploadId);
      if (u.paths.size === 0) {
        drop(uploadId);
        throw new CaseStoreError('invalid', 'the upload holds no file');
      }
      uploads.delete(uploadId);
      clearTimeout(u.timer);
      const job = deps.startImport(u.dir);
      deps.log?.('folder upload imported', { uploadId, files: u.paths.size, bytes: u.bytes, job: job.id });
      void deps.waitJob(job.id).finally(() => rmSync(u.dir, { recursive: true, force: true }));
      return job;
    },
    abortUpload: async (uploadId) => {
      get(uploadId);
      drop(uploadId);
      return null;
    },
  };
}
