import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { writeCaseReport } from '../../../electron/services/reports/report-service.ts';
import { setTrialInfo } from '../../../electron/services/trial/trial-store.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { EMPTY_TRIAL_FIELDS } from '../../../shared/trial/trial-info.ts';
import { burdenOfVersion } from '../../../electron/services/analysis/analyze-case.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';
import { signAs } from '../../support/test-readers.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';

/** A synthetic chest case (lung mask, reader lesion labels with `keep` of the lesion voxels, burden), signed or not. */
function chestCase(store: CaseStore, slices: number, keep: number, sign: boolean): CaseId {
  const chest = syntheticChest([64, 56, slices]);
  const meta = seriesMetadata({
    seriesInstanceUid: `1.2.826.0.1.3680043.10.998.${slices}`,
    sopInstanceUids: Array.from({ length: slices }, (_, k) => `1.2.826.0.1.3680043.10.998.${slices}.${k + 1}`),
  });
  const caseId = store.addSeries({
    metadata: meta,
    volume: chest.volume,
    sourcePath: '/synthetic',
    sourceKind: 'dicom',
    issues: [],
  }).caseId;
  store.saveLabelVersion(caseId, 'lung', chest.lung, { kind: 'algorithm', name: 'classical-lung-mask 1' });
  let seen = 0;
  const lesion = chest.lesion.map((v) => (v === 0 ? 0 : seen++ % 100 < keep * 100 ? v : 0));
  const v = store.saveLabelVersion(caseId, 'lesion', lesion, { kind: 'reader', name: 'Dr Ada Reader' });
  burdenOfVersion(store, caseId, v.id);
  if (sign) signAs(store, caseId, v.id, 'Dr Ada Reader');
  return caseId;
}

const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Three timepoints of one subject (baseline signed, follow-ups unsigned) in a fresh store; `LB_KEEP_REPORT=dir` keeps the PDF there. */
async function subjectReport(): Promise<{
  text: string;
  csv: ReturnType<typeof parseCsv>;
  pages: number;
  json: { trial?: { longitudinal?: unknown } };
}> {
  const dir = mkdtempSync(join(tmpdir(), 'lb-trial-report-'));
  const store = CaseStore.open(join(dir, 'store'));
  try {
    const actor = { name: 'admin', role: 'admin' };
    const visits = [
      ['baseline', 0, '2024-01-05', true, 1],
      ['follow-up 1', 1, '2024-02-02', false, 0.6],
      ['follow-up 2', 2, '2024-03-01', false, 0.3],
    ] as const;
    const ids: number[] = [];
    for (const [i, [label, order, date, sign, keep]] of visits.entries()) {
      const caseId = chestCase(store, 24 + 2 * i, keep, sign);
      ids.push(caseId);
      setTrialInfo(
        store.db,
        store.audit,
        caseId,
        {
          ...EMPTY_TRIAL_FIELDS,
          protocolId: 'COV-301',
          sponsorName: 'Acme Pharma',
          siteId: 'S07',
          subjectId: '07-0042',
          visitLabel: label,
          visitOrder: order,
          visitDate: date,
        },
        { actor, source: 'import', reason: sign ? 'set at enrolment' : null },
      );
    }
    const out = join(process.env['LB_KEEP_REPORT'] ?? dir, 'fu1.pdf');
    const files = await writeCaseReport(store, ids[1] as never, out);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    return {
      text,
      csv: parseCsv(readFileSync(files.csvPath, 'utf8')),
      pages: files.pageCount,
      json: JSON.parse(readFileSync(files.jsonPath, 'utf8')) as { trial?: { longitudinal?: unknown } },
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'the report of a follow-up shows protocol/subject/site/visit and a longitudinal page; the CSV has the change from baseline',
  { skip: hasPoppler ? false : 'poppler-utils (pdftotext) not installed' },
  async () => {
    const r = await subjectReport();
    assert.equal(r.pages, 3, 'two report pages + the longitudinal page');
    assert.match(r.text, /Protocol COV-301 · site S07 · subject 07-0042 · visit follow-up 1/, 'trial line in the page header');
    assert.match(r.text, /Subject\s+07-0042 · visit follow-up 1/);
    assert.match(r.text, /Protocol\s+COV-301 · site S07/);
    assert.match(r.text, /CHANGE FROM BASELINE · SUBJECT 07-0042/);
    assert.match(r.text, /baseline \(BL\)\s+2024-01-05/);
    assert.match(r.text, /follow-up 2\s+2024-03-01/);
    assert.match(r.text, /UNSIGNED/);
    assert.match(r.text, /Burden \(% of lung volume\) per visit/);
    const row = r.csv.rows[0];
    assert.ok(row);
    assert.equal(row['protocol_id'], 'COV-301');
    assert.equal(row['subject_id'], '07-0042');
    assert.equal(row['visit_order'], '1');
    assert.equal(row['timepoint_result_state'], 'unsigned');
    assert.equal(row['change_provisional'], '1');
    const pp = Number(row['change_burden_pp']);
    assert.ok(Number.isFinite(pp), 'change in percentage points is a number');
    // pp = this burden − baseline burden; relative % = pp / baseline burden × 100
    const burden = Number(row['burden_percent']);
    const rel = Number(row['change_burden_relative_percent']);
    const baseBurden = burden - pp;
    assert.ok(Math.abs(rel - (pp / baseBurden) * 100) < 0.01, `${rel} vs ${(pp / baseBurden) * 100}`);
    assert.ok(r.json.trial?.longitudinal, 'the report JSON carries the timeline');
  },
);
