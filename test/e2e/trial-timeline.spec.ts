import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeNifti } from '../../shared/nifti/write-nifti.ts';
import type { CaseId } from '../../shared/domain/ids.ts';
import { chestPhantom } from './support/chest-phantom.ts';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { shoot, signIn } from './support/review-flow.ts';
import { E2E_PASSWORD } from './support/readers.ts';

/**
 * Studies and timepoints end to end: trial information given in the import UI lands on the imported
 * case (worklist Trial column and filter); a second case gets its trial information on the review
 * screen's Trial panel; both are analysed; the panel then shows the subject's timeline (baseline
 * signed, follow-up unsigned) with the change from baseline and the SVG plot; editing the signed
 * baseline asks for a reason, which the audit trail keeps.
 */
test('trial: set at import and on the review screen → worklist filter → subject timeline with change from baseline', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const dir = mkdtempSync(join(tmpdir(), 'lb-e2e-trial-'));
  const files = [
    ['trial-baseline', 40],
    ['trial-follow-up', 43],
  ] as const;
  for (const [name, slices] of files)
    writeFileSync(
      join(dir, `${name}.nii.gz`),
      writeNifti(chestPhantom([112, 96, slices], [3.2, 3.2, 6]), { level: 1, description: `lung-burden e2e ${name}` }),
    );

  await page.goto(env.url);
  await signIn(page);

  // 1. Trial information for the next import, then the import.
  await page.getByTestId('import-trial').click();
  const dlg = page.getByTestId('import-trial-dialog');
  await dlg.getByTestId('field-protocolId').fill('E2E-301');
  await dlg.getByTestId('field-siteId').fill('S01');
  await dlg.getByTestId('field-subjectId').fill('E2E-0001');
  await dlg.getByTestId('field-visitLabel').fill('baseline');
  await dlg.getByTestId('form-ok').click();
  await expect(page.getByTestId('import-trial-pending')).toContainText('E2E-301 · E2E-0001 · baseline');
  await shoot(page, null, 'trial-import-pending');
  const baseline = await importCase(page, api, join(dir, 'trial-baseline.nii.gz'), 'trial-baseline');
  const baseRow = page.locator(`[data-testid=case-row][data-case-id="${baseline}"]`);
  await expect(baseRow.getByTestId('case-trial')).toContainText('E2E-301 · E2E-0001');
  await expect(baseRow.getByTestId('case-trial')).toContainText('baseline (BL) · site S01');
  await expect(page.getByTestId('import-trial-pending')).toBeEmpty();
  const stored = await api.trial.get(baseline);
  expect(stored).toMatchObject({ protocolId: 'E2E-301', subjectId: 'E2E-0001', visitOrder: 0, source: 'import' });

  // 2. A second case, without trial information at import.
  const followUp = await importCase(page, api, join(dir, 'trial-follow-up.nii.gz'), 'trial-follow-up');
  expect(await api.trial.get(followUp)).toBeNull();

  // 3. Both analysed; the baseline signed (its scan QC acknowledged first, as a reader would).
  for (const id of [baseline, followUp]) {
    const job = await api.jobs.analyze(id);
    await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 600_000 }).toBe('done');
  }
  for (const code of (await api.qc.flags(baseline)).unacknowledgedBlocking)
    await api.qc.acknowledge(baseline, code, 'synthetic phantom (e2e): QC is not what this test is about');
  const lesion = (await api.cases.get(baseline)).labelVersions.filter((v) => v.kind === 'lesion').at(-1)!;
  await api.cases.signOff(baseline, lesion.id, E2E_PASSWORD);

  // 4. The follow-up's review screen: set its trial information in the Trial panel.
  await page.goto(`${new URL(env.url).origin}/#case/${followUp}`);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  const panel = page.getByTestId('trial-panel');
  await expect(panel.getByTestId('trial-none')).toBeVisible();
  await panel.getByTestId('trial-edit').click();
  const edit = page.getByTestId('trial-dialog');
  await edit.getByTestId('field-protocolId').fill('E2E-301');
  await edit.getByTestId('field-siteId').fill('S01');
  await edit.getByTestId('field-subjectId').fill('E2E-0001');
  await edit.getByTestId('field-visitLabel').fill('follow-up 1');
  await edit.getByTestId('field-visitDate').fill('bad date');
  await edit.getByTestId('form-ok').click();
  await expect(edit.getByTestId('form-error')).toContainText('YYYY-MM-DD');
  await edit.getByTestId('field-visitDate').fill('2024-03-01');
  await edit.getByTestId('form-ok').click();
  await expect(edit).toHaveCount(0);
  await expect(panel.getByTestId('trial-visit')).toHaveText('follow-up 1 (order 1)');

  // 5. The subject timeline: baseline (signed) then this follow-up (unsigned), change from baseline, plot.
  const points = panel.getByTestId('trial-timepoint');
  await expect(points).toHaveCount(2);
  await expect(points.nth(0)).toHaveAttribute('data-case-id', String(baseline));
  await expect(points.nth(0)).toContainText('baseline (BL)');
  await expect(points.nth(1)).toContainText('unsigned');
  const timeline = await api.trial.timeline(followUp);
  const fu = timeline!.timepoints[1]!;
  expect(fu.changeBurdenPp).not.toBeNull();
  await expect(points.nth(1).getByTestId('trial-change-pp')).toHaveText(
    `${fu.changeBurdenPp! > 0 ? '+' : ''}${fu.changeBurdenPp!.toFixed(2)}`,
  );
  await expect(panel.getByTestId('trial-plot-point')).toHaveCount(2);
  await shoot(page, 'trial-panel', 'trial-review-panel');
  await shoot(page, null, 'trial-review-screen');

  // 6. The signed baseline: a change needs a reason, recorded in the audit trail.
  await page.goto(`${new URL(env.url).origin}/#case/${baseline}`);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('trial-panel').getByTestId('trial-edit').click();
  const signedEdit = page.getByTestId('trial-dialog');
  await signedEdit.getByTestId('field-visitDate').fill('2024-01-05');
  await signedEdit.getByTestId('form-ok').click();
  await expect(signedEdit.getByTestId('form-error')).toContainText(/reason/);
  await shoot(page, 'trial-dialog', 'trial-signed-edit-reason');
  await signedEdit.getByTestId('field-reason').fill('visit date from the site transmittal form (e2e)');
  await signedEdit.getByTestId('form-ok').click();
  await expect(signedEdit).toHaveCount(0);
  const audit = await api.audit.entries(baseline);
  expect(audit.filter((e) => e.action === 'trial.set').at(-1)?.details).toMatchObject({
    reason: 'visit date from the site transmittal form (e2e)',
    caseSigned: true,
  });

  // 7. Worklist filter by subject: exactly these two cases.
  await page.goto(env.url);
  await page.getByTestId('trial-filter').fill('E2E-0001');
  await expect(page.getByTestId('case-row')).toHaveCount(2);
  await shoot(page, null, 'trial-worklist-filter');
});

async function importCase(page: Page, api: ReturnType<typeof nodeApi>, path: string, patientId: string): Promise<CaseId> {
  const n0 = (await api.cases.list()).length;
  await page.getByTestId('import-path').fill(path);
  await page.getByTestId('import-button').click();
  await expect(page.getByTestId('case-row')).toHaveCount(n0 + 1, { timeout: 120_000 });
  const c = (await api.cases.list()).find((x) => x.patientId === patientId);
  if (!c) throw new Error(`case ${patientId} not imported`);
  return c.id;
}
