import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { writeCaseReport } from '../../../electron/services/reports/report-service.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';
import { HAS_POPPLER as hasPoppler } from '../../support/poppler.ts';
import { signAs } from '../../support/test-readers.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

// What the report's text says: DRAFT or the signed result, names in other scripts, hostile strings.
// Each test stores its own synthetic case (lung mask, lesion labels, burden record).
let dir = '';
const chest = syntheticChest();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-report-text-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test(
  'a later unsigned version does not displace the result; a case without a signature is a DRAFT on every page',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const s2 = CaseStore.open(join(dir, 'store-draft'));
    try {
      const id = s2.addSeries({
        metadata: seriesMetadata(),
        volume: chest.volume,
        sourcePath: '/y',
        sourceKind: 'dicom',
        issues: [],
      }).caseId;
      const lung = s2.saveLabelVersion(id, 'lung', chest.lung, { kind: 'algorithm', name: 'lung-burden classical lung mask v1' });
      const m = s2.saveLabelVersion(id, 'lesion', chest.lesion, {
        kind: 'model',
        name: 'convlstm 1.2.0',
        modelName: 'lung-burden-convlstm',
        modelVersion: '1.2.0',
      });
      s2.recordBurden(id, m.id, lung.id, chest.stored);
      const pdf = join(dir, 'draft', 'r.pdf');
      const draft = await writeCaseReport(s2, id, pdf);
      assert.equal(draft.data.provenance.state, 'draft');
      assert.equal(draft.row['result_state'], 'draft');
      const perPage = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' })
        .split('\f')
        .filter((p) => p.trim());
      assert.equal(perPage.length, 2);
      // the rotated watermark comes out of pdftotext as separate lines
      for (const p of perPage) assert.ok(p.replace(/\s+/g, ' ').includes('DRAFT - NOT SIGNED'), 'watermark on every page');
      // signed, then the AI is re-run (a newer unsigned version with its own burden): the report keeps the result
      const sig = signAs(s2, id, m.id, 'Dr Ada Reader');
      const rerun = s2.saveLabelVersion(id, 'lesion', new Uint8Array(chest.lesion.length), {
        kind: 'model',
        name: 'convlstm 1.2.0',
        modelName: 'lung-burden-convlstm',
        modelVersion: '1.2.0',
      });
      s2.recordBurden(id, rerun.id, lung.id, { ...chest.stored, burdenPercent: 0, ggoVolumeMl: 0, highOpacityVolumeMl: 0 });
      const signed = await writeCaseReport(s2, id, join(dir, 'draft', 'signed.pdf'));
      assert.equal(signed.data.provenance.state, 'signed');
      assert.equal(signed.data.provenance.lesion?.labelVersionId, sig.lesionVersionId);
      assert.equal(signed.data.burden.burdenPercent, chest.burden.burdenPercent);
      assert.equal(s2.listCases()[0]!.burdenPercent, chest.burden.burdenPercent, 'the worklist shows the result burden');
      assert.ok(s2.audit.entries().some((e) => e.action === 'report' && e.details['state'] === 'signed'));
    } finally {
      s2.close();
    }
  },
);

test(
  'names in other scripts print as written (fonts embedded); scripts the font lacks become U+FFFD, never silently wrong',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const s2 = CaseStore.open(join(dir, 'store-intl'));
    try {
      const meta = { ...seriesMetadata(), patientName: 'Παπαδόπουλος^Ελένη', patientId: 'Ж-042', seriesDescription: 'Thorax 東京' };
      const id = s2.addSeries({ metadata: meta, volume: chest.volume, sourcePath: '/y', sourceKind: 'dicom', issues: [] }).caseId;
      const lung = s2.saveLabelVersion(id, 'lung', chest.lung, { kind: 'algorithm', name: 'lung mask' });
      const les = s2.saveLabelVersion(id, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr Müller-Łukasz' });
      s2.recordBurden(id, les.id, lung.id, chest.stored);
      const pdf = join(dir, 'intl', 'case.pdf');
      await writeCaseReport(s2, id, pdf);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      assert.ok(text.includes('Ж-042'), 'Cyrillic patient ID');
      assert.ok(/Παπαδόπουλος/.test(text), 'Greek patient name');
      assert.ok(text.includes('Dr Müller-Łukasz'), 'Latin Extended reader name');
      assert.ok(text.includes('Thorax \ufffd\ufffd'), 'CJK (not in the font) shown as replacement characters');
      const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
      assert.match(fonts, /DejaVuSans.*yes\s+yes/, 'fonts embedded and subset');
    } finally {
      s2.close();
    }
  },
);

test(
  'hostile DICOM strings: a 10 kB PatientName keeps the report at 2 pages; escapes and bidi overrides are not drawn (issue 18)',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const s3 = CaseStore.open(join(dir, 'store-hostile'));
    try {
      const long = `Long${'N'.repeat(10_000)}`;
      const meta = {
        ...seriesMetadata(),
        patientName: long,
        patientId: 'RTL\u202e1234\u001b[2J',
        seriesDescription: `=cmd|' /C calc'!A0 ${'S'.repeat(5000)}`,
        studyDescription: 'D'.repeat(8000),
      };
      const id = s3.addSeries({ metadata: meta, volume: chest.volume, sourcePath: '/z', sourceKind: 'dicom', issues: [] }).caseId;
      const lung = s3.saveLabelVersion(id, 'lung', chest.lung, { kind: 'algorithm', name: 'lung mask' });
      const les = s3.saveLabelVersion(id, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr R' });
      s3.recordBurden(id, les.id, lung.id, chest.stored);
      const files = await writeCaseReport(s3, id, join(dir, 'hostile', 'case.pdf'));
      assert.equal(files.pageCount, 2, 'the long strings are capped, not wrapped over dozens of pages');
      const text = execFileSync('pdftotext', ['-layout', files.pdfPath, '-'], { encoding: 'utf8' });
      assert.ok(text.includes('RTL1234'), 'the override is removed, the characters keep their order');
      assert.ok(!/[\u001b\u202e]/.test(text));
      assert.ok(text.includes('…'), 'a cut string ends with an ellipsis');
      assert.equal(
        (JSON.parse(readFileSync(files.jsonPath, 'utf8')) as { patient: { name: string } }).patient.name.length > 5000,
        true,
        'the JSON data keeps the full value',
      );
    } finally {
      s3.close();
    }
  },
);
