// `lung-burden readers add` and `lung-burden audit --verify` as a user runs them: exit 0 on an
// intact trail, 6 naming the first broken entry after the SQLite file was edited with the
// triggers dropped, 2 on usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { AUDIT_CSV_COLUMNS } from '../../../electron/cli/audit-command.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signAs, TEST_PASSWORD } from '../../support/test-readers.ts';

const cli = (args: string[], dataDir: string, env: Record<string, string> = {}, input = '') =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 120_000,
    input,
    env: { ...process.env, LUNG_BURDEN_PASSWORD: '', LUNG_BURDEN_ADMIN_PASSWORD: '', ...env },
  });

test('readers add: first admin from stdin, then readers by that admin; audit --verify exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-audit-cli-'));
  const data = join(dir, 'data');
  try {
    const first = cli(
      ['readers', 'add', '--name', 'root', '--role', 'admin', '--display-name', 'Site Admin'],
      data,
      {},
      `${TEST_PASSWORD}\n`,
    );
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /first admin/);
    const noAdmin = cli(['readers', 'add', '--name', 'ann', '--role', 'reader'], data, { LUNG_BURDEN_PASSWORD: TEST_PASSWORD });
    assert.equal(noAdmin.status, 2, noAdmin.stderr);
    const wrongAdmin = cli(['readers', 'add', '--name', 'ann', '--role', 'reader', '--as', 'root'], data, {
      LUNG_BURDEN_PASSWORD: TEST_PASSWORD,
      LUNG_BURDEN_ADMIN_PASSWORD: 'wrong password',
    });
    assert.equal(wrongAdmin.status, 1);
    assert.match(wrongAdmin.stderr, /wrong login name or password/);
    const ann = cli(['readers', 'add', '--name', 'ann', '--role', 'reader', '--display-name', 'Dr Ann', '--as', 'root'], data, {
      LUNG_BURDEN_PASSWORD: TEST_PASSWORD,
      LUNG_BURDEN_ADMIN_PASSWORD: TEST_PASSWORD,
    });
    assert.equal(ann.status, 0, ann.stderr);
    const list = cli(['readers', 'list', '--json'], data);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { login: string }[]).map((r) => r.login),
      ['ann', 'root'],
    );
    assert.ok(!list.stdout.includes('scrypt'), 'no hashes listed');

    // a signed case
    const store = CaseStore.open(data);
    const n = 16 * 12 * 8;
    const { caseId } = store.addSeries({
      metadata: seriesMetadata(),
      volume: syntheticVolume([16, 12, 8]),
      sourcePath: '/x',
      sourceKind: 'dicom',
      issues: [],
    });
    store.saveLabelVersion(caseId, 'lung', new Uint8Array(n).fill(1), { kind: 'algorithm', name: 'lung mask' });
    const v = store.saveLabelVersion(caseId, 'lesion', new Uint8Array(n).fill(1), { kind: 'reader', name: 'Dr Ann' });
    signAs(store, caseId, v.id, 'Dr Ann');
    store.close();

    const ok = cli(['audit', String(caseId), '--verify'], data);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /audit trail intact/);
    assert.match(ok.stdout, /signature/);
    const json = JSON.parse(cli(['audit', '--all', '--json', '--verify'], data).stdout) as {
      entries: { action: string }[];
      verification: { ok: boolean };
    };
    assert.equal(json.verification.ok, true);
    assert.ok(json.entries.some((e) => e.action === 'account.create'));
    const csv = cli(['audit', '--all', '--csv'], data);
    assert.equal(csv.status, 0);
    assert.equal(csv.stdout.split('\n')[0], AUDIT_CSV_COLUMNS.join(','));
    assert.equal(cli(['audit'], data).status, 2);
    assert.equal(cli(['audit', '1', '--all'], data).status, 2);

    // a second reader signs their own read of the same case: agreement of the two signed reads
    const s2 = CaseStore.open(data);
    const bobs = s2.saveLabelVersion(
      caseId,
      'lesion',
      Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0)),
      { kind: 'reader', name: 'Dr Bob' },
    );
    signAs(s2, caseId, bobs.id, 'Dr Bob');
    s2.close();
    const ag = cli(['agreement', '--reader-a', 'dr.ann', '--reader-b', 'dr.bob', '--out', join(dir, 'agreement')], data);
    assert.equal(ag.status, 0, ag.stderr);
    const cases = readFileSync(join(dir, 'agreement', 'agreement-cases.csv'), 'utf8').split('\n');
    assert.match(cases[1] ?? '', /^case-1,Dr Ann,Dr Bob,0\.6666/, 'GGO Dice of all-GGO vs every other voxel = 2·½/(1+½)');
    assert.match(
      readFileSync(join(dir, 'agreement', 'agreement-cohort.csv'), 'utf8'),
      /^class,measure,n,mean_dice,bias,sd,loa_low,loa_high\n/,
    );
    assert.equal(cli(['agreement', '--reader-a', 'dr.ann', '--out', join(dir, 'x')], data).status, 2);
    assert.equal(cli(['audit', '--all', '--verify'], data).status, 0);

    // someone edits the file directly: drops the trigger and rewrites who did entry 3
    const db = new Database(join(data, 'cases.sqlite'));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`).run();
    db.close();
    const broken = cli(['audit', '--all', '--verify'], data);
    assert.equal(broken.status, 6, broken.stderr);
    assert.match(broken.stderr, /first broken entry seq 3 .*entry modified/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
