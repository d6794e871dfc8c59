// The report of a double-read case shows both signed reads (who, when, meaning, burden of each),
// their agreement and the adjudication (who, when, meaning, reason, burden), on its own page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { caseReportData, writeCaseReport } from '../../../electron/services/reports/report-service.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';
import { readStudyFixture, type ReadStudyFixture } from './read-study-fixture.ts';

const hasPdftotext = ((): boolean => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function read(f: ReadStudyFixture, login: 'alice' | 'bob', from: number, to: number): Promise<LabelVersionInfo> {
  await f.as(login);
  const labels = ((await f.call('cases.labelBytes', [f.aiVersion])) as Uint8Array).slice();
  labels.fill(1, from, to);
  const v = (await f.call('cases.saveLesionLabels', [f.caseId, labels, f.aiVersion, `${login}'s read`])) as LabelVersionInfo;
  await f.call('cases.burden', [f.caseId]);
  return (await f.call('cases.signOff', [f.caseId, v.id, TEST_PASSWORD])) as LabelVersionInfo;
}

test('report of an adjudicated double read: both reads, the agreement and the adjudication, each with its burden', async () => {
  const f = await readStudyFixture();
  try {
    const a = await read(f, 'alice', 300, 500);
    const b = await read(f, 'bob', 900, 1500);
    const pending = caseReportData(f.ws.store, f.caseId).doubleRead;
    assert.ok(pending);
    assert.equal(pending.adjudication, null);
    assert.match(pending.result, /await adjudication/);
    await f.as('carol');
    await f.call('adjudication.sign', [f.caseId, a.id, TEST_PASSWORD, 'read 1 follows the opacity']);
    const d = caseReportData(f.ws.store, f.caseId).doubleRead;
    assert.ok(d);
    assert.equal(d.protocolId, 'LB-TRIAL-01');
    assert.deepEqual([d.read1?.login, d.read2?.login, d.adjudication?.login], ['alice', 'bob', 'carol']);
    assert.deepEqual([d.read1?.lesionVersion, d.read2?.lesionVersion], [a.version, b.version]);
    assert.ok(d.read1?.burdenPercent !== null && d.read2?.burdenPercent !== null && d.read1?.burdenPercent !== d.read2?.burdenPercent);
    assert.equal(d.adjudication?.reason, 'read 1 follows the opacity');
    assert.equal(d.adjudication.pickedVersion, a.version);
    assert.equal(d.adjudication.burdenPercent, d.read1?.burdenPercent, 'the adjudicated copy of read 1 has read 1’s burden');
    assert.equal(d.agreement?.withinThresholds, false);
    assert.match(d.result, /adjudication by Carol/);
    const r = await writeCaseReport(f.ws.store, f.caseId, join(f.dir, 'report.pdf'));
    if (hasPdftotext) {
      // The double-read page is the last page (after the key images).
      const text = execFileSync('pdftotext', ['-layout', '-f', String(r.pageCount), '-l', String(r.pageCount), r.pdfPath, '-'], {
        encoding: 'utf8',
      });
      for (const s of ['Read 1', 'Alice', 'Read 2', 'Bob', 'Adjudicator', 'Carol', 'read 1 follows the opacity', 'LB-TRIAL-01'])
        assert.ok(text.includes(s), `the PDF names ${s}`);
    }
  } finally {
    await f.close();
  }
});
