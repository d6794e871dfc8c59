import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { APP_ROOT } from '../../app/paths.ts';
import { loadModelBundle, type ModelBundle } from '../inference/model-registry.ts';
import { PYTHON_EXIT } from '../../../shared/contracts/retraining/python-exit-codes.ts';
import { isRetrainPhaseLine, parseTrainerLine, type RetrainPhaseLine } from '../../../shared/contracts/retraining/trainer-line.ts';

/** Exit codes of `python -m lungburden.retrain`: the one definition `shared/contracts/retraining/python-exit-codes.json`. */
export const RETRAIN_PY_EXIT = PYTHON_EXIT;

export interface RetrainCommandOptions {
  /** A `lung-burden export --format lung-burden-v1` folder (manifest.json + cases/). */
  readonly from: string;
  /** User data folder: the new bundle is registered in `<dataDir>/models/<name>-<version>/`. */
  readonly dataDir: string;
  /** Fine-tuning steps (default 300). */
  readonly steps?: number;
  /** Accept when new lesion Dice >= old − minDelta on the fixed validation split (default 0). */
  readonly minDelta?: number;
  /** Base model: a bundle folder or a training run folder (default: the built-in `models/lung-burden-convlstm-fast`). */
  readonly base?: string;
  /** Python interpreter (default `<app root>/.venv/bin/python`). */
  readonly python?: string;
  /** Extra arguments passed to `lungburden.retrain` (e.g. `['--eval-sets', 'medseg']`). */
  readonly extraArgs?: readonly string[];
  readonly log: (msg: string) => void;
  /** Fine-tuning progress, parsed from the trainer's JSON progress lines. */
  readonly onProgress?: (step: number, steps: number, etaS: number | null) => void;
  /** Stage changes, parsed from the trainer's JSON phase lines (contract: `trainer-line.ts`). */
  readonly onPhase?: (p: RetrainPhaseLine) => void;
  /** Aborting kills the Python process (SIGTERM) and rejects with a `RetrainError`. */
  readonly signal?: AbortSignal;
  /** Work folder (default `<dataDir>/retrain/<UTC timestamp>/`). */
  readonly workDir?: string;
}

/** Outcome of {@link runRetrainCommand}. */
export interface RetrainResult {
  /** `registered`: bundle validated and copied into the user models folder; `refused`: new model worse. */
  readonly status: 'registered' | 'refused';
  /** The run folder: `comparison.json` (old vs new metrics) and the bundle as written by Python. */
  readonly workDir: string;
  readonly comparisonPath: string;
  /** The registered bundle (status `registered` only). */
  readonly bundle?: ModelBundle;
}

/** Thrown when the retraining cannot run or fails (bad export, Python error, invalid bundle). */
export class RetrainError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null = null,
  ) {
    super(message);
    this.name = 'RetrainError';
  }
}

/**
 * `lung-burden retrain --from <export> [--steps N] [--min-delta D]`: runs
 * `python -m lungburden.retrain` (in `models/training`, output streamed line by line to `log`),
 * which fine-tunes the base model on the export's signed cases and compares old and new model on
 * the fixed validation split. Its work folder is `<dataDir>/retrain/<UTC timestamp>/` (always holds
 * `comparison.json`). When Python accepts the new model, its bundle is validated with
 * {@link loadModelBundle} and copied to `<dataDir>/models/<name>-<version>/`, where the app lists it
 * (source `user`); an invalid bundle is removed again and reported.
 */
