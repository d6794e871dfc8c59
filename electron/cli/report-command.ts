import { UnsafeOutputError } from '../services/exports/safe-write.ts';
import { existsSync } from 'node:fs';
import { cliActor } from '../services/audit/audit-trail.ts';
import { join } from 'node:path';
import { asCaseId, type CaseId } from '../../shared/domain/ids.ts';
import { createWorkstation, type Workstation } from '../app/workstation.ts';
import { analyzeCase } from '../services/analysis/analyze-case.ts';
import { importAnyPath } from '../services/analysis/import-any-path.ts';
import { besidePath, writeCaseReport, type CaseReportFiles } from '../services/reports/report-service.ts';

export interface ReportCommandOptions {
  /** A case id of the store, or a DICOM folder / NIfTI file (imported and analysed first). */
  readonly target: string;
  /** The PDF path (`….pdf`), or a folder (the report is `<folder>/case-<id>.pdf`). */
  readonly out: string;
  readonly dataDir: string;
  readonly log: (msg: string) => void;
  /** Do not run the lesion model when the case must be analysed (lung mask + burden only). */
  readonly noModel?: boolean;
  /** Show the patient by pseudonym only. */
  readonly pseudonymize?: boolean;
  /** Replace an existing report (default: refused). */
  readonly force?: boolean;
}

/**
 * `lung-burden report <case-id|path> --out <file.pdf|folder>`: writes the case's PDF report and,
 * beside it, the report JSON and one-row CSV. A path is imported first (the series with the most
 * slices); a case without a burden record is analysed first (active model unless `noModel`).
 */
export async function runReportCommand(o: ReportCommandOptions): Promise<CaseReportFiles> {
  const ws = await createWorkstation({ dataDir: o.dataDir, seedSample: false });
  try {
    const caseId = await resolveTarget(ws, o.target, o.log);
    if (!ws.store.latestBurden(caseId)) {
      const model = o.noModel ? null : await ws.activeModel();
      if (!model && !o.noModel) o.log('note: no lesion model bundle found: lung mask and burden only (lesion volumes 0)');
      o.log(`analysing case ${caseId}${model ? ` with ${model.metadata.name} ${model.metadata.version}` : ''}`);
      await analyzeCase(ws.store, caseId, { model });
    }
    const pdf = /\.pdf$/i.test(o.out) ? o.out : join(o.out, `case-${caseId}.pdf`);
    for (const f of [pdf, besidePath(pdf, 'csv'), besidePath(pdf, 'json')]) {
      if (existsSync(f) && !o.force) throw new UnsafeOutputError(`${f} exists: pass --force to replace it, or choose another --out`);
    }
    const files = await writeCaseReport(ws.store, caseId, pdf, { by: cliActor(), ...(o.pseudonymize ? { pseudonymize: true } : {}) });
    o.log(`case ${caseId}: burden ${files.data.burden.burdenPercent.toFixed(2)} % (${files.data.severity.label})`);
    o.log(`wrote ${files.pdfPath}, ${files.jsonPath}, ${files.csvPath}`);
    return files;
  } finally {
    await ws.close();
  }
}

async function resolveTarget(ws: Workstation, target: string, log: (m: string) => void): Promise<CaseId> {
  if (/^\d+$/.test(target) && !existsSync(target)) {
    const id = asCaseId(Number(target));
    ws.store.getCase(id);
    return id;
  }
  const { series, issues } = await importAnyPath(target);
  for (const i of issues) log(`${i.severity}: ${i.file ? `${i.file}: ` : ''}${i.message}`);
  if (series.length > 1) log(`note: ${series.length} series found; reporting the one with the most slices`);
  const best = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0]!;
  return ws.store.addSeries(best).caseId;
}
