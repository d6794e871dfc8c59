import { join } from 'node:path';
import { displayText } from '../../shared/export/display-text.ts';
import { APP_ROOT } from '../app/paths.ts';
import { createWorkstation } from '../app/workstation.ts';
import { importAnyPath } from '../services/analysis/import-any-path.ts';
import { exportDiagnostics } from '../services/logging/export-diagnostics.ts';
import { caseQc } from '../services/qc/qc-store.ts';
import { runAnalyzeCommand, type AnalyzeOptions } from './analyze-command.ts';
import { UsageError } from './cli-usage.ts';
import { EXIT } from './exit-codes.ts';
import { applyImportTrialFlags, checkTrialFlags } from './trial-command.ts';

/** The options the workstation commands read: analyze's, the trial flags of import, `--json` and `--out`. */
export type WorkstationCommandValues = AnalyzeOptions &
  Parameters<typeof checkTrialFlags>[0] & { readonly json: boolean; readonly out?: string | undefined };

/**
 * The commands that open the whole workstation on the data folder (`list`, `diagnostics`,
 * `import`, `analyze`): the workstation is closed again whatever happens. Returns the exit code;
 * an unknown command is a UsageError.
 */
export async function runWorkstationCommand(
  command: string,
  positionals: readonly string[],
  values: WorkstationCommandValues,
  dataDir: string,
  log: (msg: string) => void,
): Promise<number> {
  const ws = await createWorkstation({ dataDir, seedSample: false });
  try {
    switch (command) {
      case 'list': {
        const rows = ws.store.listCases();
        if (values.json) console.log(JSON.stringify(rows, null, 2));
        else {
          console.log('id\tstatus\tpatient\tseries\tslices\tburden%');
          for (const r of rows)
            console.log(
              `${r.id}\t${r.status}\t${displayText(r.patientId)}\t${displayText(r.seriesDescription)}\t${r.sliceCount}\t${r.burdenPercent?.toFixed(2) ?? ''}`,
            );
        }
        return EXIT.ok;
      }
      case 'diagnostics': {
        if (!values.out) throw new UsageError('diagnostics needs --out <file.zip|dir>');
        const r = exportDiagnostics(values.out, {
          db: ws.store.db,
          log: ws.log.file,
          redact: ws.log.redact,
          packageJsonPath: join(APP_ROOT, 'package.json'),
        });
        console.log(`wrote ${r.path} (${r.entries.length} entries; database integrity: ${r.integrity})`);
        return r.integrity === 'ok' ? EXIT.ok : EXIT.failure;
      }
      case 'import': {
        const target = positionals[0];
        if (!target) throw new UsageError('import needs a DICOM folder or NIfTI file');
        checkTrialFlags(values);
        const { series, issues } = await importAnyPath(target);
        for (const i of issues) log(`${i.severity}: ${i.file ? `${i.file}: ` : ''}${i.message}`);
        for (const s of series) {
          const r = ws.store.addSeries(s);
          applyImportTrialFlags(ws.store, r.caseId, s.metadata, values);
          console.log(
            `${r.caseId}\t${r.duplicate ? 'already imported' : 'imported'}\t${displayText(s.metadata.seriesDescription)}\t${s.volume.size.join('x')}`,
          );
          for (const f of caseQc(ws.store.db, r.caseId).flags) log(`  scan QC ${f.severity}: ${f.code}: ${f.message}`);
        }
        return EXIT.ok;
      }
      case 'analyze': {
        const target = positionals[0];
        if (!target) throw new UsageError('analyze needs a case id, DICOM folder or NIfTI file');
        return await runAnalyzeCommand(ws, target, values, dataDir);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await ws.close();
  }
}
