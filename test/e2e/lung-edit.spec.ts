import { expect, test } from '@playwright/test';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { classVoxels, eraseLungStroke, numberOf, READER, sampleCaseWithLung, shoot, signIn } from './support/review-flow.ts';

/**
 * Editable lung mask: on the sample case (AI run for its lung mask), the reader switches the tools
 * to "Lungs", erases a region of the lung, sees the live lung volume drop (undo/redo of the lung
 * set only), saves a new lung version, and the stored burden's lung volume becomes the live one.
 */
test('lung mask: switch to Lungs → erase → live lung volume drops → undo/redo → save → stored burden follows', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page);

  const caseId = await sampleCaseWithLung(api);
  const lungVersions = (): Promise<number> => api.cases.get(caseId).then((d) => d.labelVersions.filter((v) => v.kind === 'lung').length);
  const nLung0 = await lungVersions();
  const stored0 = await api.cases.burden(caseId);
  expect(stored0).not.toBeNull();

  await page.goto(`${new URL(env.url).origin}/#case/${caseId}`);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 60_000 });
  const live0 = await numberOf(page, 'lung-ml');
  expect(Math.abs(live0 - stored0!.lungVolumeMl)).toBeLessThan(1e-6);
  const lesionVoxels = await classVoxels(page, 1);

  // Lungs: the paint classes become right / left lung, the lung outline is shown.
  await page.getByTestId('edit-set-lung').click();
  await expect(page.getByTestId('edit-set-lung')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('class-ggo')).toContainText('Right lung');
  await expect(page.getByTestId('class-high')).toContainText('Left lung');
  await expect(page.getByLabel('Minimum HU')).toHaveValue('-1000'); // HU brush / fill: aerated lung
  await expect(page.getByTestId('save')).toBeDisabled();
  await expect(page.getByTestId('version-info')).toContainText(`lung v${nLung0}`);

  // Erase a stroke inside the lung on the axial view.
  const live1 = await eraseLungStroke(page, live0);
  await expect(page.getByTestId('dirty')).toContainText('unsaved lung edits');
  await expect(page.getByTestId('sign-off')).toBeDisabled();
  expect(await classVoxels(page, 1)).toBe(lesionVoxels); // the lesion labels are untouched
  await shoot(page, null, 'lung-edit-erased');

  // Undo / redo act on the lung set.
  await page.getByTestId('undo').click();
  await expect.poll(() => numberOf(page, 'lung-ml')).toBe(live0);
  await page.getByTestId('redo').click();
  await expect.poll(() => numberOf(page, 'lung-ml')).toBe(live1);

  // Save: a new lung version by the reader; the stored burden's denominator is the live one.
  await page.getByTestId('save-note').fill('lung edited in e2e');
  // what the save sends (the changed blocks, not the whole mask) and how long the reader waits for it
  const sent: { method: string; bytes: number }[] = [];
  page.on('request', (r) => {
    const m = /\/rpc\/([\w.]+)$/.exec(r.url());
    if (m?.[1]) sent.push({ method: m[1], bytes: r.postDataBuffer()?.length ?? 0 });
  });
  const saved0 = Date.now();
  const clean = page.waitForFunction(() => !document.querySelector('[data-testid=dirty]')?.textContent.includes('unsaved lung edits'));
  await page.getByTestId('save').click();
  await clean;
  const save = sent.find((s) => /^(cases\.saveLungLabels|labelPatches\.saveLungPatch)$/.test(s.method));
  console.log(`lung save: ${JSON.stringify({ ...save, uiMs: Date.now() - saved0 })}`);
  expect(save?.method).toBe('labelPatches.saveLungPatch');
  await expect.poll(lungVersions).toBe(nLung0 + 1);
  await expect(page.getByTestId('dirty')).not.toContainText('unsaved lung edits');
  await expect(page.getByTestId('version-info')).toContainText(`lung v${nLung0 + 1} · ${READER}`);
  const lungRow = page.locator(`[data-testid=lung-version-row][data-version="${nLung0 + 1}"]`);
  await expect(lungRow).toContainText('in use');
  await expect(lungRow).toContainText('lung edited in e2e');
  await expect(lungRow).toContainText(`from lung v${nLung0}`);
  const d = await api.cases.get(caseId);
  const saved = d.labelVersions.filter((v) => v.kind === 'lung').sort((a, b) => b.version - a.version)[0]!;
  expect(saved.author.name).toBe(READER);
  expect(saved.note).toBe('lung edited in e2e');
  const stored1 = await api.cases.burden(caseId);
  expect(Math.abs(stored1!.lungVolumeMl - live1)).toBeLessThan(1e-6);
  expect(stored1!.lungVolumeMl).toBeLessThan(stored0!.lungVolumeMl);
  await shoot(page, null, 'lung-edit-saved');
  await shoot(page, 'history-panel', 'lung-edit-history');

  // Back to Lesions (M toggles the set): the lesion set's undo history is its own (nothing to undo).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('m');
  await expect(page.getByTestId('edit-set-lesion')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('class-ggo')).toContainText('GGO');
  await expect(page.getByLabel('Minimum HU')).toHaveValue('-750');
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});
