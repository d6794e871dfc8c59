import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { CaseStore, CaseStoreError } from '../../../electron/services/cases/case-store.ts';
import { renderReportPdf, fmtMl, fmtPct } from '../../../electron/services/reports/render-report-pdf.ts';
import { writeCaseReport, pseudonymOf } from '../../../electron/services/reports/report-service.ts';
import { renderKeyImages } from '../../../shared/export/key-images.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import type { ReportData } from '../../../shared/export/report-data.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

// A synthetic case stored with a lung mask (algorithm), model lesion labels, a reader edit that is
// signed, and a burden record: everything a report reads. No model run needed.
let dir = '';
let store: CaseStore;
const chest = syntheticChest();
let caseId: ReturnType<CaseStore['addSeries']>['caseId'];

const hasPoppler = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-report-'));
  store = CaseStore.open(join(dir, 'store'));
  caseId = store.addSeries({ metadata: seriesMetadata(), volume: chest.volume, sourcePath: '/x', sourceKind: 'dicom', issues: [] }).caseId;
  const lung = store.saveLabelVersion(caseId, 'lung', chest.lung, { kind: 'algorithm', name: 'lung-burden classical lung mask v1' });
  const m = store.saveLabelVersion(caseId, 'lesion', chest.lesion, { kind: 'model', name: 'convlstm 1.2.0', modelName: 'lung-burden-convlstm', modelVersion: '1.2.0' });
  const r = store.saveLabelVersion(caseId, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr Ada Reader' }, { parentId: m.id });
  store.signOff(caseId, r.id, 'Dr Ada Reader');
  store.recordBurden(caseId, r.id, lung.id, chest.burden);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('writeCaseReport writes PDF, JSON and CSV; the PDF has 2 pages whose text carries the JSON numbers', { skip: hasPoppler ? false : 'poppler-utils (pdftoppm, pdftotext) not installed' }, async () => {
  const pdf = join(dir, 'out', 'case.pdf');
  const files = await writeCaseReport(store, caseId, pdf);
  assert.equal(files.pageCount, 2);
  assert.ok(existsSync(join(dir, 'out', 'case.csv')) && existsSync(join(dir, 'out', 'case.json')));
  const json = JSON.parse(readFileSync(files.jsonPath, 'utf8')) as ReportData;
  assert.equal(json.burden.burdenPercent, chest.burden.burdenPercent);
  const csv = parseCsv(readFileSync(files.csvPath, 'utf8'));
  assert.equal(csv.rows.length, 1);
  assert.equal(Number(csv.rows[0]!['lung_volume_ml']).toFixed(1), chest.burden.lungVolumeMl.toFixed(1));

  execFileSync('pdftoppm', ['-png', '-r', '72', pdf, join(dir, 'page')]);
  const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f)).sort();
  assert.deepEqual(pages, ['page-1.png', 'page-2.png']);

  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const s of [
    fmtPct(json.burden.burdenPercent), fmtMl(json.burden.lungVolumeMl), fmtMl(json.burden.ggoVolumeMl),
    fmtMl(json.burden.highOpacityVolumeMl), fmtPct(json.burden.ggoBurdenPercent), fmtMl(json.burden.regions[0]!.lungVolumeMl),
    'Doe, Jane', 'P001', 'lung-burden-convlstm 1.2.0', 'Dr Ada Reader', json.provenance.signOff!.signedAt,
    `${json.severity.score} - ${json.severity.label}`, 'NOT FOR DIAGNOSTIC USE WITHOUT PHYSICIAN REVIEW', 'Page 1 of 2', 'Page 2 of 2',
  ]) {
    assert.ok(text.includes(s), `PDF text contains "${s}"`);
  }
  // The footer (automatic vs signed) is on both pages.
  const perPage = text.split('\f');
  assert.ok(perPage[0]!.includes('Reader sign-off: Dr Ada Reader') && perPage[1]!.includes('Reader sign-off: Dr Ada Reader'));
  assert.ok(perPage[1]!.includes('Automatic: Lung mask v1'));
});

