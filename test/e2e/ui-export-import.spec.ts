import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { parseDicom } from '../../shared/dicom/parse-dicom.ts';
import { textValue } from '../../shared/dicom/dataset-values.ts';
import { decodeDicomSeg } from '../../shared/export/dicom-seg.ts';
import { parseCsv } from '../../shared/export/csv-table.ts';
import { launchUrl, nodeApi } from './support/node-api.ts';
import { startTestServer, type TestServer } from './support/start-server.ts';
import { aimAtCleanLung, realChestSeries, SCREENSHOT_DIR, shoot, signIn } from './support/review-flow.ts';

test.describe.configure({ mode: 'serial' });

const series = realChestSeries();
const DOWNLOADS = join(SCREENSHOT_DIR, '..', 'downloads');

/** Runs the export dialog for `format` and returns the downloaded file's path. */
async function exportVia(
  page: Page,
  open: () => Promise<void>,
  format: string,
  name: string,
  says: RegExp,
): Promise<{ path: string; fileName: string }> {
  await open();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId(`export-format-${format}`).check();
  await shoot(page, null, `export-dialog-${name}`);
  const download = page.waitForEvent('download', { timeout: 180_000 });
  // The message naming the exported version shows for 4 s: watch for it from the click on.
  const message = expect(page.locator('.toast').filter({ hasText: says })).toBeVisible({ timeout: 180_000 });
  await dialog.getByTestId('export-run').click();
  const [d] = await Promise.all([download, message]);
  mkdirSync(DOWNLOADS, { recursive: true });
  const path = join(DOWNLOADS, d.suggestedFilename());
  await d.saveAs(path);
  await expect(dialog).toHaveCount(0);
  return { path, fileName: d.suggestedFilename() };
}

let own: TestServer | null = null;
test.afterEach(async () => {
  await own?.stop();
  own = null;
});