export async function runRetrainCommand(o: RetrainCommandOptions): Promise<RetrainResult> {
  const from = resolve(o.from);
  if (!existsSync(join(from, 'manifest.json'))) {
    throw new RetrainError(
      `${from}: not a training export (no manifest.json); make one with \`lung-burden export <case> --format lung-burden-v1 --out <dir>\``,
    );
  }
  const steps = o.steps ?? 300;
  if (!Number.isInteger(steps) || steps < 1) throw new RetrainError(`--steps must be a positive integer, got ${steps}`);
  const minDelta = o.minDelta ?? 0;
  if (!Number.isFinite(minDelta)) throw new RetrainError(`--min-delta must be a number, got ${minDelta}`);
  const python = o.python ?? defaultPython();
  if (!existsSync(python)) throw new RetrainError(`Python not found at ${python}: run \`bash scripts/setup-python.sh\``);
  const base = resolve(o.base ?? join(APP_ROOT, 'models', 'lung-burden-convlstm-fast'));
  const workDir = o.workDir ?? join(resolve(o.dataDir), 'retrain', retrainStamp());
  const staged = join(workDir, 'bundle');
  await mkdir(workDir, { recursive: true });
  const args = [
    '-m',
    'lungburden.retrain',
    '--from',
    from,
    '--base-run',
    base,
    '--out',
    staged,
    '--steps',
    String(steps),
    '--min-delta',
    String(minDelta),
    ...(o.extraArgs ?? []),
  ];
  o.log(`retrain: ${python} ${args.join(' ')}`);
  const onLine = (line: string): void => {
    const parsed = parseTrainerLine(line);
    if (parsed && isRetrainPhaseLine(parsed)) {
      o.log(`retrain: ${parsed.message}`);
      o.onPhase?.(parsed);
      return;
    }
    o.log(line);
    if (parsed && o.onProgress) o.onProgress(parsed.step, steps, parsed.eta_s);
  };
  const code = await runStreaming(python, args, join(APP_ROOT, 'models', 'training'), onLine, o.signal);
  if (o.signal?.aborted) throw new RetrainError('retraining cancelled');
  const comparisonPath = join(staged, 'comparison.json');
  if (code === RETRAIN_PY_EXIT.refused) {
    o.log(`retrain: new model refused (worse than the current one); see ${comparisonPath}`);
    return { status: 'refused', workDir, comparisonPath };
  }
  if (code !== RETRAIN_PY_EXIT.ok) throw new RetrainError(`lungburden.retrain exited with code ${code}; see the output above`, code);

  const meta = JSON.parse(await readFile(join(staged, 'metadata.json'), 'utf8')) as { name?: unknown; version?: unknown };
  const folder = `${String(meta.name)}-${String(meta.version)}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const dest = join(resolve(o.dataDir), 'models', folder);
  if (existsSync(dest)) throw new RetrainError(`${dest} already exists; not overwriting a registered model`);
  await mkdir(join(resolve(o.dataDir), 'models'), { recursive: true });
  await cp(staged, dest, { recursive: true, errorOnExist: true, force: false });
  let bundle: ModelBundle;
  try {
    bundle = await loadModelBundle(dest, 'user');
  } catch (e) {
    await rm(dest, { recursive: true, force: true });
    throw new RetrainError(`the retrained bundle failed validation and was not registered: ${e instanceof Error ? e.message : String(e)}`);
  }
  o.log(`retrain: registered ${bundle.metadata.name} ${bundle.metadata.version} in ${dest}`);
  return { status: 'registered', workDir, comparisonPath, bundle };
}

/** The training environment's interpreter: `$LUNG_BURDEN_PYTHON`, else `<app root>/.venv/bin/python`. */
export function defaultPython(): string {
  return process.env['LUNG_BURDEN_PYTHON'] || join(APP_ROOT, '.venv', 'bin', 'python');
}

/** `20261129T231500Z`: the name of a retraining work folder (sorts by time). */
export function retrainStamp(now = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Spawns `cmd args` in `cwd`, forwards stdout and stderr line by line to `log`, resolves the exit code. */
function runStreaming(
  cmd: string,
  args: readonly string[],
  cwd: string,
  log: (msg: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    const kill = (): void => void child.kill('SIGTERM');
    signal?.addEventListener('abort', kill, { once: true });
    createInterface({ input: child.stdout }).on('line', log);
    createInterface({ input: child.stderr }).on('line', log);
    child.once('error', (e) => reject(new RetrainError(`cannot start ${cmd}: ${e.message}`)));
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', kill);
      resolvePromise(code ?? (sig ? 128 : 1));
    });
  });
}
