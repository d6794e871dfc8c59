// Scan QC as a user of `lung-burden analyze` sees it: `qc` in --json, exit 5 for blocking flags,
// the flags in the human output and the CSV (series derived from the real data into a temp dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDicomFolder } from '../../../electron/services/imports/import-dicom-folder.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { REPO_ROOT, SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { dataPath, extractArchive } from '../imports/dicom-test-data.ts';
import { writeQuirkSeries } from '../../fixtures/dicom-quirks/make-quirk-series.ts';

const cli = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 240_000,
  });
const CHEST = dataPath('chest-ct');
const F_HEAD = dataPath('dicom-import', 'F_edgecase_gantry_tilt_variable_spacing_dcm_qa_ct_GE_head');

interface QcOut {
  code: string;
  severity: string;
  message: string;
}

async function lidcSlices(): Promise<string[]> {
  const root = join(
    extractArchive(join(CHEST!, 'lidc-idri-0001', 'LIDC-IDRI-0001_series_3000566.tar.xz')),
    'LIDC-IDRI-0001_series_3000566',
  );
  const r = await importDicomFolder(root);
  return r.series[0]!.files.map((f) => join(root, f));
}

function analyzeJson(path: string, dataDir: string): { status: number | null; qc: QcOut[]; out: Record<string, unknown> } {
  const r = cli(['analyze', path, '--json', '--no-model'], dataDir);
  assert.ok(r.stdout.trim().startsWith('{'), r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  return { status: r.status, qc: out['qc'] as QcOut[], out };
}

test('analyze: a 2-slice series and a slab are analysed but blocked (exit 5); a whole chest passes (exit 0)', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const files = await lidcSlices();
  const dir = mkdtempSync(join(tmpdir(), 'lb-qc-cli-'));
  try {
    writeQuirkSeries(files.slice(60, 62), join(dir, 'two'));
    const two = analyzeJson(join(dir, 'two'), join(dir, 'data'));
    assert.equal(two.status, 5);
    assert.ok(
      two.qc.some((f) => f.code === 'too-few-slices' && f.severity === 'blocking'),
      JSON.stringify(two.qc),
    );
    assert.equal(typeof two.out['burdenPercent'], 'number', 'the figures are still printed');

    // A 40-slice slab (100 mm) through the mid chest: lungs cut at both ends.
    writeQuirkSeries(files.slice(50, 90), join(dir, 'slab'), { shuffleSeed: 5 });
    const slab = analyzeJson(join(dir, 'slab'), join(dir, 'data'));
    assert.equal(slab.status, 5);
    assert.equal(slab.qc.find((f) => f.code === 'lung-coverage')?.severity, 'blocking', JSON.stringify(slab.qc));

    // The whole chest, every second slice: no blocking flag, exit 0, and the human output says so.
    writeQuirkSeries(
      files.filter((_, k) => k % 2 === 0),
      join(dir, 'whole'),
      { sopInstanceUid: 'same' },
    );
    const whole = analyzeJson(join(dir, 'whole'), join(dir, 'data'));
    assert.equal(whole.status, 0, JSON.stringify(whole.qc));
    assert.ok(!whole.qc.some((f) => f.severity === 'blocking'));
    const caseId = String(whole.out['caseId']);
    const human = cli(['analyze', caseId, '--no-model'], join(dir, 'data'));
    assert.equal(human.status, 0);
    assert.match(human.stdout, /scan QC/);
    const csv = parseCsv(cli(['analyze', String(slab.out['caseId']), '--csv', '--no-model'], join(dir, 'data')).stdout);
    assert.match(csv.rows[0]!['qc_flags'] ?? '', /blocking:lung-coverage/);
    assert.equal(csv.rows[0]!['qc_blocking_unacknowledged'], '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze: the tilted head CT (set F) is flagged loudly: no lung, tilt, head, dropped slices; exit 5', (t) => {
  if (!F_HEAD) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lb-qc-cli-'));
  try {
    const r = analyzeJson(F_HEAD, join(dir, 'data'));
    assert.equal(r.status, 5);
    const got = r.qc.map((f) => `${f.severity}:${f.code}`);
    for (const want of [
      'blocking:no-lung',
      'blocking:too-few-slices',
      'blocking:slices-dropped',
      'warning:gantry-tilt',
      'warning:body-part',
    ]) {
      assert.ok(got.includes(want), `${want} in ${got.join(' ')}`);
    }
    const human = cli(['analyze', String(r.out['caseId']), '--no-model'], join(dir, 'data'));
    assert.equal(human.status, 5);
    assert.match(human.stdout, /BLOCKING no-lung: No lung found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
