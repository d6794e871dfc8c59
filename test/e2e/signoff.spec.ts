import { expect, test } from '@playwright/test';
import type { CaseId } from '../../shared/domain/ids.ts';
import { fmtPercent } from '../../renderer/ui/format.ts';
import { e2eEnv, nodeApi } from './support/node-api.ts';
import { E2E_PASSWORD, ensureReaders, loginInPage, signInDialog } from './support/readers.ts';
import { caseFacts, paintGgoStroke, classVoxels, shoot } from './support/review-flow.ts';

test.describe.configure({ mode: 'serial' });

const READER = { login: 'sign.reader', name: 'Dr Sign Reader', role: 'reader' as const };

/**
 * Part 11 sign-off in the browser: a reader logs in (a wrong password is refused), edits, signs
 * with the password (a wrong one refused in the dialog), the signed version is read-only with undo
 * off, and re-running the AI on the signed case (after a confirmation) keeps the signed result.
 */
test('log in → edit → sign with password → read-only → re-run AI keeps the result', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureReaders(api, [READER]);

  await page.goto(env.url);
  await shoot(page, null, 'signoff-login');
  await loginInPage(page, READER.login, 'not the password');
  await loginInPage(page, READER.login);
  await expect(page.getByTestId('reader')).toHaveText(`Reader: ${READER.name} (reader)`);
  await expect(page.getByTestId('add-reader-open')).toBeHidden();

  // A fresh case (the synthetic chest), imported through the bridge as the signed-in reader.
  const before = new Set((await api.cases.list()).map((c) => c.id));
  let job = await api.jobs.importPath(env.phantom);
  while (job.state === 'running') job = await new Promise((r) => setTimeout(r, 300)).then(() => api.jobs.get(job.id));
  expect(job.state, job.error ?? '').toBe('done');
  const caseId = job.caseIds.find((id) => !before.has(id)) ?? job.caseIds[0];
  if (caseId === undefined) throw new Error('the import made no case');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.locator(`[data-testid=case-row][data-case-id="${caseId}"]`);
  await row.getByTestId('run-ai').click();
  await expect
    // The AI run stores the lung version first and the model's lesion version after the model ran:
    // wait for the latter, or the reader's version could be followed by the AI's (a race, seen once).
    .poll(async () => (await api.cases.get(caseId)).labelVersions.some((v) => v.kind === 'lesion' && v.author.kind === 'model'), {
      timeout: 10 * 60_000,
      intervals: [1000],
    })
    .toBe(true);
  await expect(row.getByTestId('job-analyze')).toHaveCount(0, { timeout: 10 * 60_000 });

  // Open, paint one stroke, save as the reader's version.
  await row.dblclick();
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('result-info')).toHaveText('Result: none signed (draft)');
  const at = await paintGgoStroke(page, 5);
  const painted = await classVoxels(page, 1);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('dirty')).toHaveText('');
  await expect(page.getByTestId('version-info')).toContainText(READER.name);

  // Sign: the dialog names the signer and the meaning; a wrong password is refused in it.
  await page.getByTestId('sign-off').click();
  await expect(page.getByTestId('sign-signer')).toContainText(`${READER.name} (reader`);
  await shoot(page, null, 'signoff-dialog');
  await page.getByTestId('form-cancel').click();
  await signInDialog(page, true);
  await expect(page.getByTestId('version-info')).toContainText(`SIGNED by ${READER.name} (reader)`);
  await expect(page.getByTestId('version-info')).toContainText('read-only');
  await expect(page.getByTestId('signature-line').first()).toContainText(
    'I have reviewed and approve these lesion and lung labels as my read',
  );
  await expect(page.getByTestId('result-pill')).toBeVisible();

  // Immutable: undo/redo off, the keys do nothing, nothing is ever "unsaved".
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect(page.getByTestId('redo')).toBeDisabled();
  await expect(page.getByTestId('save')).toBeDisabled();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('z');
  expect(await classVoxels(page, 1)).toBe(painted);
  // a brush stroke on the signed version changes nothing
  await page.mouse.move(at.x + 40, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 46, at.y + 4);
  await page.mouse.up();
  expect(await classVoxels(page, 1)).toBe(painted);
  await expect(page.getByTestId('dirty')).toHaveText('');
  await expect(page.getByTestId('version-info')).not.toContainText('unsaved');
  await shoot(page, null, 'signoff-signed-readonly');

  const signed = await caseFacts(api, caseId);
  const result = signed.detail.result;
  expect(result?.signature.readerName).toBe(READER.name);
  expect(result?.signature.meaning).toBe('I have reviewed and approve these lesion and lung labels as my read');
  const mine = signed.lesion.at(-1);
  expect(mine?.signed).toBe(true);
  expect(result?.lesionVersion).toBe(mine?.version);
  expect(result?.signature.lesionSha256).toBe(mine?.sha256);
  const signedBurden = signed.detail.burdenPercent;
  expect(signedBurden).not.toBeNull();

  // Re-run the AI on the signed case: asks first; a new unsigned version; the result stays.
  await page.getByTestId('back').click();
  const confirmations: string[] = [];
  page.once('dialog', (d) => {
    confirmations.push(d.message());
    void d.accept();
  });
  await row.getByTestId('run-ai').click();
  await expect
    .poll(async () => (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lesion').length, {
      timeout: 10 * 60_000,
      intervals: [1000],
    })
    .toBeGreaterThan(signed.lesion.length);
  await expect(row.getByTestId('job-analyze')).toHaveCount(0, { timeout: 10 * 60_000 });
  expect(confirmations[0]).toContain('stays the case result');
  await expect(row.getByTestId('case-status')).toHaveText('Signed');
  await expect(row.getByTestId('case-result')).toContainText(`result v${mine?.version ?? '?'} · ${READER.name}`);
  await expect(row.getByTestId('case-burden')).toHaveText(fmtPercent(signedBurden));
  const after = await caseFacts(api, caseId);
  expect(after.detail.result?.lesionVersion).toBe(mine?.version);
  expect(after.lesion.at(-1)?.author.kind).toBe('model');
  expect(after.lesion.at(-1)?.signed).toBe(false);
  await shoot(page, null, 'signoff-worklist-after-rerun');

  // The audit trail names it all and verifies.
  const entries = await api.audit.entries(caseId);
  expect(entries.map((e) => e.action)).toEqual(
    expect.arrayContaining(['case.import', 'ai.run', 'label.save', 'signature', 'status.change']),
  );
  expect(entries.find((e) => e.action === 'signature')?.actor).toBe(READER.login);
  const v = await api.audit.verify();
  expect(v.problems).toEqual([]);
  expect(E2E_PASSWORD.length).toBeGreaterThan(9);
  expect(errors).toEqual([]);
});

