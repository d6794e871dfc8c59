// The headless `lung-burden` command line: the same services as the workstation, no UI.
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../app/paths.ts';
import { parseSegmentOrientation, runSegmentCommand } from './segment-command.ts';
import { compareSlices } from './compare-slices-command.ts';
import { runReportCommand } from './report-command.ts';
import { runBatchCommand } from './batch-command.ts';
import { runRocCommand } from './roc-command.ts';
import { runExportCommand, EXPORT_FORMATS, type ExportFormat } from './export-command.ts';
import { runRetrainCommand } from '../services/training/retrain-runner.ts';
import { runAuditCommand } from './audit-command.ts';
import { EXIT } from './exit-codes.ts';
import { passwordFromEnvOrStdin, runReadersCommand } from './readers-command.ts';
import { runAgreementCommand } from './agreement-command.ts';
import { runReadStudyCommand } from './read-study-command.ts';
import { runTrialCommand, TRIAL_CLI_OPTIONS } from './trial-command.ts';
import { checkArgumentCount, USAGE, UsageError } from './cli-usage.ts';
import { installTerminalSafeOutput } from './terminal-output.ts';
import { runPacsCommand, runSrExportCommand } from './pacs-command.ts';
import { runWorkstationCommand } from './workstation-command.ts';
import { exitOnCliError } from './exit-on-cli-error.ts';

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === 'read-study') return runReadStudyCommand(rest, { out: (t) => process.stdout.write(t), log });
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      'no-model': { type: 'boolean', default: false },
      model: { type: 'string' },
      threads: { type: 'string' },
      provider: { type: 'string' },
      out: { type: 'string' },
      'window-center': { type: 'string' },
      'window-width': { type: 'string' },
      orientation: { type: 'string' },
      jobs: { type: 'string' },
      labels: { type: 'string' },
      'label-column': { type: 'string' },
      column: { type: 'string' },
      threshold: { type: 'string' },
      pseudonymize: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      format: { type: 'string' },
      from: { type: 'string' },
      steps: { type: 'string' },
      'min-delta': { type: 'string' },
      deidentify: { type: 'boolean', default: false },
      'retry-failed': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      name: { type: 'string' },
      role: { type: 'string' },
      'display-name': { type: 'string' },
      as: { type: 'string' },
      'reader-a': { type: 'string' },
      'reader-b': { type: 'string' },
      help: { type: 'boolean', default: false },
      url: { type: 'string' },
      patient: { type: 'string' },
      user: { type: 'string' },
      token: { type: 'string' },
      ca: { type: 'string' },
      timeout: { type: 'string' },
      unsigned: { type: 'boolean', default: false },
      ...TRIAL_CLI_OPTIONS,
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (values.model !== undefined && command !== 'analyze' && command !== 'segment')
    throw new UsageError(`--model is an option of analyze and segment only, not of ${command}`);
  const dataDir = values['data-dir'] ?? defaultDataDir();

  checkArgumentCount(command, positionals);

  if (command === 'segment') {
    if (positionals.length === 0 || !values.out) throw new UsageError('segment needs <input> and --out <dir>');
    const orientation = parseSegmentOrientation(values.orientation ?? 'auto');
    if (orientation === null)
      throw new UsageError(
        `--orientation must be auto, upright (display), or transposed/upside-down/mirrored joined by + (got ${values.orientation})`,
      );
    return runSegmentCommand({
      inputs: positionals,
      outDir: values.out,
      dataDir,
      ...(values['window-center'] !== undefined ? { windowCenterHu: Number(values['window-center']) } : {}),
      ...(values['window-width'] !== undefined ? { windowWidthHu: Number(values['window-width']) } : {}),
      ...(values.threads !== undefined ? { threads: Number(values.threads) } : {}),
      ...(values.model !== undefined ? { model: values.model } : {}),
      orientation,
      log,
    });
  }

  if (command === 'compare-slices') {
    const [testDir, referenceDir] = positionals;
    if (!testDir || !referenceDir) throw new UsageError('compare-slices needs <test-dir> and <reference-dir>');
    const r = compareSlices({ testDir, referenceDir, ...(values.out ? { csvOut: values.out } : {}), log });
    if (values.json) console.log(JSON.stringify({ n: r.n, classes: r.classes, missingInTest: r.missingInTest }, null, 2));
    else {
      console.log(`images: ${r.n}`);
      for (const [c, v] of Object.entries(r.classes))
        console.log(
          `${c.padEnd(12)} mean Dice ${v.meanDice.toFixed(3)}  pooled Dice ${v.pooledDice.toFixed(3)}  both empty ${v.emptyBoth}`,
        );
    }
    return EXIT.ok;
  }

  if (command === 'report') {
    const target = positionals[0];
    if (!target || !values.out) throw new UsageError('report needs <case-id|path> and --out <file.pdf|dir>');
    await runReportCommand({
      target,
      out: values.out,
      dataDir,
      log,
      noModel: values['no-model'],
      pseudonymize: values.pseudonymize,
      force: values.force,
    });
    return EXIT.ok;
  }
  if (command === 'batch') {
    const root = positionals[0];
    if (!root || !values.out) throw new UsageError('batch needs <root> and --out <dir>');
    const jobs = Number(values.jobs ?? 1);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs must be a positive integer');
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const s = await runBatchCommand({
      root,
      outDir: values.out,
      jobs,
      dataDir,
      log,
      noModel: values['no-model'],
      pseudonymize: values.pseudonymize,
      retryFailed: values['retry-failed'],
      signal: controller.signal,
      ...(values.labels ? { labelsCsv: values.labels } : {}),
      ...(values['label-column'] ? { labelColumn: values['label-column'] } : {}),
    });
    return s.interrupted ? EXIT.failure : s.failed ? EXIT.badInput : EXIT.ok;
  }
  if (command === 'pacs') {
    const [sub, ...args] = positionals;
    const timeoutS = values.timeout !== undefined ? Number(values.timeout) : undefined;
    if (timeoutS !== undefined && !(Number.isInteger(timeoutS) && timeoutS > 0))
      throw new UsageError('--timeout must be a positive number of seconds');
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    return runPacsCommand(sub, args, {
      dataDir,
      json: values.json,
      unsigned: values.unsigned,
      env: process.env,
      out: (l) => console.log(l),
      log,
      signal: controller.signal,
      ...(values.url ? { url: values.url } : {}),
      ...(values.user ? { user: values.user } : {}),
      ...(values.token ? { token: values.token } : {}),
      ...(values.ca ? { ca: values.ca } : {}),
      ...(values.patient ? { patient: values.patient } : {}),
      ...(timeoutS !== undefined ? { timeoutS } : {}),
    });
  }
  if (command === 'export' && values.format === 'sr') {
    const target = positionals[0];
    if (!target || !values.out) throw new UsageError('export --format sr needs <case-id> --out <dir> [--unsigned]');
    return runSrExportCommand({ target, out: values.out, dataDir, unsigned: values.unsigned, log: (m) => console.log(m) });
  }
  if (command === 'export') {
    const target = positionals[0];
    if (!target || !values.out || !EXPORT_FORMATS.includes(values.format as ExportFormat)) {
      throw new UsageError(`export needs <case-id|path> --format ${EXPORT_FORMATS.join('|')} --out <dir> [--deidentify]`);
    }
    return runExportCommand({
      target,
      format: values.format as ExportFormat,
      out: values.out,
      dataDir,
      log: (m) => console.log(m),
      ...(values.deidentify ? { deidentify: true } : {}),
      force: values.force,
    });
  }
  if (command === 'retrain') {
    if (!values.from) throw new UsageError('retrain needs --from <lung-burden-v1 export> [--steps N] [--min-delta D]');
    const r = await runRetrainCommand({
      from: values.from,
      dataDir,
      log: (m) => console.log(m),
      ...(values.steps ? { steps: Number(values.steps) } : {}),
      ...(values['min-delta'] ? { minDelta: Number(values['min-delta']) } : {}),
    });
    return r.status === 'registered' ? EXIT.ok : EXIT.model;
  }
  if (command === 'audit') {
    const target = positionals[0];
    if ((target === undefined) === !values.all || (target !== undefined && !/^\d+$/.test(target)))
      throw new UsageError('audit needs <case-id> or --all');
    return runAuditCommand({
      caseId: target === undefined ? null : Number(target),
      dataDir,
      json: values.json,
      csv: values.csv,
      verify: values.verify,
      out: (t) => process.stdout.write(t),
      log,
    });
  }
  if (command === 'agreement') {
    const readerA = values['reader-a'];
    const readerB = values['reader-b'];
    if (!readerA || !readerB || !values.out) throw new UsageError('agreement needs --reader-a <login> --reader-b <login> --out <dir>');
    return runAgreementCommand({ readerA, readerB, out: values.out, dataDir, log });
  }
  if (command === 'readers') {
    const action = positionals[0];
    if (!action) throw new UsageError('readers needs add or list');
    return runReadersCommand({
      action,
      dataDir,
      json: values.json,
      readPassword: passwordFromEnvOrStdin,
      out: (t) => process.stdout.write(t),
      log,
      ...(values.name !== undefined ? { login: values.name } : {}),
      ...(values['display-name'] !== undefined ? { displayName: values['display-name'] } : {}),
      ...(values.role !== undefined ? { role: values.role } : {}),
      ...(values.as !== undefined ? { as: values.as } : {}),
    });
  }
  if (command === 'roc') {
    const cohortCsv = positionals[0];
    if (!cohortCsv || !values.labels || !values.column || !values.out)
      throw new UsageError('roc needs <cohort.csv>, --labels, --column and --out');
    await runRocCommand({
      cohortCsv,
      labelsCsv: values.labels,
      column: values.column,
      out: values.out,
      log,
      ...(values.threshold ? { threshold: Number(values.threshold) } : {}),
    });
    return EXIT.ok;
  }

  if (command === 'trial')
    return runTrialCommand(positionals, values, { dataDir, json: values.json, out: (t) => process.stdout.write(t), log });
  return runWorkstationCommand(command, positionals, values, dataDir, log);
}

installTerminalSafeOutput();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => exitOnCliError(e, log),
);
