// `lung-burden analyze --model NAME[@VERSION]` as a user runs it (child process, the repository's bundles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/shared-data.ts';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');

test('analyze --model with no such bundle exits 4 and names the usable bundles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-cli-model-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'electron', 'cli', 'main.ts'),
        'analyze',
        SAMPLE,
        '--model',
        'no-such-model@9.9.9',
        '--json',
        '--data-dir',
        join(dir, 'data'),
      ],
      { encoding: 'utf8', cwd: REPO_ROOT, timeout: 240_000 },
    );
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /no valid model bundle no-such-model@9\.9\.9/);
    assert.match(r.stderr, /lung-burden-convlstm-fast@/);
    assert.equal(r.stdout.trim(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
