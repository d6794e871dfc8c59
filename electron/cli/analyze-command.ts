// `lung-burden analyze`: import (or pick) a case, run lung mask + lesion model + burden, print the figures.
import { existsSync } from 'node:fs';
import { asCaseId, type CaseId } from '../../shared/domain/ids.ts';
import { burdenCsv, cohortRow } from '../../shared/export/burden-csv.ts';
import { displayText } from '../../shared/export/display-text.ts';
import type { Workstation } from '../app/workstation.ts';
import { analyzeCase } from '../services/analysis/analyze-case.ts';
import { importAnyPath } from '../services/analysis/import-any-path.ts';
import { caseReportData } from '../services/reports/report-service.ts';
import { UsageError } from './cli-usage.ts';
import { EXIT } from './exit-codes.ts';
import { formatQcForTerminal } from './format-qc.ts';
import { modelFromOption } from './model-from-option.ts';
import { join } from 'node:path';
import { APP_ROOT } from '../app/paths.ts';

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** The options of `analyze` (from the CLI's parsed arguments). */
export interface AnalyzeOptions {
  readonly json?: boolean | undefined;
  readonly csv?: boolean | undefined;
  readonly 'no-model'?: boolean | undefined;
  /** `NAME[@VERSION]` of an installed bundle instead of the active model. */
  readonly model?: string | undefined;
  readonly threads?: string | undefined;
  readonly provider?: string | undefined;
}

/** A case id of the store, or the series (with the most slices) of a DICOM folder / NIfTI imported now. */
export async function resolveCase(ws: Workstation, target: string): Promise<CaseId> {
  if (/^\d+$/.test(target) && !existsSync(target)) {
    const id = asCaseId(Number(target));
    ws.store.getCase(id);
    return id;
  }
  const { series, issues } = await importAnyPath(target, {
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rimporting ${done}/${total} files`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  for (const i of issues) log(`${i.severity}: ${i.file ? `${i.file}: ` : ''}${i.message}`);
  if (series.length > 1) log(`note: ${series.length} series found; analysing the one with the most slices`);
  const best = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0]!;
  for (const i of best.issues) log(`${i.severity}: ${i.message}`);
  return ws.store.addSeries(best).caseId;
}

/** Analyses `target`; answers the exit code (5 when the scan has blocking QC flags). */
export async function runAnalyzeCommand(ws: Workstation, target: string, values: AnalyzeOptions, dataDir: string): Promise<number> {
  const caseId = await resolveCase(ws, target);
  const model = values['no-model']
    ? null
    : values.model !== undefined
      ? await modelFromOption(values.model, { builtinDir: join(APP_ROOT, 'models'), userDir: join(dataDir, 'models') })
      : await ws.activeModel();
  if (!model && !values['no-model']) log('note: no lesion model bundle found: lung mask and burden only (lesion volumes 0)');
  const provider = values.provider;
  if (provider !== undefined && provider !== 'auto' && provider !== 'cpu' && provider !== 'cuda')
    throw new UsageError('--provider must be auto, cpu or cuda');
  const r = await analyzeCase(ws.store, caseId, {
    model,
    ...(values.threads !== undefined ? { threads: Number(values.threads) } : {}),
    ...(provider !== undefined ? { provider } : {}),
    onProgress: (d, t) => {
      if (process.stderr.isTTY) process.stderr.write(`\rsegmenting ${d}/${t}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const c = ws.store.getCase(caseId);
  const record = {
    caseId,
    patientId: c.patientId,
    seriesDescription: c.seriesDescription,
    ...r.burden,
    model: r.model,
    lesionVersionId: r.lesionVersionId,
    lungVersionId: r.lungVersionId,
    timingsMs: r.timingsMs,
    qc: r.qc.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
  };
  if (values.csv) process.stdout.write(burdenCsv([cohortRow(caseReportData(ws.store, caseId))]));
  else if (values.json) console.log(JSON.stringify(record));
  else {
    console.log(`case ${caseId}: ${displayText(c.patientId)} ${displayText(c.seriesDescription)}`);
    console.log(`lung volume        ${r.burden.lungVolumeMl.toFixed(1)} mL`);
    console.log(`GGO                ${r.burden.ggoVolumeMl.toFixed(1)} mL`);
    console.log(`high opacity       ${r.burden.highOpacityVolumeMl.toFixed(1)} mL`);
    console.log(`burden             ${r.burden.burdenPercent.toFixed(2)} %`);
    console.log(`model              ${r.model ? `${r.model.name} ${r.model.version} (${r.model.provider})` : 'none'}`);
    console.log(formatQcForTerminal(r.qc));
  }
  return r.qc.some((f) => f.severity === 'blocking') ? EXIT.blockingQc : EXIT.ok;
}
