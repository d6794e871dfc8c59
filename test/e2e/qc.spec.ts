import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeNifti } from '../../shared/nifti/write-nifti.ts';
import { chestPhantom } from './support/chest-phantom.ts';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { shoot, signIn } from './support/review-flow.ts';
import { E2E_PASSWORD, signInDialog } from './support/readers.ts';

/**
 * Scan QC end to end: a generated problem series (12 slices: fewer than the burden needs) is
 * imported from the worklist, shows a blocking flag in the QC column and under the QC filter; on the
 * review screen the Scan QC panel lists it, sign-off is refused, the reader acknowledges each
 * blocking flag with a reason, and sign-off then succeeds with the acknowledgement shown.
 */
test('QC: blocking flag in the worklist → review panel → sign-off refused → acknowledge with a reason → signed', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const dir = mkdtempSync(join(tmpdir(), 'lb-e2e-qc-'));
  const path = join(dir, 'qc-short-series.nii.gz');
  writeFileSync(path, writeNifti(chestPhantom([96, 80, 12], [3.5, 3.5, 6]), { level: 1, description: 'lung-burden e2e QC: 12 slices' }));

  await page.goto(env.url);
  await signIn(page);
  const n0 = (await api.cases.list()).length;
  await page.getByTestId('import-path').fill(path);
  await page.getByTestId('import-button').click();
  await expect(page.getByTestId('case-row')).toHaveCount(n0 + 1, { timeout: 120_000 });
  const caseId = (await api.cases.list()).find((c) => c.patientId === 'qc-short-series')!.id;
  const row = page.locator(`[data-testid=case-row][data-case-id="${caseId}"]`);
  await expect(row.getByTestId('qc-blocking')).toContainText('blocking');
  await expect(row.getByTestId('case-qc')).toHaveAttribute('title', /too-few-slices: The series has only 12 slices/);

  // The QC filter: only cases with an unacknowledged blocking flag.
  await page.getByTestId('qc-filter').selectOption('unacknowledged');
  await expect(row).toBeVisible();
  for (const id of await page
    .locator('[data-testid=case-row]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case-id'))))) {
    expect((await api.qc.flags(id as never)).unacknowledgedBlocking.length).toBeGreaterThan(0);
  }
  await shoot(page, null, 'qc-worklist');
  await page.getByTestId('qc-filter').selectOption('all');

  // AI run (lung mask + lesions), then the review screen.
  const job = await api.jobs.analyze(caseId);
  await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 300_000 }).toBe('done');
  await page.goto(`${new URL(env.url).origin}/#case/${caseId}`);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 60_000 });
  const panel = page.getByTestId('qc-panel');
  await expect(panel.getByTestId('qc-hold')).toContainText('Sign-off is held');
  await expect(panel.locator('[data-code=too-few-slices][data-severity=blocking]')).toContainText('only 12 slices');
  await shoot(page, null, 'qc-review-held');

  // Sign-off is refused by the main process, with the reason.
  await expect(page.getByTestId('sign-off')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('sign-off').click();
  const dialog = page.getByTestId('sign-dialog');
  await dialog.getByTestId('field-password').fill(E2E_PASSWORD);
  await dialog.getByTestId('form-ok').click();
  await expect(dialog.getByTestId('form-error')).toContainText(/blocking QC flag/);
  await dialog.getByTestId('form-cancel').click();
  await expect(dialog).toHaveCount(0);
  expect((await api.cases.get(caseId)).status).not.toBe('signed');

  // Acknowledge every blocking flag with a reason.
  const blocking = (await api.qc.flags(caseId)).unacknowledgedBlocking;
  expect(blocking).toContain('too-few-slices');
  for (const code of blocking) {
    await panel.getByTestId(`qc-reason-${code}`).fill('Short research series on purpose; burden read as partial (e2e)');
    await panel.getByTestId(`qc-ack-${code}`).click();
    await expect(panel.locator(`[data-code=${code}]`).getByTestId('qc-acknowledgement')).toContainText('Acknowledged by');
  }
  await expect(panel.getByTestId('qc-hold')).toHaveCount(0);
  await signInDialog(page);
  await expect.poll(async () => (await api.cases.get(caseId)).status, { timeout: 30_000 }).toBe('signed');
  await shoot(page, 'qc-panel', 'qc-review-acknowledged');
  const ack = (await api.qc.flags(caseId)).flags.find((f) => f.code === 'too-few-slices')!.acknowledgement!;
  expect(ack.reason).toMatch(/research series/);
});