test('page 2 shows the lesion overlays in the key image region (pixel colours)', { skip: hasPoppler ? false : 'poppler-utils not installed' }, async () => {
  const images = renderKeyImages(store.loadVolume(caseId), chest.lung, chest.lesion);
  const json = JSON.parse(readFileSync(join(dir, 'out', 'case.json'), 'utf8')) as ReportData;
  const rendered = await renderReportPdf(json, images);
  const pdf = join(dir, 'direct.pdf');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(pdf, rendered.pdf);
  // 72 dpi: one pixel per PDF point, so the placed rectangles are pixel rectangles.
  execFileSync('pdftoppm', ['-png', '-r', '72', '-f', '2', '-l', '2', pdf, join(dir, 'direct')]);
  const page = PNG.sync.read(readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('direct-') && f.endsWith('.png'))!)));
  const region = (kind: string) => rendered.images.find((p) => p.kind === kind && p.page === 1)!;
  const countIn = (r: { x: number; y: number; width: number; height: number }, pred: (R: number, G: number, B: number) => boolean) => {
    let n = 0;
    for (let y = Math.ceil(r.y); y < Math.floor(r.y + r.height); y++) {
      for (let x = Math.ceil(r.x); x < Math.floor(r.x + r.width); x++) {
        const o = 4 * (x + y * page.width);
        if (pred(page.data[o]!, page.data[o + 1]!, page.data[o + 2]!)) n++;
      }
    }
    return n;
  };
  const blue = (r: number, g: number, b: number) => b > r + 60 && b > g + 20;
  const yellow = (r: number, g: number, b: number) => r > 140 && g > 110 && b < r - 80;
  for (const kind of ['axial', 'coronal', 'frontal-3d']) {
    const r = region(kind);
    assert.ok(r, `${kind} placed on page 2`);
    assert.ok(countIn(r, blue) > 20, `${kind}: GGO blue visible`);
    assert.ok(countIn(r, yellow) > 20, `${kind}: high opacity yellow visible`);
  }
  // Outside the images (the page margin) there is no overlay colour.
  assert.equal(countIn({ x: 0, y: 100, width: 30, height: 400 }, blue), 0);
});

test('pseudonymized report hides name and ID; a case without burden is a clear error', async () => {
  const files = await writeCaseReport(store, caseId, join(dir, 'pseudo', 'r.pdf'), { pseudonymize: true, source: 'site/p1' });
  assert.equal(files.data.patient.id, pseudonymOf('P001'));
  assert.ok(!readFileSync(files.jsonPath, 'utf8').includes('Doe'));
  assert.equal(files.row['source'], 'site/p1');
  const other = store.addSeries({ metadata: seriesMetadata({ patientId: 'P2' }), volume: syntheticChest([20, 20, 6]).volume, sourcePath: '/y', sourceKind: 'nifti', issues: [] });
  await assert.rejects(writeCaseReport(store, other.caseId, join(dir, 'x.pdf')), (e: unknown) => e instanceof CaseStoreError && /no burden yet/.test(e.message));
});

test('names in other scripts print as written (fonts embedded); scripts the font lacks become U+FFFD, never silently wrong', { skip: hasPoppler ? false : 'poppler-utils not installed' }, async () => {
  const s2 = CaseStore.open(join(dir, 'store-intl'));
  try {
    const meta = { ...seriesMetadata(), patientName: 'Παπαδόπουλος^Ελένη', patientId: 'Ж-042', seriesDescription: 'Thorax 東京' };
    const id = s2.addSeries({ metadata: meta, volume: chest.volume, sourcePath: '/y', sourceKind: 'dicom', issues: [] }).caseId;
    const lung = s2.saveLabelVersion(id, 'lung', chest.lung, { kind: 'algorithm', name: 'lung mask' });
    const les = s2.saveLabelVersion(id, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr Müller-Łukasz' });
    s2.recordBurden(id, les.id, lung.id, chest.burden);
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
});

test('hostile DICOM strings: a 10 kB PatientName keeps the report at 2 pages; escapes and bidi overrides are not drawn (issue 18)', { skip: hasPoppler ? false : 'poppler-utils not installed' }, async () => {
  const s3 = CaseStore.open(join(dir, 'store-hostile'));
  try {
    const long = `Long${'N'.repeat(10_000)}`;
    const meta = { ...seriesMetadata(), patientName: long, patientId: 'RTL\u202e1234\u001b[2J', seriesDescription: `=cmd|' /C calc'!A0 ${'S'.repeat(5000)}`, studyDescription: 'D'.repeat(8000) };
    const id = s3.addSeries({ metadata: meta, volume: chest.volume, sourcePath: '/z', sourceKind: 'dicom', issues: [] }).caseId;
    const lung = s3.saveLabelVersion(id, 'lung', chest.lung, { kind: 'algorithm', name: 'lung mask' });
    const les = s3.saveLabelVersion(id, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr R' });
    s3.recordBurden(id, les.id, lung.id, chest.burden);
    const files = await writeCaseReport(s3, id, join(dir, 'hostile', 'case.pdf'));
    assert.equal(files.pageCount, 2, 'the long strings are capped, not wrapped over dozens of pages');
    const text = execFileSync('pdftotext', ['-layout', files.pdfPath, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('RTL1234'), 'the override is removed, the characters keep their order');
    assert.ok(!/[\u001b\u202e]/.test(text));
    assert.ok(text.includes('…'), 'a cut string ends with an ellipsis');
    assert.equal(JSON.parse(readFileSync(files.jsonPath, 'utf8')).patient.name.length > 5000, true, 'the JSON data keeps the full value');
  } finally {
    s3.close();
  }
});
