import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type {
  ExportFileView,
  ExportOutcome,
  ExportRequest,
  ExportVersionView,
  exportsContract,
  UiExportFormat,
} from '../../../shared/contracts/exports.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { exportCaseFiles, exportedVersion } from '../../services/exports/case-export.ts';
import { deidentifierFor } from '../../services/exports/deid-salt.ts';
import { ExportError } from '../../services/exports/export-error.ts';
import { ExportWriter } from '../../services/exports/export-files.ts';
import { writeCaseReport } from '../../services/reports/report-service.ts';
import type { WorkstationDialogs } from '../workstation-dialogs.ts';
import type { AuditActor } from '../../services/audit/audit-trail.ts';
import { sweepStale } from './sweep-stale.ts';

/** Staged exports older than this are leftovers of a crashed process (removed at start). */
const STALE_MS = 24 * 3600_000;

export interface ExportsApiDeps {
  readonly store: CaseStore;
  /** The case store's folder: exports are staged in `<dataDir>/export-staging/`. */
  readonly dataDir: string;
  /** Native dialogs (Electron); without them the outcome is a download. */
  readonly dialogs?: WorkstationDialogs | undefined;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  /** Who exports (the signed-in reader), for the audit trail. */
  readonly actor: () => AuditActor;
  /** How long a download waits to be fetched (default 10 min). */
  readonly downloadTtlMs?: number;
}

/** What a format produced in the staging folder, before delivery. */
interface Staged {
  readonly files: readonly ExportFileView[];
  /** Files handed to the user (relative to the staging folder): one, or several (zipped / a folder). */
  readonly deliver: readonly string[];
  /** Name of the zip / subfolder when several files are delivered. */
  readonly bundleName: string;
  readonly version: ExportVersionView | null;
  readonly summary: string;
}

const MEDIA: Record<string, { media: string; filter: string }> = {
  dcm: { media: 'application/dicom', filter: 'DICOM' },
  pdf: { media: 'application/pdf', filter: 'PDF' },
  csv: { media: 'text/csv', filter: 'CSV' },
  zip: { media: 'application/zip', filter: 'ZIP' },
};

const versionNote = (v: ExportVersionView | null): string =>
  v === null ? 'no lesion labels' : `lesion version ${v.version} by ${v.author}${v.signed ? ', signed' : ', NOT signed'}`;

/** Writes the files of one export into the staging folder `dir` and says which to deliver. */
async function stageExport(deps: ExportsApiDeps, caseId: CaseId, req: ExportRequest, dir: string): Promise<Staged> {
  const { store } = deps;
  if (req.format === 'report-pdf' || req.format === 'report-csv') {
    const name = `case${caseId}-report`;
    const r = await writeCaseReport(store, caseId, join(dir, `${name}.pdf`), req.deidentify ? { pseudonymize: true } : {});
    const lesion = r.data.provenance.lesion;
    const version = lesion === null ? null : exportedVersion(store.labelVersion(lesion.labelVersionId));
    const files = [r.pdfPath, r.csvPath, r.jsonPath].map((p) => fileView(dir, basename(p)));
    const deliver = [basename(req.format === 'report-pdf' ? r.pdfPath : r.csvPath)];
    return {
      files: files.filter((f) => deliver.includes(f.path)),
      deliver,
      bundleName: name,
      version,
      summary: `Report of case ${caseId} (${versionNote(version)})`,
    };
  }
  const training = req.format === 'nnunet' || req.format === 'lung-burden-v1';
  const r = exportCaseFiles(store, caseId, req.format, dir, training || req.deidentify ? deidentifierFor(store) : undefined, deps.actor());
  const deliver = r.files.map((f) => f.path);
  return {
    files: r.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
    deliver,
    bundleName: `case${caseId}-${req.format}${r.version.signed ? '' : '-unsigned'}-v${r.version.version}`,
    version: r.version,
    summary: `${formatName(req.format)} of case ${caseId} (${versionNote(r.version)})`,
  };
}

/**
 * The `exports` service: one case exported from the UI through the same code as the CLI
 * (`exportCaseFiles` for DICOM SEG / NIfTI / nnU-Net / lung-burden-v1, `writeCaseReport` for the
 * report), staged in a fresh folder, then delivered: with native dialogs, saved where the user
 * chooses (one file: save dialog; several: a new subfolder of the chosen folder); without, kept
 * for one `download` (the file, or a zip of several files) for `downloadTtlMs`. The version rules
 * are the CLI's: DICOM SEG, NIfTI and reports may come from an unsigned version and say so; the
 * training formats need a signed version and are always de-identified.
 */
