import { expect, test, type Page } from '@playwright/test';
import type { ContractApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import { fmtPercent } from '../../../renderer/ui/format.ts';
import { signInDialog } from './readers.ts';
import { caseFacts, paintGgoStroke, classVoxels, numberOf, READER, realChestSeries, shoot } from './review-flow.ts';

/**
 * The reader's whole day in one flow, on a signed-in page showing the worklist: import (the
 * real COVID series when the team data has it, else the sample), run AI, open, paint a GGO
 * stroke, undo, redo, save, sign off, compare versions; then checks through the API that the
 * versions exist and the burden changed by exactly the painted volume. `prefix` names the
 * screenshots.
 */
export async function reviewFlow(page: Page, api: ContractApi<WorkstationContract>, prefix = ''): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Import: the real COVID chest series when the team data has it, else the bundled sample.
  const before = new Set((await api.cases.list()).map((c) => c.id));
  const real = realChestSeries();
  if (real) {
    await page.getByTestId('import-path').fill(real);
    await page.getByTestId('import-button').click();
  } else {
    test.info().annotations.push({
      type: 'data',
      description: '../shared/data/chest-ct/ricord1a-000082-covid absent: using the bundled sample case',
    });
    await page.getByTestId('load-sample').click();
  }
  await expect
    .poll(async () => (await api.cases.list()).some((c) => !before.has(c.id)) || (await page.locator('.toast-error').count()) > 0, {
      timeout: 10 * 60_000,
      intervals: [1000],
    })
    .toBe(true);
  const importError = page.locator('.toast-error');
  if (await importError.count()) throw new Error(`import failed in the UI: ${await importError.first().textContent()}`);
  const caseId = (await api.cases.list()).filter((c) => !before.has(c.id))[0]!.id;
  const row = page.locator(`[data-testid=case-row][data-case-id="${caseId}"]`);
  await expect(row).toBeVisible();
  await shoot(page, null, prefix + 'worklist-imported');

  // Run AI from the worklist and wait for the job to end (its progress bar leaves the row).
  // With a lesion model installed the case gets lung mask + model lesions (version 1) and
  // "AI done"; without one, the lung mask only (lesions start empty, the reader's save is v1).
  const models = await api.models.list();
  const hasModel = models.some((m) => m.active);
  test.info().annotations.push({
    type: 'model',
    description: hasModel ? models.find((m) => m.active)!.name : 'no lesion model installed: lung mask only',
  });
  await row.getByTestId('run-ai').click();
  await expect
    .poll(
      async () =>
        (await api.cases.get(caseId)).labelVersions.some((v) => v.kind === 'lung') || (await page.locator('.toast-error').count()) > 0,
      { timeout: 12 * 60_000, intervals: [1000] },
    )
    .toBe(true);
  const aiError = page.locator('.toast-error');
  if (await aiError.count()) throw new Error(`AI run failed in the UI: ${await aiError.first().textContent()}`);
  await expect(row.getByTestId('job-analyze')).toHaveCount(0, { timeout: 60_000 });
  if (hasModel) await expect(row.getByTestId('case-status')).toHaveText('AI done');
  await shoot(page, null, prefix + 'worklist-ai-done');
  const ai = await caseFacts(api, caseId);
  expect(ai.lesion).toHaveLength(hasModel ? 1 : 0);
  if (hasModel) expect(ai.lesion[0]!.author.kind).toBe('model');
  expect(ai.burden).not.toBeNull();
  const aiGgoVoxels = hasModel ? (ai.lesion[0]!.counts[1] ?? 0) : 0;

  // Open the case (double click) and wait for the viewer.
  await row.dblclick();
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await page.evaluate(() =>
    (window as unknown as { __lungBurdenReview: { surface: { whenIdle(): Promise<void> } } }).__lungBurdenReview.surface.whenIdle(),
  );
  for (const v of ['axial', 'coronal', 'sagittal', '3d']) await shoot(page, `view-${v}`, `${prefix}view-${v}`);
  await shoot(page, null, prefix + 'review');
  // The live panel starts at the model's burden.
  const ggoMl0 = await numberOf(page, 'burden-ggo-ml');
  expect(ggoMl0).toBeCloseTo(aiGgoVoxels * ai.voxelMl, 6);

  // Paint one GGO stroke with a 4 mm circle brush in clean lung.
  const ggo0 = await classVoxels(page, 1);
  await paintGgoStroke(page, 6);
  const ggo1 = await classVoxels(page, 1);
  const painted = ggo1 - ggo0;
  expect(painted).toBeGreaterThan(0);
  await expect(page.getByTestId('dirty')).toHaveText(/unsaved/);
  await expect.poll(() => numberOf(page, 'burden-ggo-ml')).toBeGreaterThan(ggoMl0);
  await shoot(page, 'view-axial', prefix + 'view-axial-painted');

  // Undo restores the voxels and the burden; redo brings the stroke back.
  await page.keyboard.press('Control+z');
  expect(await classVoxels(page, 1)).toBe(ggo0);
  await expect.poll(() => numberOf(page, 'burden-ggo-ml')).toBe(ggoMl0);
  await page.keyboard.press('Control+y');
  expect(await classVoxels(page, 1)).toBe(ggo1);
  const ggoMl1 = await numberOf(page, 'burden-ggo-ml');
  expect(ggoMl1).toBeGreaterThan(ggoMl0);

  // Save → version 2 by the reader; sign off → frozen.
  await page.getByTestId('save-note').fill('e2e stroke');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('version-info')).toContainText(hasModel ? 'v2' : 'v1');
  await expect(page.getByTestId('dirty')).toHaveText('');
  await signInDialog(page);
  await expect(page.getByTestId('version-info')).toContainText('SIGNED');
  await expect(page.getByTestId('amend')).toBeVisible();
  await shoot(page, null, prefix + 'review-signed');

  // Compare the model's version with the reader's in the history panel.
  if (hasModel) {
    await page.getByTestId('pick-v1').check();
    await page.getByTestId('pick-v2').check();
    await page.getByTestId('compare').click();
    const dice = Number(await page.getByTestId('dice-lesion').textContent());
    expect(dice).toBeGreaterThan(0);
    expect(dice).toBeLessThan(1);
    await shoot(page, 'history-panel', prefix + 'history-compare');
  }

  // The services hold exactly: [v1 by the model,] then the reader's version (parent = the model's
  // version or none), signed, with exactly the painted GGO voxels added.
  const done = await caseFacts(api, caseId);
  const expected = hasModel ? [1, 2] : [1];
  expect(done.lesion.map((v) => v.version)).toEqual(expected);
  const mine = done.lesion.at(-1)!;
  const parent = hasModel ? done.lesion[0]! : null;
  if (parent) {
    expect(parent.author.kind).toBe('model');
    expect(parent.signed).toBe(false);
  }
  expect(mine.author).toMatchObject({ kind: 'reader', name: READER });
  expect(mine.parentId).toBe(parent?.id ?? null);
  expect(mine.signed).toBe(true);
  expect(mine.note).toBe('e2e stroke');
  expect((mine.counts[1] ?? 0) - aiGgoVoxels).toBe(painted);
  expect(mine.counts[2] ?? 0).toBe(parent ? (parent.counts[2] ?? 0) : 0);
  expect(done.detail.status).toBe('signed');
  // Burden changed by exactly the painted volume.
  const b0 = ai.burden!;
  const b1 = done.burden!;
  const paintedMl = painted * done.voxelMl;
  expect(b1.ggoVolumeMl - b0.ggoVolumeMl).toBeCloseTo(paintedMl, 3);
  expect(b1.highOpacityVolumeMl).toBeCloseTo(b0.highOpacityVolumeMl, 6);
  expect(b1.burdenPercent - b0.burdenPercent).toBeCloseTo((paintedMl / b1.lungVolumeMl) * 100, 3);
  // The live panel agrees with the service's burden.
  expect(ggoMl1).toBeCloseTo(b1.ggoVolumeMl, 6);

  // Back on the worklist the case shows as signed with the new burden.
  await page.getByTestId('back').click();
  await expect(row.getByTestId('case-status')).toHaveText('Signed');
  await expect(row.getByTestId('case-burden')).toHaveText(fmtPercent(b1.burdenPercent));
  expect(errors).toEqual([]);
}
