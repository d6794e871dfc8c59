import assert from 'node:assert/strict';
import { signAs } from '../../support/test-readers.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { CaseStore, CaseStoreError } from '../../../electron/services/cases/case-store.ts';
import { renderReportPdf, fmtMl, fmtPct } from '../../../electron/services/reports/render-report-pdf.ts';
import { writeCaseReport, pseudonymOf } from '../../../electron/services/reports/report-service.ts';
import { renderKeyImages, scaleBarLengthMm } from '../../../shared/export/key-images.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import type { ReportData } from '../../../shared/export/report-data.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';
import { HAS_POPPLER as hasPoppler } from '../../support/poppler.ts';
import { READ_SIGNATURE_MEANING } from '../../../shared/domain/reader.ts';

// A synthetic case stored with a lung mask (algorithm), model lesion labels, a reader edit that is
// signed, and a burden record: everything a report reads. No model run needed.
let dir = '';
let store: CaseStore;
const chest = syntheticChest();
let caseId: ReturnType<CaseStore['addSeries']>['caseId'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-report-'));
  store = CaseStore.open(join(dir, 'store'));
  caseId = store.addSeries({ metadata: seriesMetadata(), volume: chest.volume, sourcePath: '/x', sourceKind: 'dicom', issues: [] }).caseId;
  const lung = store.saveLabelVersion(caseId, 'lung', chest.lung, { kind: 'algorithm', name: 'lung-burden classical lung mask v1' });
  const m = store.saveLabelVersion(caseId, 'lesion', chest.lesion, {
    kind: 'model',
    name: 'convlstm 1.2.0',
    modelName: 'lung-burden-convlstm',
    modelVersion: '1.2.0',
  });
  const r = store.saveLabelVersion(caseId, 'lesion', chest.lesion, { kind: 'reader', name: 'Dr Ada Reader' }, { parentId: m.id });
  store.recordBurden(caseId, r.id, lung.id, chest.stored);
  signAs(store, caseId, r.id, 'Dr Ada Reader');
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'writeCaseReport writes PDF, JSON and CSV; the PDF has 2 pages whose text carries the JSON numbers',
  { skip: hasPoppler ? false : 'poppler-utils (pdftoppm, pdftotext) not installed' },
  async () => {
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
    const pages = readdirSync(dir)
      .filter((f) => /^page-\d+\.png$/.test(f))
      .sort();
    assert.deepEqual(pages, ['page-1.png', 'page-2.png']);

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const s of [
      fmtPct(json.burden.burdenPercent),
      fmtMl(json.burden.lungVolumeMl),
      fmtMl(json.burden.ggoVolumeMl),
      fmtMl(json.burden.highOpacityVolumeMl),
      fmtPct(json.burden.ggoBurdenPercent),
      fmtMl(json.burden.regions[0]!.lungVolumeMl),
      'Doe, Jane',
      'P001',
      'lung-burden-convlstm 1.2.0',
      'Dr Ada Reader',
      json.provenance.signOff!.signedAt,
      `${json.severity.score} - ${json.severity.label}`,
      'NOT FOR DIAGNOSTIC USE WITHOUT PHYSICIAN REVIEW',
      'Page 1 of 2',
      'Page 2 of 2',
    ]) {
      assert.ok(text.includes(s), `PDF text contains "${s}"`);
    }
    // The footer (automatic vs signed) is on both pages.
    const perPage = text.split('\f');
    assert.ok(
      perPage[0]!.includes('Result signed by Dr Ada Reader (reader)') && perPage[1]!.includes('Result signed by Dr Ada Reader (reader)'),
    );
    assert.ok(!text.includes('DRAFT'), 'a signed result is no draft');
    assert.equal(json.provenance.state, 'signed');
    assert.equal(json.provenance.signOff!.meaning, READ_SIGNATURE_MEANING);
    assert.equal(csv.rows[0]!['result_state'], 'signed');
    assert.equal(csv.rows[0]!['signed_role'], 'reader');
    assert.equal(csv.rows[0]!['signature_meaning'], READ_SIGNATURE_MEANING);
    assert.equal(csv.rows[0]!['lesion_sha256'], store.caseResult(caseId)!.signature.lesionSha256);
    assert.ok(perPage[1]!.includes('Automatic: Lung mask v1'));
  },
);