export function createExportsApi(deps: ExportsApiDeps): ServiceApi<(typeof exportsContract)['exports']> {
  const ttl = deps.downloadTtlMs ?? 10 * 60_000;
  const downloads = new Map<string, { readonly file: string; readonly dir: string; readonly timer: NodeJS.Timeout }>();
  const stagingRoot = join(deps.dataDir, 'export-staging');
  sweepStale(stagingRoot, STALE_MS);

  const run = async (caseId: CaseId, req: ExportRequest): Promise<ExportOutcome> => {
    deps.store.getCase(caseId);
    mkdirSync(stagingRoot, { recursive: true });
    const dir = mkdtempSync(join(stagingRoot, 'x-'));
    let keep = false;
    try {
      const s = await stageExport(deps, caseId, req, dir);
      const common = { caseId, format: req.format, files: s.files, version: s.version, summary: s.summary };
      const one = s.deliver.length === 1 ? (s.deliver[0] as string) : null;
      if (deps.dialogs) {
        let destination: string | null;
        if (one !== null) {
          const ext = extOf(one);
          destination = await deps.dialogs.chooseSaveFile(basename(one), { name: MEDIA[ext]?.filter ?? ext.toUpperCase(), extension: ext });
          if (destination === null) return { kind: 'cancelled' };
          new ExportWriter(dirname(destination)).write(basename(destination), readFileSync(join(dir, one)));
        } else {
          const folder = await deps.dialogs.chooseExportFolder(`Export ${s.bundleName} into…`);
          if (folder === null) return { kind: 'cancelled' };
          destination = freshFolder(folder, s.bundleName);
          const w = new ExportWriter(destination);
          for (const f of s.deliver) w.write(f, readFileSync(join(dir, f)));
        }
        deps.log?.('export written', { caseId, format: req.format, version: s.version?.version ?? null, files: s.deliver.length });
        return { kind: 'written', destination, ...common };
      }
      let file: string;
      let fileName: string;
      if (one !== null) {
        file = join(dir, one);
        fileName = basename(one);
      } else {
        const entries: Record<string, Uint8Array> = {};
        for (const f of s.deliver) entries[`${s.bundleName}/${f}`] = readFileSync(join(dir, f));
        fileName = `${s.bundleName}.zip`;
        // Stored, not deflated: the NIfTI and DICOM members are compressed or small already.
        file = join(dir, new ExportWriter(dir).write('.download.zip', zipSync(entries, { level: 0 })).path);
      }
      const downloadId = randomBytes(16).toString('hex');
      const timer = setTimeout(() => drop(downloadId), ttl);
      timer.unref();
      downloads.set(downloadId, { file, dir, timer });
      keep = true;
      const bytes = readFileSync(file).length;
      deps.log?.('export ready for download', { caseId, format: req.format, version: s.version?.version ?? null, bytes });
      return {
        kind: 'download',
        downloadId,
        fileName,
        mediaType: MEDIA[extOf(fileName)]?.media ?? 'application/octet-stream',
        bytes,
        ...common,
      };
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  };

  const drop = (id: string): void => {
    const d = downloads.get(id);
    if (!d) return;
    downloads.delete(id);
    clearTimeout(d.timer);
    rmSync(d.dir, { recursive: true, force: true });
  };

  return {
    run,
    download: async (id) => {
      const d = downloads.get(id);
      if (!d) throw new ExportError('bad-request', 'this download is no longer available (fetched already or expired): export again');
      try {
        return new Uint8Array(readFileSync(d.file));
      } finally {
        drop(id);
      }
    },
  };
}

const formatName = (f: UiExportFormat): string =>
  ({
    'dicom-seg': 'DICOM SEG',
    nifti: 'NIfTI',
    nnunet: 'nnU-Net dataset',
    'lung-burden-v1': 'lung-burden-v1 dataset',
    'report-pdf': 'Report PDF',
    'report-csv': 'Report CSV',
  })[f];

const extOf = (name: string): string => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

function fileView(dir: string, rel: string): ExportFileView {
  const bytes = readFileSync(join(dir, rel));
  return { path: rel, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

/** `<parent>/<name>`, or `<name>-2`, `-3`, … when taken: an export never overwrites an earlier one. */
function freshFolder(parent: string, name: string): string {
  for (let n = 1; ; n++) {
    const p = join(parent, n === 1 ? name : `${name}-${n}`);
    if (!existsSync(p)) return p;
  }
}

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
