import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { signIn } from './support/review-flow.ts';
import { makeCorpus } from '../fixtures/bad-input/make-corpus.ts';

// Issue 18: a case whose DICOM strings carry a bidi override, terminal escapes and 10 kB: the
// worklist shows them isolated (<bdi>), without the override, capped, inside the viewport; the
// launch URL was exchanged for a session and cleaned from the address bar.
test('hostile DICOM strings stay in their column, isolated and capped; the launch token leaves the URL', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const corpus = makeCorpus(join(mkdtempSync(join(tmpdir(), 'lb-e2e-hostile-')), 'corpus'));
  const hostile = corpus.find((c) => c.name === 'dicom-hostile-strings');
  expect(hostile).toBeTruthy();
  await page.goto(env.url);
  expect(page.url()).not.toContain('token=');
  // Importing is done as a signed-in reader (the audit trail names who imported).
  await signIn(page);
  const job = await api.jobs.importPath(hostile?.target ?? '');
  await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 60_000 }).toBe('done');
  await page.reload();
  const row = page.getByTestId('case-row').filter({ hasText: 'HYPERLINK' }).first();
  await expect(row).toBeVisible();
  const texts = await row.locator('bdi.dicom-text').allTextContents();
  expect(texts.length).toBeGreaterThanOrEqual(3);
  for (const t of texts) {
    expect(t).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(t.length).toBeLessThanOrEqual(64);
  }
  expect(texts.join(' ')).toContain('RTL1234');
  const box = await row.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport && box.x + box.width <= viewport.width + 1).toBeTruthy();
  const isolate = await row
    .locator('bdi.dicom-text')
    .first()
    .evaluate((el) => getComputedStyle(el).unicodeBidi);
  expect(isolate).toBe('isolate');
  await page.screenshot({ path: 'test-results/playwright/hostile-strings-worklist.png' });
});