/**
 * A second reader signs their own read of the same case; the adjudicator (who read neither) signs
 * in, picks a read with a reason and the password; the adjudication becomes the case result.
 */
test('adjudicator picks one of two signed reads with a reason; it becomes the result', async ({ page }) => {
  const env = e2eEnv();
  const api = nodeApi(env.url, env.token);
  const second = { login: 'second.reader', name: 'Dr Second Reader', role: 'reader' as const };
  const adjudicator = { login: 'adj.one', name: 'Dr Adjudicator', role: 'adjudicator' as const };
  await ensureReaders(api, [READER, second, adjudicator]);
  // The case signed in the previous test; the second reader signs their own read of it
  const c = (await api.cases.list()).find((x) => x.result?.signature.readerName === READER.name);
  expect(c, 'the case signed by the first test').toBeTruthy();
  const caseId = (c?.id ?? 0) as CaseId;
  // (signing the re-run AI version: it becomes the second reader's own copy, then signed)
  await api.readers.login(second.login, E2E_PASSWORD);
  const ai = (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lesion' && v.author.kind === 'model').at(-1);
  expect(ai?.signed).toBe(false);
  const mine = await api.cases.signOff(caseId, ai?.id ?? (0 as never), E2E_PASSWORD);
  expect(mine.author.name).toBe(second.name);
  expect(mine.parentId).toBe(ai?.id);
  await api.readers.logout();

  await page.goto(`${env.url}#case/${caseId}`);
  await loginInPage(page, adjudicator.login);
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('adjudicate').click();
  const dialog = page.getByTestId('adjudication-view');
  await expect(dialog).toContainText('as the case result');
  const firstRead = (await api.cases.get(caseId)).labelVersions.find((v) => v.signature?.readerName === READER.name);
  await dialog.getByTestId('adjudicate-pick').selectOption({ label: `Read 1 · v${firstRead?.version ?? '?'} · ${READER.name}` });
  await dialog.getByTestId('adjudicate-reason').fill('the first read outlines the painted lesion; the second missed it');
  await dialog.getByTestId('adjudicate-password').fill(E2E_PASSWORD);
  await shoot(page, null, 'signoff-adjudicate-dialog');
  await dialog.getByTestId('adjudicate-sign').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('result-info')).toContainText(`adjudicated by ${adjudicator.name}`);
  await shoot(page, null, 'signoff-adjudicated');
  const after = await api.cases.get(caseId);
  expect(after.result?.signature.kind).toBe('adjudication');
  expect(after.result?.signature.reason).toBe('the first read outlines the painted lesion; the second missed it');
  const adjVersion = after.labelVersions.find((v) => v.id === after.result?.signature.lesionVersionId);
  expect(adjVersion?.sha256).toBe(firstRead?.sha256);
  expect((await api.audit.verify()).problems).toEqual([]);
});