test('browser mode: upload a real DICOM folder, run AI, export the SEG and the PDF report from the review screen, the CSV from the worklist', async ({
  page,
}) => {
  test.skip(series === null, 'the team data (../shared/data/chest-ct/ricord1a-000082-covid) is absent');
  // Its own workstation: the shared e2e server may already hold this series (other specs import it),
  // and an upload of the same voxels is "already imported", not a new case.
  const s = await startTestServer({ seedSample: false });
  own = s;
  const env = { url: await launchUrl(s.server.url, s.server.token), token: s.server.token, dataDir: s.dataDir };
  const api = nodeApi(env.url, env.token);
  await signIn(page, { api, reload: async () => page.goto(await launchUrl(s.server.url, s.server.token)) });
  const before = new Set((await api.cases.list()).map((c) => c.id));

  // Upload the folder through the folder input (webkitdirectory): files go to the main side as binary.
  const folder = join(
    series!,
    readdirSync(series!).find((f) => f.startsWith('series_'))!,
  );
  await page.getByTestId('import-folder-input').setInputFiles(folder);
  await expect(page.getByTestId('case-row')).toHaveCount(before.size + 1, { timeout: 300_000 });
  await expect(page.locator('.toast').filter({ hasText: /Imported 1 series/ })).toBeVisible();
  const created = (await api.cases.list()).find((c) => !before.has(c.id))!;
  expect(created.sliceCount).toBe(128);
  expect(readdirSync(join(env.dataDir, 'uploads'))).toEqual([]); // staging removed after the import
  const row = page.locator(`[data-testid=case-row][data-case-id="${created.id}"]`);
  await expect(row.getByTestId('case-status')).toHaveText(/new/i);
  await shoot(page, null, 'upload-imported-worklist');

  // Run AI on it (the SEG needs lesion labels), then open it.
  await row.getByTestId('run-ai').click();
  await expect(row.getByTestId('case-burden')).not.toHaveText('—', { timeout: 600_000 });
  await row.getByTestId('open-case').click();
  await expect(page.getByTestId('review')).toBeVisible();
  await expect(page.getByTestId('review-loading')).toHaveCount(0, { timeout: 120_000 });

  // The wheel moves by its travel: 300 px = 3 slices; small trackpad deltas add up (5 × 20 px = 1 slice).
  const axialSlice = (): Promise<number> =>
    page.evaluate(
      () =>
        (window as unknown as { __lungBurdenReview: { views: { name: string; sliceIndex: number }[] } }).__lungBurdenReview.views.find(
          (v) => v.name === 'axial',
        )!.sliceIndex,
    );
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const k0 = await axialSlice();
  await page.mouse.wheel(0, 300);
  await expect.poll(axialSlice).toBe(k0 + 3);
  for (let n = 0; n < 4; n++) await page.mouse.wheel(0, 20);
  await page.waitForTimeout(200);
  expect(await axialSlice()).toBe(k0 + 3);
  await page.mouse.wheel(0, 20);
  await expect.poll(axialSlice).toBe(k0 + 4);

  // DICOM SEG from the review screen: it parses and references the uploaded series' instances.
  const geometry = (await api.cases.get(created.id)).geometry;
  const sourceSeriesUid = textValue(
    parseDicom(new Uint8Array(readFileSync(join(folder, readdirSync(folder)[0]!)))).dataset,
    'SeriesInstanceUID',
  );
  const seg = await exportVia(
    page,
    () => page.getByTestId('export').click(),
    'dicom-seg',
    'seg',
    /DICOM SEG of case \d+ \(lesion version 1 by .*NOT signed\): downloaded seg-case/,
  );
  expect(seg.fileName).toMatch(/^seg-case\d+-v1\.dcm$/);
  const decoded = decodeDicomSeg(new Uint8Array(readFileSync(seg.path)), { geometry });
  expect(decoded.referencedSeriesInstanceUid).toBe(sourceSeriesUid);
  expect(decoded.segments.map((s) => s.algorithmType).slice(0, 2)).toEqual(['AUTOMATIC', 'AUTOMATIC']);
  expect(decoded.lesions?.data.length).toBe(geometry.size[0] * geometry.size[1] * geometry.size[2]);
  expect(decoded.lesions?.data.some((v) => v > 0)).toBe(true);

  // The PDF report from the review screen: two pages (pdfinfo), pages rendered for a look.
  const pdf = await exportVia(
    page,
    () => page.getByTestId('export').click(),
    'report-pdf',
    'pdf',
    /Report of case \d+ \(lesion version 1 by .*NOT signed\): downloaded case\d+-report\.pdf/,
  );
  expect(readFileSync(pdf.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const info = execFileSync('pdfinfo', [pdf.path], { encoding: 'utf8' });
  expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(2);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf.path, join(SCREENSHOT_DIR, 'ui-export-report')]);
  await shoot(page, null, 'review-after-exports');

  // The report CSV from the worklist row, de-identified.
  await page.getByTestId('back').click();
  const wrow = page.locator(`[data-testid=case-row][data-case-id="${created.id}"]`);
  await expect(wrow).toBeVisible();
  const csv = await exportVia(
    page,
    async () => {
      await wrow.getByTestId('export-case').click();
      await page.getByTestId('export-deidentify').check();
    },
    'report-csv',
    'csv',
    /Report of case \d+ .*: downloaded case\d+-report\.csv/,
  );
  const rows = parseCsv(readFileSync(csv.path, 'utf8')).rows;
  expect(rows).toHaveLength(1);
  expect(rows[0]!['patient_id']).toMatch(/^LB-/);
  expect(Number(rows[0]!['right_upper_lung_volume_ml'])).toBeGreaterThan(0);
  expect(readdirSync(join(env.dataDir, 'export-staging'))).toEqual([]); // nothing left behind

  // Fill between slices remembers the edited slices per class and forgets undone ones: GGO drawn on
  // slices k and k+6, high opacity on k+3 and k+9 (beside it) → each class fills its own gap, no holes.
  await wrow.getByTestId('open-case').click();
  await expect(page.getByTestId('review')).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  const at = await aimAtCleanLung(page, 12);
  const k = await axialSlice();
  const perSlice = (cls: number): Promise<number[]> =>
    page.evaluate((c) => {
      const probe = (
        window as unknown as { __lungBurdenReview: { session(): { labels: { data: Uint8Array; size: [number, number, number] } } } }
      ).__lungBurdenReview;
      const { data, size } = probe.session().labels;
      const plane = size[0] * size[1];
      const out = new Array<number>(size[2]).fill(0);
      for (let q = 0; q < data.length; q++) if (data[q] === c) out[Math.floor(q / plane)]!++;
      return out;
    }, cls);
  const [ggo0, ho0] = [await perSlice(1), await perSlice(2)];
  const go = async (slice: number): Promise<void> => {
    await page.evaluate((target) => {
      const ax = (
        window as unknown as { __lungBurdenReview: { views: { name: string; step(d: number): void; sliceIndex: number }[] } }
      ).__lungBurdenReview.views.find((v) => v.name === 'axial')!;
      ax.step(target - ax.sliceIndex);
    }, slice);
    await expect.poll(axialSlice).toBe(slice);
  };
  const dot = async (slice: number, dx: number): Promise<void> => {
    await go(slice);
    await page.mouse.click(at.x + dx, at.y);
  };
  await page.keyboard.press('b');
  await page.keyboard.press('q');
  await dot(k, 0);
  await dot(k + 6, 0);
  await page.keyboard.press('w');
  await dot(k + 3, 40);
  await dot(k + 9, 40);
  await page.keyboard.press('g');
  const added = async (cls: number, base: number[]): Promise<number[]> => (await perSlice(cls)).map((n, s) => n - base[s]!);
  let ggo = await added(1, ggo0);
  let ho = await added(2, ho0);
  for (let s = k; s <= k + 6; s++) expect(ggo[s], `GGO in slice ${s}`).toBeGreaterThan(ggo[k]! * 0.5);
  for (let s = k + 3; s <= k + 9; s++) expect(ho[s], `high opacity in slice ${s}`).toBeGreaterThan(ho[k + 3]! * 0.5);
  await shoot(page, null, 'interpolate-two-classes');
  // Undo the interpolation and the high-opacity dot on k+9: that slice is no longer a key slice.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('g');
  ggo = await added(1, ggo0);
  ho = await added(2, ho0);
  for (let s = k + 1; s <= k + 5; s++) expect(ggo[s], `GGO refilled in slice ${s}`).toBeGreaterThan(0);
  for (let s = k + 4; s <= k + 9; s++) expect(ho[s], `no high opacity past the undone key slice (${s})`).toBe(0);
  expect(ho[k + 3]).toBeGreaterThan(0);
});
