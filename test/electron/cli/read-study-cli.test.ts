// `lung-burden read-study create|assign|list|stats` as a user runs them: admin-only changes (password
// from LUNG_BURDEN_ADMIN_PASSWORD), usage errors exit 2, and the agreement CSV of signed reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { makeResultCase } from '../../support/result-case.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { signAs, TEST_PASSWORD, testReader } from '../../support/test-readers.ts';

const cli = (args: string[], dataDir: string, env: Record<string, string> = {}) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), 'read-study', ...args, '--data-dir', dataDir],
    {
      encoding: 'utf8',
      cwd: REPO_ROOT,
      timeout: 120_000,
      env: { ...process.env, LUNG_BURDEN_ADMIN_PASSWORD: '', ...env },
    },
  );

test('read-study: create and assign as admin, list, stats CSV of two signed reads; usage errors exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-read-study-cli-'));
  const data = join(dir, 'data');
  try {
    const store = CaseStore.open(data);
    testReader(store, 'Root', 'admin');
    testReader(store, 'Alice');
    testReader(store, 'Bob');
    const c = makeResultCase(store, { sign: false });
    store.close();
    const admin = { LUNG_BURDEN_ADMIN_PASSWORD: TEST_PASSWORD };
    const create = [
      'create',
      '--protocol',
      'CLI-01',
      '--title',
      'CLI study',
      '--design',
      'double',
      '--min-dice',
      '0.8',
      '--max-burden-diff',
      '2',
      '--max-volume-diff',
      '10',
      '--as',
      'root',
    ];
    assert.equal(cli(create, data).status, 2, 'no admin password');
    assert.equal(cli([...create.slice(0, -2)], data, admin).status, 2, 'no --as');
    assert.equal(
      cli(
        [
          'create',
          '--protocol',
          'CLI-01',
          '--title',
          'T',
          '--design',
          'triple',
          '--min-dice',
          '0.8',
          '--max-burden-diff',
          '2',
          '--max-volume-diff',
          '10',
          '--as',
          'root',
        ],
        data,
        admin,
      ).status,
      2,
      'bad design',
    );
    assert.equal(cli(['frobnicate'], data).status, 2);
    const alice = cli([...create.slice(0, -2), '--as', 'alice'], data, admin);
    assert.equal(alice.status, 1);
    assert.match(alice.stderr, /only an admin/);
    const ok = cli(create, data, admin);
    assert.equal(ok.status, 0, ok.stderr);
    for (const [slot, who] of [
      ['read1', 'alice'],
      ['read2', 'bob'],
    ]) {
      const r = cli(
        ['assign', '--protocol', 'CLI-01', '--case', String(c.caseId), '--slot', slot ?? '', '--reader', who ?? '', '--as', 'root'],
        data,
        admin,
      );
      assert.equal(r.status, 0, r.stderr);
    }
    const list = JSON.parse(cli(['list', '--json'], data).stdout) as {
      protocolId: string;
      design: string;
      assignments: { slot: string; readerLogin: string }[];
    }[];
    assert.deepEqual(
      list.map((s) => [s.protocolId, s.design, s.assignments.map((a) => `${a.slot}:${a.readerLogin}`).join(',')]),
      [['CLI-01', 'double', 'read1:alice,read2:bob']],
    );

    const s2 = CaseStore.open(data);
    signAs(s2, c.caseId, c.v1 as never, 'Alice');
    signAs(s2, c.caseId, c.v2 as never, 'Bob');
    s2.close();
    const out = join(dir, 'agreement.csv');
    const stats = cli(['stats', '--protocol', 'CLI-01', '--out', out, '--json'], data);
    assert.equal(stats.status, 0, stats.stderr);
    const j = JSON.parse(stats.stdout) as { n: number; burden: { n: number } };
    assert.equal(j.n, 1);
    assert.equal(j.burden.n, 1);
    const { rows } = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(
      rows.filter((r) => r['row'] === 'case').map((r) => r['measure']),
      ['burden_pct', 'lesion_volume_ml', 'ggo_dice', 'highOpacity_dice', 'lesion_dice'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