test(
  'page 2 shows the lesion overlays in the key image region (pixel colours)',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const images = renderKeyImages(store.loadVolume(caseId), chest.lung, chest.lesion);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'case.json'), 'utf8')) as ReportData;
    const rendered = await renderReportPdf(json, images);
    const pdf = join(dir, 'direct.pdf');
    writeFileSync(pdf, rendered.pdf);
    // 72 dpi: one pixel per PDF point, so the placed rectangles are pixel rectangles.
    execFileSync('pdftoppm', ['-png', '-r', '72', '-f', '2', '-l', '2', pdf, join(dir, 'direct')]);
    const page = PNG.sync.read(
      readFileSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith('direct-') && f.endsWith('.png'))!,
        ),
      ),
    );
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
  },
);

test(
  'key images carry R/L (and A/P, S/I) markers on their edges and a scale bar in mm',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const images = renderKeyImages(store.loadVolume(caseId), chest.lung, chest.lesion);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'case.json'), 'utf8')) as ReportData;
    const rendered = await renderReportPdf(json, images);
    const pdf = join(dir, 'markers.pdf');
    writeFileSync(pdf, rendered.pdf);
    // Words of page 2 with their boxes (PDF points from the top-left, like PlacedImage).
    const html = execFileSync('pdftotext', ['-bbox', '-f', '2', '-l', '2', pdf, '-'], { encoding: 'utf8' });
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
      text: m[5]!,
    }));
    const mm = scaleBarLengthMm(images.coronal.width * images.coronal.pixelSpacingMm);
    for (const img of rendered.images) {
      const inside = words.filter(
        (w) => w.x0 >= img.x - 1 && w.x1 <= img.x + img.width + 1 && w.y0 >= img.y - 1 && w.y1 <= img.y + img.height + 1,
      );
      const at = (text: string) => inside.find((w) => w.text === text);
      const r = at('R'),
        l = at('L');
      assert.ok(r && l, `${img.kind}: R and L markers inside the image`);
      assert.ok(r.x1 < img.x + img.width * 0.2 && l.x0 > img.x + img.width * 0.8, `${img.kind}: R on the left edge, L on the right`);
      const [top, bottom] = img.kind === 'axial' ? ['A', 'P'] : ['S', 'I'];
      assert.ok(
        at(top)!.y1 < img.y + img.height * 0.2 && at(bottom)!.y0 > img.y + img.height * 0.8,
        `${img.kind}: ${top} up, ${bottom} down`,
      );
      assert.ok(
        inside.some((w) => w.text === 'mm'),
        `${img.kind}: scale bar label`,
      );
    }
    assert.ok(html.includes(`>${mm}</word>`), `a ${mm} mm scale bar`);
  },
);

test(
  'trial context prints with the identifiers when present, nothing when absent; extra pages follow the key images',
  { skip: hasPoppler ? false : 'poppler-utils not installed' },
  async () => {
    const images = renderKeyImages(store.loadVolume(caseId), chest.lung, chest.lesion);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'case.json'), 'utf8')) as ReportData;
    const plainText = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: (await renderReportPdf(json, images)).pdf,
      encoding: 'utf8',
    });
    assert.ok(!/Protocol|Subject|Visit/.test(plainText), 'no empty trial rows for a case outside a study');
    const withTrial: ReportData = { ...json, trial: { protocol: 'COV-301', site: '', subject: 'S-0042', visit: 'week 4' } };
    const rendered = await renderReportPdf(withTrial, images, {
      extraPages: [
        {
          subtitle: 'Reads',
          render: (doc, _d, layout) =>
            void layout.keyValues([['Read A', 'signed']], layout.margin, layout.sectionTitle('Reads', layout.top), layout.contentWidth),
        },
      ],
    });
    assert.equal(rendered.pageCount, 3);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: rendered.pdf, encoding: 'utf8' });
    for (const s of ['COV-301', 'S-0042', 'week 4', 'Page 3 of 3', 'READS']) assert.ok(text.includes(s), s);
    assert.ok(!text.includes('Site'), 'an empty trial field is left out');
  },
);

test('pseudonymized report hides name and ID; a case without burden is a clear error', async () => {
  const files = await writeCaseReport(store, caseId, join(dir, 'pseudo', 'r.pdf'), { pseudonymize: true, source: 'site/p1' });
  assert.equal(files.data.patient.id, pseudonymOf('P001'));
  assert.ok(!readFileSync(files.jsonPath, 'utf8').includes('Doe'));
  assert.equal(files.row['source'], 'site/p1');
  const other = store.addSeries({
    metadata: seriesMetadata({ patientId: 'P2' }),
    volume: syntheticChest([20, 20, 6]).volume,
    sourcePath: '/y',
    sourceKind: 'nifti',
    issues: [],
  });
  await assert.rejects(
    writeCaseReport(store, other.caseId, join(dir, 'x.pdf')),
    (e: unknown) => e instanceof CaseStoreError && /no burden yet/.test(e.message),
  );
});
