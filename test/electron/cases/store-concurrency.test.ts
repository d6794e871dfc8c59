/**
 * Several processes on one case store (issue 18): concurrent first opens of a new store (each
 * migrates it) and concurrent imports of the same series. Before the fix, a first open failed with
 * "table patients already exists" and an import with a UNIQUE error; now every process succeeds
 * and all get the one case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signAs } from '../../support/test-readers.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';
import { crashOpLabels, crashOpVolume } from '../reliability/crash-ops.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

const CHILD = fileURLToPath(new URL('./store-concurrency-child.ts', import.meta.url));
const PROCESSES = 6;

function runChild(dataDir: string, file: string, startAt: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, file, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, out, err }));
  });
}

test(`${PROCESSES} processes open a new store and import the same series at the same moment`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-concurrent-'));
  try {
    const file = join(dir, 'same.nii');
    writeFileSync(file, writeNifti(crashOpVolume(7), { gzip: false }));
    const dataDir = join(dir, 'data');
    // Children start node + tsx and import first; all open the store at startAt.
    const startAt = Date.now() + 6000;
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => runChild(dataDir, file, startAt)));
    for (const r of results) assert.equal(r.code, 0, `a process failed: ${r.err.slice(0, 500)}`);
    const stored = results.map((r) => JSON.parse(r.out) as { caseId: number; duplicate: boolean });
    assert.equal(new Set(stored.map((s) => s.caseId)).size, 1, 'all processes got the same case');
    assert.equal(stored.filter((s) => !s.duplicate).length, 1, 'exactly one process imported it; the others were told "already imported"');
    const store = CaseStore.open(dataDir);
    try {
      assert.equal(store.listCases().length, 1);
      assert.equal(String(store.db.pragma('integrity_check', { simple: true })), 'ok');
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a case without a signed label version can never be marked signed (status follows signatures; database trigger)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-signed-guard-'));
  const store = CaseStore.open(dir);
  try {
    const { caseId } = store.addSeries({
      metadata: seriesMetadata(),
      volume: crashOpVolume(1),
      sourcePath: '/x',
      sourceKind: 'nifti',
      issues: [],
    });
    assert.throws(() => store.db.prepare(`UPDATE cases SET status = 'signed' WHERE id = ?`).run(caseId), /cannot be signed/);
    store.saveLabelVersion(caseId, 'lung', crashOpLabels(1), { kind: 'algorithm', name: 'lung mask' });
    const v = store.saveLabelVersion(caseId, 'lesion', crashOpLabels(1), { kind: 'reader', name: 'r' });
    assert.throws(
      () => store.db.prepare(`UPDATE cases SET status = 'signed' WHERE id = ?`).run(caseId),
      /cannot be signed/,
      'an unsigned version is not enough',
    );
    assert.notEqual(store.getCase(caseId).status, 'signed');
    signAs(store, caseId, asLabelVersionId(v.id), 'Dr Reader');
    assert.equal(store.getCase(caseId).status, 'signed');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
