import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore, CaseStoreError, countLabels } from '../../../electron/services/cases/case-store.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import { signAs, testReader } from '../../support/test-readers.ts';

function withStore(fn: (store: CaseStore, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lb-store-'));
  const store = CaseStore.open(dir);
  try {
    fn(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const series = (seed = 0, over = {}) => ({
  metadata: seriesMetadata(over),
  volume: syntheticVolume([16, 12, 8], seed),
  sourcePath: '/data/x',
  sourceKind: 'dicom' as const,
  issues: [],
});

test('importing the same series twice does not duplicate it', () => {
  withStore((store) => {
    const a = store.addSeries(series());
    const b = store.addSeries(series());
    assert.equal(a.duplicate, false);
    assert.equal(b.duplicate, true);
    assert.equal(b.caseId, a.caseId);
    assert.equal(store.listCases().length, 1);
    const c = store.addSeries(series(1, { seriesInstanceUid: '9.9' }));
    assert.notEqual(c.caseId, a.caseId);
    const rows = store.listCases();
    assert.equal(rows.length, 2);
    // Same patient and study: one patient row, one study row.
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM patients').get() as { n: number }).n, 1);
    assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM studies').get() as { n: number }).n, 1);
  });
});

test('volume round trip through the voxel cache is exact', () => {
  withStore((store) => {
    const s = series(3);
    const { caseId } = store.addSeries(s);
    const v = store.loadVolume(caseId);
    assert.deepEqual(v.size, s.volume.size);
    assert.deepEqual(v.spacingMm, s.volume.spacingMm);
    assert.deepEqual(Array.from(v.data), Array.from(s.volume.data));
    const d = store.getCase(caseId);
    assert.equal(d.status, 'new');
    assert.equal(d.sliceCount, 8);
    assert.equal(d.patientName, 'Doe^Jane');
  });
});

test('label versions are appended, never overwritten, and verified on load', () => {
  withStore((store) => {
    const { caseId } = store.addSeries(series());
    const n = 16 * 12 * 8;
    const v1labels = new Uint8Array(n);
    v1labels.fill(1, 0, 100);
    const v1 = store.saveLabelVersion(
      caseId,
      'lesion',
      v1labels,
      { kind: 'model', name: 'model', modelName: 'm', modelVersion: '1' },
      { meanEntropy: 0.2 },
    );
    const v2labels = v1labels.slice();
    v2labels.fill(2, 100, 150);
    const v2 = store.saveLabelVersion(caseId, 'lesion', v2labels, { kind: 'reader', name: 'Dr A' }, { parentId: v1.id });
    assert.equal(v1.version, 1);
    assert.equal(v2.version, 2);
    assert.equal(v2.parentId, v1.id);
    assert.deepEqual(v2.counts, [n - 150, 100, 50]);
    assert.deepEqual(store.loadLabels(v1.id), v1labels);
    assert.deepEqual(store.loadLabels(v2.id), v2labels);
    assert.throws(() => store.db.prepare("UPDATE label_versions SET data = x'00' WHERE id = ?").run(v1.id), /immutable/);
    assert.throws(() => store.db.prepare('DELETE FROM label_versions WHERE id = ?').run(v1.id), /never deleted/);
    const row = store.listCases()[0]!;
    assert.equal(row.modelVersion, 'm 1');
    assert.equal(row.lastReader, 'Dr A');
    assert.equal(row.uncertainty, 0.2);
  });
});

test('sign-off freezes a lesion version and marks the case signed', () => {
  withStore((store) => {
    const { caseId } = store.addSeries(series());
    const labels = new Uint8Array(16 * 12 * 8);
    const v = store.saveLabelVersion(caseId, 'lesion', labels, { kind: 'reader', name: 'Dr A' });
    assert.throws(() => signAs(store, caseId, v.id, 'Dr A'), /no lung version/);
    const lung = store.saveLabelVersion(caseId, 'lung', labels, { kind: 'algorithm', name: 'lung-mask' });
    assert.equal(store.getCase(caseId).status, 'in-review');
    assert.equal(store.caseResult(caseId), null);
    const sig = signAs(store, caseId, v.id, 'Dr A');
    const signed = store.labelVersion(v.id);
    assert.equal(signed.signed, true);
    assert.equal(signed.signature?.id, sig.id);
    assert.equal(sig.lesionSha256, v.sha256);
    assert.equal(sig.lungSha256, lung.sha256);
    assert.equal(store.getCase(caseId).status, 'signed');
    assert.throws(() => store.db.prepare('UPDATE label_versions SET signed = 0 WHERE id = ?').run(v.id), /stays signed/);
    assert.throws(() => store.db.prepare('UPDATE signatures SET reader_name = ? WHERE id = ?').run('X', sig.id), /immutable/);
    const r = testReader(store, 'Dr A');
    assert.throws(
      () => store.recordSignature({ caseId, kind: 'read', lesionVersionId: lung.id, lungVersionId: lung.id, reader: r, meaning: 'm' }),
      CaseStoreError,
    );
    assert.throws(
      () => store.recordSignature({ caseId, kind: 'read', lesionVersionId: v.id, lungVersionId: lung.id, reader: r, meaning: 'm' }),
      /already signed/,
    );
  });
});

test('bad requests are refused with typed errors', () => {
  withStore((store) => {
    const { caseId } = store.addSeries(series());
    assert.throws(() => store.saveLabelVersion(caseId, 'lesion', new Uint8Array(5), { kind: 'reader', name: 'A' }), /voxels/);
    assert.throws(() => store.saveLabelVersion(caseId, 'lesion', new Uint8Array(16 * 12 * 8), { kind: 'reader', name: '' }), /author/);
    assert.throws(
      () => store.getCase(999 as never),
      (e: unknown) => e instanceof CaseStoreError && e.code === 'not-found',
    );
  });
});

test('burden records and settings', () => {
  withStore((store) => {
    const s = series();
    const { caseId } = store.addSeries(s);
    const lung = store.saveLabelVersion(caseId, 'lung', new Uint8Array(16 * 12 * 8), { kind: 'algorithm', name: 'lung-mask' });
    // the whole grid is lung, one voxel in eight GGO: 12.5 %
    const burden = computeBurden(
      s.volume,
      { ...s.volume, data: new Uint8Array(16 * 12 * 8).fill(1) },
      new Uint8Array(16 * 12 * 8).map((_, i) => (i % 8 === 0 ? 1 : 0)),
    );
    store.recordBurden(caseId, null, lung.id, burden);
    assert.deepEqual(store.latestBurden(caseId)?.burden, burden, 'the stored record reads back as the same typed burden');
    assert.equal(store.latestBurden(caseId)?.burden.burdenPercent, 12.5);
    assert.equal(store.listCases()[0]!.burdenPercent, 12.5);
    // a record that is not a lung-burden-v1 burden is refused on read with a clear error, never passed on loosely
    store.db.prepare('UPDATE burden_records SET burden_json = ? WHERE case_id = ?').run(JSON.stringify({ burdenPercent: 3 }), caseId);
    assert.throws(
      () => store.latestBurden(caseId),
      (e: unknown) =>
        e instanceof CaseStoreError && e.code === 'conflict' && /not a lung-burden-v1 burden \(lungVolumeMl: /.test(e.message),
    );
    // ...and it does not take the worklist down with it: that row has no burden, the others are listed
    assert.equal(store.listCases()[0]!.burdenPercent, null);
    store.setSetting('reader', 'Dr B');
    assert.equal(store.getSetting('reader'), 'Dr B');
  });
});

test('countLabels counts each value', () => {
  assert.deepEqual(countLabels(new Uint8Array([0, 1, 1, 2, 0, 5])), [2, 2, 1, 0, 0, 1]);
  // the zero-word fast path equals a byte-by-byte count, on aligned and unaligned views
  const buf = new Uint8Array(100_003);
  let seed = 7;
  for (let i = 0; i < buf.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    if (seed % 23 === 0) buf[i] = 1 + ((seed >>> 8) % 3);
  }
  for (const view of [buf, buf.subarray(1), buf.subarray(3, 99_998)]) {
    const naive = [0, 0, 0, 0];
    for (const v of view) naive[v]!++;
    assert.deepEqual(countLabels(view), naive);
  }
});

test('async save stores exactly what the sync save stores (counts, sha256, bytes)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-store-async-'));
  const store = CaseStore.open(dir);
  try {
    const size: [number, number, number] = [33, 17, 5];
    const n = size[0] * size[1] * size[2];
    const data = new Int16Array(n).fill(-1000);
    const { caseId } = store.addSeries({
      metadata: seriesMetadata(),
      volume: { size, spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data },
      sourcePath: '/x',
      sourceKind: 'nifti',
      issues: [],
    });
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i += 7) labels[i] = 1 + (i % 2);
    const a = store.saveLabelVersion(caseId, 'lesion', labels, { kind: 'reader', name: 'R' });
    const b = await store.saveLabelVersionAsync(caseId, 'lesion', labels, { kind: 'reader', name: 'R' }, { parentId: a.id });
    assert.equal(b.sha256, a.sha256);
    assert.deepEqual(b.counts, a.counts);
    assert.deepEqual(store.loadLabels(b.id), labels);
    assert.equal(b.version, 2);
    await assert.rejects(store.saveLabelVersionAsync(caseId, 'lesion', new Uint8Array(3), { kind: 'reader', name: 'R' }), /voxels/);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
