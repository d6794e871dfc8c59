import { expect, test } from '@playwright/test';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { eraseLungStroke, numberOf, sampleCaseWithLung, shoot, signIn } from './support/review-flow.ts';

/**
 * Lung-mask edits are autosaved like lesion edits and an older lung version can be reopened: on the
 * sample case the reader erases lung, the edits are staged in the lung slot; after a reload the
 * banner restores them (same live lung volume); saved as a new lung version; the older lung version
 * reopened from the history panel brings the older lung volume back.
 */
test('lung edits: autosaved → reload → restored → saved → older lung version reopened', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    (window as unknown as { __lungBurdenAutosave: unknown }).__lungBurdenAutosave = { idleMs: 500, maxDelayMs: 1500 };
  });
  await signIn(page);
  const caseId = await sampleCaseWithLung(api);
  await api.lungAutosave.discard(caseId);
  const nLung0 = (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lung').length;
  const review = page.locator('[data-testid=review][data-ready=true]');
  await page.goto(`${new URL(env.url).origin}/#case/${caseId}`);
  await expect(review).toBeVisible({ timeout: 60_000 });
  const live0 = await numberOf(page, 'lung-ml');

  // the stages and the save send the changed blocks, not the whole lung mask
  const rpc: string[] = [];
  page.on('request', (r) => {
    const m = /\/rpc\/([\w.]+)$/.exec(r.url());
    if (m?.[1]) rpc.push(m[1]);
  });
  await page.getByTestId('edit-set-lung').click();
  const live1 = await eraseLungStroke(page, live0);
  await expect(page.getByTestId('autosave-state')).toContainText('lung autosaved', { timeout: 15_000 });
  expect(rpc).toContain('labelPatches.stageLungPatch');
  await expect.poll(async () => (await api.lungAutosave.recover(caseId)).kind).toBe('recovered');

  // A new session (reload): the lung edits come back from the banner.
  await page.reload();
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => numberOf(page, 'lung-ml')).toBe(live0);
  await expect(page.getByTestId('lung-recovery-banner')).toBeVisible({ timeout: 15_000 });
  await shoot(page, null, 'lung-autosave-banner');
  await page.getByTestId('restore-lung-autosave').click();
  await expect.poll(() => numberOf(page, 'lung-ml')).toBe(live1);
  await page.getByTestId('edit-set-lung').click();
  await page.getByTestId('save').click();
  await expect.poll(async () => (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lung').length).toBe(nLung0 + 1);
  await expect.poll(async () => (await api.lungAutosave.recover(caseId)).kind).toBe('none');
  expect(rpc).toContain('labelPatches.saveLungPatch');
  expect(rpc.filter((m) => m === 'lungAutosave.stage' || m === 'cases.saveLungLabels')).toEqual([]);

  // The older lung version reopened from the history panel: its lung volume is back.
  await page.locator(`[data-testid=lung-version-row][data-version="${nLung0}"] [data-testid=open-lung-version]`).click();
  await expect.poll(() => numberOf(page, 'lung-ml')).toBe(live0);
  await expect(page.locator(`[data-testid=lung-version-row][data-version="${nLung0}"]`)).toHaveClass(/current/);
  await shoot(page, 'history-panel', 'lung-version-reopened');
  expect(errors).toEqual([]);
});
