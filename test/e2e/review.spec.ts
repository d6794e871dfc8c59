import { expect, test } from '@playwright/test';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { reviewFlow } from './support/review-day-flow.ts';
import { classVoxels, shoot, signIn } from './support/review-flow.ts';

test.describe.configure({ mode: 'serial' });

test('worklist → run AI → review → paint, undo, redo → save → sign off', async ({ page }) => {
  const env = e2eEnv();
  await page.goto(env.url);
  await signIn(page);
  // the saves send the patch of the changed blocks, never the whole label map
  const rpc: string[] = [];
  page.on('request', (r) => {
    const m = /\/rpc\/([\w.]+)$/.exec(r.url());
    if (m?.[1]) rpc.push(m[1]);
  });
  await reviewFlow(page, nodeApi(env.url, env.token));
  expect(rpc).toContain('labelPatches.saveLesionPatch');
  expect(rpc).not.toContain('cases.saveLesionLabels');
});

test('worklist: import a folder path, filter and sort', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  await page.goto(env.url);
  await signIn(page);
  const n0 = (await api.cases.list()).length;
  await page.getByTestId('import-path').fill(env.phantom);
  await page.getByTestId('import-button').click();
  await expect(page.getByTestId('case-row')).toHaveCount(n0 + 1, { timeout: 120_000 });
  // Bad path: a clear error, no crash.
  await page.getByTestId('import-path').fill('/no/such/folder');
  await page.getByTestId('import-button').click();
  await expect(page.locator('.toast-error')).toContainText(/fail|not|no such/i);
  await page.locator('.toast-error').click(); // dismiss
  // Filter narrows the table; sorting by slices orders the rows.
  await page.getByTestId('worklist-filter').fill('zzzz-no-match');
  await expect(page.getByTestId('case-row')).toHaveCount(0);
  await page.getByTestId('worklist-filter').fill('');
  await page.getByRole('columnheader', { name: /Slices/ }).click();
  const slices = await page.locator('[data-testid=case-row] td:nth-child(4)').allTextContents();
  expect(slices.map(Number)).toEqual([...slices.map(Number)].sort((a, b) => a - b));
  await shoot(page, null, 'worklist');
});

test('unsaved edits survive a closed window: autosave → restore on reopening', async ({ page, context }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  await page.goto(env.url);
  await signIn(page);
  // The phantom (imported again if an earlier test did: the store keeps one case per series).
  const job = await api.jobs.importPath(env.phantom);
  await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 120_000 }).toBe('done');
  const caseId = (await api.jobs.get(job.id)).caseIds[0] ?? (await api.cases.list()).find((c) => c.patientId === 'phantom-chest')!.id;
  const versionsBefore = (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lesion').length;
  await page.goto(`${new URL(env.url).origin}/#case/${caseId}`);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 60_000 });
  // Paint on the axial view (no lung mask needed), then wait for the autosave.
  await page.keyboard.press('b');
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.52);
  await page.mouse.up();
  const painted = await classVoxels(page, 1);
  expect(painted).toBeGreaterThan(0);
  await expect(page.getByTestId('autosave-state')).toHaveText(/autosaved/, { timeout: 20_000 });
  expect(await api.autosave.pending()).toContain(caseId);
  // The window goes away without saving; a new one offers the edits back.
  const again = await context.newPage();
  await page.close({ runBeforeUnload: false });
  await again.goto(`${new URL(env.url).origin}/#case/${caseId}`);
  await expect(again.getByTestId('recovery-banner')).toBeVisible({ timeout: 60_000 });
  await again.getByTestId('restore-autosave').click();
  await expect(again.getByTestId('dirty')).toHaveText(/unsaved/);
  expect(await classVoxels(again, 1)).toBe(painted);
  await shoot(again, null, 'review-recovered');
  await again.getByTestId('save').click();
  await expect(again.getByTestId('version-info')).toContainText(`v${versionsBefore + 1}`);
  await expect.poll(async () => (await api.autosave.pending()).includes(caseId)).toBe(false);
  const saved = (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lesion').sort((a, b) => b.version - a.version)[0]!;
  expect(saved.counts[1]).toBe(painted);
});

test('models panel: retrain from the signed cases → old/new comparison → use the new model', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  // The first test signed a case off: that is what retraining learns from.
  expect((await api.cases.list()).some((c) => c.status === 'signed')).toBe(true);
  await page.goto(env.url);
  await signIn(page);

  await page.getByTestId('open-models').click();
  const panel = page.getByTestId('models-panel');
  await expect(panel.getByTestId('model-row')).toHaveCount((await api.models.list()).length);
  await expect(panel.getByTestId('retrain-runs')).toContainText('No retraining yet');
  await panel.getByTestId('retrain-steps').fill(process.env['LB_E2E_RETRAIN_STEPS'] ?? '20');
  await panel.getByTestId('retrain-start').click();
  const run = panel.getByTestId('retrain-run').first();
  // LB_E2E_REAL_TRAINER=1: the real trainer (minutes), whose verdict may go either way.
  const real = Boolean(process.env['LB_E2E_REAL_TRAINER']);
  await expect(run).toHaveAttribute('data-state', real ? /registered|refused/ : 'registered', { timeout: real ? 1_200_000 : 120_000 });
  await shoot(page, 'models-panel', 'models-panel-retrained');
  if (real && (await run.getAttribute('data-state')) === 'refused') {
    await expect(run.getByTestId('retrain-gate')).toContainText(/failed: the new model was not registered/);
    return;
  }
  // The comparison: every metric old vs new on the fixed split, the gate named, the verdict said.
  await expect(run.getByTestId('retrain-gate')).toContainText(/passed: the new model was registered/);
  const table = run.getByTestId('retrain-comparison');
  await expect(table.locator('tr[data-metric=medseg_val_dice_lesion] td').nth(1)).toHaveText(/^0\.\d{3}$/);
  await expect(table.locator('tr.gate')).toHaveCount(1);
  if (!real) await expect(table.locator('td.delta-better').first()).toBeVisible();
  const models = await api.models.list();
  const fresh = models.find((m) => m.source === 'user')!;
  expect(fresh).toBeTruthy();
  await expect(panel.getByTestId('model-row')).toHaveCount(models.length);
  // Make it the active model from the panel; the worklist selector follows.
  await panel.locator(`[data-testid=model-row][data-version="${fresh.version}"] [data-testid=model-use]`).click();
  await expect(panel.locator(`[data-testid=model-row][data-version="${fresh.version}"]`)).toContainText('Active');
  expect((await api.models.list()).find((m) => m.active)?.version).toBe(fresh.version);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('model-select')).toContainText(fresh.version);
  // Back to the shipped model for the other specs.
  const builtin = models.find((m) => m.source === 'builtin')!;
  await api.models.setActive(builtin.name, builtin.version);
});
