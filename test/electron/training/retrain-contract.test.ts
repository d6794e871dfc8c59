// The TypeScript↔Python retraining contract, round trip: an export written by the app's exporter
// passes the zod schema here and the committed JSON Schema in Python (`python -m lungburden.contract`,
// jsonschema); a manifest that breaks it is refused by both; the stand-in trainer's comparison.json
// and progress/phase lines conform on both sides. Python checks skip without the project's .venv.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_EXIT } from '../../../shared/contracts/retraining/python-exit-codes.ts';
import { RetrainComparisonSchema } from '../../../shared/contracts/retraining/retrain-comparison.ts';
import { parseTrainerLine } from '../../../shared/contracts/retraining/trainer-line.ts';
import { TrainingExportManifestSchema } from '../../../shared/contracts/retraining/training-export-manifest.ts';
import { makeTrainingExport } from '../../support/training-export-fixture.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const noPython = existsSync(PY) ? false : '.venv absent (bash scripts/setup-python.sh): Python side not checked';
const root = mkdtempSync(join(tmpdir(), 'lb-contract-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** `python -m lungburden.contract <kind> <file>` → exit code and stderr. */
function pyValidate(kind: 'manifest' | 'comparison' | 'line', file: string): { code: number | null; stderr: string } {
  const r = spawnSync(PY, ['-m', 'lungburden.contract', kind, file], {
    cwd: join(REPO_ROOT, 'models', 'training'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr };
}

test('export manifest: TS exporter → zod → Python jsonschema; a broken one is refused by both', { skip: noPython }, () => {
  for (const format of ['lung-burden-v1', 'nnunet'] as const) {
    const out = join(root, format);
    const m = makeTrainingExport(out, format);
    const file = join(out, 'manifest.json');
    assert.deepEqual(TrainingExportManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8'))), m);
    const ok = pyValidate('manifest', file);
    assert.equal(ok.code, PYTHON_EXIT.ok, ok.stderr);
  }
  const file = join(root, 'broken-manifest.json');
  const m = JSON.parse(readFileSync(join(root, 'lung-burden-v1', 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...m, deidentified: false }));
  assert.equal(TrainingExportManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).success, false);
  const bad = pyValidate('manifest', file);
  assert.equal(bad.code, PYTHON_EXIT.error);
  assert.match(bad.stderr, /deidentified/);
});

test('stand-in trainer: its comparison.json and stdout lines conform on both sides', { skip: noPython }, () => {
  const exp = join(root, 'lung-burden-v1');
  const out = join(root, 'fake-out');
  const fake = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'test', 'fixtures', 'fake-retrain', 'fake-python.mjs'),
      '-m',
      'lungburden.retrain',
      '--from',
      exp,
      '--base-run',
      join(root, 'none'),
      '--out',
      out,
      '--steps',
      '3',
      '--min-delta',
      '0',
    ],
    { encoding: 'utf8', env: { ...process.env, FAKE_RETRAIN_MODE: 'refuse' } },
  );
  assert.equal(fake.status, PYTHON_EXIT.refused, fake.stderr);
  const cmp = join(out, 'comparison.json');
  assert.equal(RetrainComparisonSchema.safeParse(JSON.parse(readFileSync(cmp, 'utf8'))).success, true);
  assert.equal(pyValidate('comparison', cmp).code, PYTHON_EXIT.ok);
  const lines = fake.stdout.split('\n').filter((l) => l.startsWith('{'));
  assert.ok(lines.length >= 5);
  for (const l of lines) assert.notEqual(parseTrainerLine(l), null, l);
  const linesFile = join(root, 'lines.txt');
  writeFileSync(linesFile, fake.stdout);
  assert.equal(pyValidate('line', linesFile).code, PYTHON_EXIT.ok);
});
