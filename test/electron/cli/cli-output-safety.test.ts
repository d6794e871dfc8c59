/**
 * CLI output hygiene (issue 18): DICOM strings with terminal escapes, bells, bidi overrides and
 * 10 kB lengths are printed neutralised and capped; a size bomb exits 3 with a clear message;
 * internal engine errors are mapped to a sentence with the detail in the log.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { makeCorpus, type CorpusInput } from '../../fixtures/bad-input/make-corpus.ts';
import { userError } from '../../../electron/services/logging/user-error.ts';
import { escapeForTerminal } from '../../../electron/cli/terminal-output.ts';
import { createDispatcher } from '../../../electron/ipc/dispatcher.ts';
import { toErrorBody } from '../../../electron/ipc/dispatcher.ts';
import { method } from '../../../shared/contracts/contract.ts';
import { z } from 'zod';

let dir = '';
let corpus: CorpusInput[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-cli-safety-'));
  corpus = makeCorpus(join(dir, 'corpus'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const target = (name: string): string => {
  const c = corpus.find((x) => x.name === name);
  assert.ok(c, name);
  return c.target;
};
const cli = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', join(dir, 'data')],
    { encoding: 'utf8', cwd: REPO_ROOT, timeout: 240_000 },
  );
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('hostile DICOM strings reach the terminal neutralised and capped (import, list, list --json)', { timeout: 300_000 }, () => {
  const imp = cli('import', target('dicom-hostile-strings'));
  assert.equal(imp.status, 0, imp.stderr);
  assert.ok(!UNSAFE.test(imp.stdout + imp.stderr), JSON.stringify(imp.stdout));
  const list = cli('list');
  assert.equal(list.status, 0, list.stderr);
  assert.ok(!UNSAFE.test(list.stdout + list.stderr), JSON.stringify(list.stdout));
  for (const line of list.stdout.split('\n')) assert.ok(line.length < 300, `a 10 kB PatientID is capped (${line.length} chars)`);
  assert.match(list.stdout, /XXXX…/);
  const json = cli('list', '--json');
  assert.ok(!UNSAFE.test(json.stdout), 'JSON output carries escapes, not raw controls');
  const rows = JSON.parse(json.stdout) as { patientName: string; patientId: string; seriesDescription: string }[];
  const row = rows[0];
  assert.ok(row);
  assert.equal(row.patientId.length, 10_000, 'JSON keeps the full value');
  assert.match(row.patientName, /^\+HYPERLINK.*\u001b\[2J\u0007RTL\u202e1234$/, 'JSON keeps the same value (escaped, not lost)');
  assert.match(row.seriesDescription, /\u202e1234$/);
});

test('a NIfTI size bomb exits 3 with a clear message, never "Array buffer allocation failed"', { timeout: 120_000 }, () => {
  for (const name of ['nifti-vox-offset-1e15.nii', 'nifti-vox-offset-3e9.nii.gz']) {
    const t0 = performance.now();
    const r = cli('import', target(name));
    assert.equal(r.status, 3, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /vox_offset .*at most 67108864 of extensions/);
    assert.doesNotMatch(r.stderr, /allocation failed/i);
    assert.ok(performance.now() - t0 < 60_000);
  }
  const g = cli('import', target('dicom-zero-slice-spacing'));
  assert.equal(g.status, 3, g.stderr);
  assert.match(g.stderr, /implausible geometry/);
});

test('internal error texts are mapped to sentences; app errors pass through', () => {
  const deep = userError(new RangeError('Maximum call stack size exceeded'));
  assert.ok(deep.internal && deep.badInput);
  assert.match(deep.message, /nested too deeply/);
  assert.match(userError(new RangeError('Array buffer allocation failed')).message, /more memory than this workstation allows/);
  const te = userError(new TypeError("Cannot read properties of undefined (reading 'Value')"));
  assert.ok(te.internal);
  assert.doesNotMatch(te.message, /Cannot read properties/);
  const raw = userError(new Error(`unexpected tag \u0000\u0001\u0002DICM\ufffd\ufffd${'x'.repeat(2000)}`));
  assert.ok(raw.internal && raw.message.length < 300 && !UNSAFE.test(raw.message));
  const app = Object.assign(new Error('NIfTI file truncated: 10 bytes'), { name: 'NiftiError' });
  assert.deepEqual(userError(app), { internal: false, badInput: false, message: 'NIfTI file truncated: 10 bytes' });
  assert.equal(escapeForTerminal('a\u001b[2Jb\u0007c\u202ed\te\n'), 'a\\u001b[2Jb\\u0007c\\u202ed\te\n');
});

test('the dispatcher answers a clear message and hands the internal detail to the log', async () => {
  const logged: string[] = [];
  const contract = { svc: { boom: method(z.tuple([])).returns<null>() } } as const;
  const dispatch = createDispatcher(
    contract,
    {
      svc: {
        boom: async () => {
          const o: { a?: { b: number } } = {};
          return (o.a as { b: number }).b as unknown as null;
        },
      },
    },
    {
      onInternalError: (ch, e) => logged.push(`${ch}: ${(e as Error).message}`),
    },
  );
  const err = await dispatch('svc.boom', []).then(
    () => null,
    (e: unknown) => e,
  );
  const body = toErrorBody(err);
  assert.equal(body.code, 'failed');
  assert.doesNotMatch(body.message, /Cannot read properties/);
  assert.match(body.message, /internal error/);
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? '', /svc\.boom: Cannot read properties of undefined/);
});
