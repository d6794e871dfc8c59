import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { shoot, signIn } from './support/review-flow.ts';
import { sharedDataDir, SHARED_DATA_MISSING } from '../support/shared-data.ts';
import { filesUnder, orthancUnavailable, startOrthanc, type OrthancServer } from '../support/orthanc-server.ts';

// The PACS browser against a real Orthanc (DICOMweb plugin) started by this spec on a free port:
// configure a node (basic auth), search, pick a series, retrieve it into the worklist, run the AI,
// and send the preliminary result (SEG + SR + PDF) back.
const data = sharedDataDir();
const SERIES_DIR = data ? join(data, 'dicom-import', 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le') : null;
const unavailable = orthancUnavailable() ?? (SERIES_DIR && existsSync(SERIES_DIR) ? null : SHARED_DATA_MISSING);

test.describe.configure({ mode: 'serial' });
let orthanc: OrthancServer | null = null;

test.beforeAll(async () => {
  if (unavailable) return;
  orthanc = await startOrthanc({ auth: true });
  await orthanc.upload(filesUnder(SERIES_DIR as string));
});
test.afterAll(async () => {
  await orthanc?.stop();
});

test('PACS: configure a node, search, retrieve a series into the worklist, send results back', async ({ page }) => {
  test.skip(unavailable !== null, unavailable ?? '');
  const o = orthanc as OrthancServer;
  const creds = o.credentials as NonNullable<OrthancServer['credentials']>;
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  await page.goto(env.url);
  await signIn(page);
  const before = (await api.cases.list()).length;

  await page.getByTestId('open-pacs').click();
  const panel = page.getByTestId('pacs-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('pacs-secret-note')).toContainText(/this session only/);
  await panel.getByTestId('pacs-node-name').fill('Test Orthanc');
  await panel.getByTestId('pacs-node-url').fill(o.dicomWebRoot);
  await panel.getByTestId('pacs-node-auth').selectOption('basic');
  await panel.getByTestId('pacs-node-user').fill(creds.user);
  await panel.getByTestId('pacs-node-secret').fill(creds.password);
  await panel.getByTestId('pacs-node-save').click();
  await expect(page.locator('.toast').last()).toContainText(/saved/);
  await expect(panel.getByTestId('pacs-node-select')).toContainText('Test Orthanc');
  await panel.getByTestId('pacs-node-test').click();
  await expect(page.locator('.toast').last()).toContainText(/Connected/);
  // the secret never comes back to the page
  expect(JSON.stringify(await api.pacs.nodes())).not.toContain(creds.password);

  await panel.getByTestId('pacs-q-patient-id').fill('NO-SUCH-ID');
  await panel.getByTestId('pacs-search').click();
  await expect(panel.getByTestId('pacs-studies')).toContainText('No study matches');
  await panel.getByTestId('pacs-q-patient-id').fill('');
  await panel.getByTestId('pacs-search').click();
  await expect(panel.getByTestId('pacs-study-row')).toHaveCount(1);
  await panel.getByTestId('pacs-study-row').first().click();
  await expect(panel.getByTestId('pacs-series-row')).toHaveCount(1);
  await shoot(page, 'pacs-panel', 'pacs-search');
  await panel.getByTestId('pacs-retrieve').first().click();
  await expect(page.locator('.toast').last()).toContainText(/Retrieved into the worklist/, { timeout: 180_000 });
  const cases = await api.cases.list();
  expect(cases.length).toBe(before + 1);
  const pulled = cases.find((c) => c.sliceCount === filesUnder(SERIES_DIR as string).length);
  expect(pulled).toBeTruthy();
  const id = (pulled as NonNullable<typeof pulled>).id;

  // results back: the AI result (unsigned) only as preliminary
  const job = await api.jobs.analyze(id);
  await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 300_000 }).toBe('done');
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator(`[data-case-id="${id}"]`)).toBeVisible();
  await page.locator(`[data-case-id="${id}"]`).click();
  await shoot(page, null, 'pacs-worklist');
  await page.getByTestId('open-pacs').click();
  await expect(panel.getByTestId('pacs-push-case')).toContainText(`#${id}`);
  await panel.getByTestId('pacs-push').click();
  await expect(page.locator('.toast-error').last()).toContainText(/not signed/);
  await panel.getByTestId('pacs-push-preliminary').check();
  await panel.getByTestId('pacs-push').click();
  await expect(page.locator('.toast').last()).toContainText(/Stored on the PACS: SEG \+ SR \+ PDF .*preliminary/, { timeout: 120_000 });
  await shoot(page, 'pacs-panel', 'pacs-pushed');
  // the review screen offers the same for the open case
  await panel.getByRole('button', { name: 'Close' }).click();
  await page.locator(`[data-case-id="${id}"]`).getByTestId('open-case').click();
  await expect(page.getByTestId('review-send-pacs')).toBeVisible();
  await shoot(page, null, 'pacs-review');
  await page.getByTestId('review-send-pacs').click();
  await expect(panel.getByTestId('pacs-push-case')).toContainText(`#${id}`);
  await expect(panel.getByTestId('pacs-push-case')).toContainText('not signed');
  await panel.getByRole('button', { name: 'Close' }).click();
  const modalities = await Promise.all(
    (await o.rest<string[]>('/series')).map(
      async (s) => (await o.rest<{ MainDicomTags: { Modality: string } }>(`/series/${s}`)).MainDicomTags.Modality,
    ),
  );
  expect(modalities.sort()).toEqual(['CT', 'DOC', 'SEG', 'SR']);
});
