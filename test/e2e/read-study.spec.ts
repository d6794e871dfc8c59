import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import { fmtPercent } from '../../renderer/ui/format.ts';
import { launchUrl, nodeApi } from './support/node-api.ts';
import { E2E_ADMIN, E2E_PASSWORD, ensureReaders, loginInPage, signInDialog } from './support/readers.ts';
import { paintGgoStroke, shoot } from './support/review-flow.ts';
import { startTestServer, type TestServer } from './support/start-server.ts';

const ALICE = { login: 'rs.alice', name: 'Dr Alice Firstread', role: 'reader' as const };
const BOB = { login: 'rs.bob', name: 'Dr Bob Secondread', role: 'reader' as const };
const CAROL = { login: 'rs.carol', name: 'Dr Carol Adjudicator', role: 'adjudicator' as const };
const PROTOCOL = 'E2E-DOUBLE-01';

let s: TestServer;
test.beforeAll(async () => {
  s = await startTestServer({ seedSample: false });
});
test.afterAll(async () => {
  await s.stop();
});

/** The JSON RPC responses to every request the page makes from now on (bodies as text), to assert what the main side sent. */
function recordRpc(page: Page): { texts: string[]; settled(): Promise<void> } {
  const pending: Promise<void>[] = [];
  const texts: string[] = [];
  const mine = new Set<unknown>();
  page.on('request', (q) => void mine.add(q));
  page.on('response', (r) => {
    if (!mine.has(r.request()) || !r.url().includes('/rpc/') || !(r.headers()['content-type'] ?? '').includes('json')) return;
    pending.push(
      r.text().then(
        (t) => void texts.push(`${r.url()} ${t}`),
        () => undefined,
      ),
    );
  });
  return {
    texts,
    settled: async () => {
      await Promise.all(pending);
    },
  };
}

async function switchReader(page: Page, login: string): Promise<void> {
  await page.getByTestId('logout').click();
  await loginInPage(page, login);
}

/**
 * Issue 15, blinded double read: an admin creates a double-read study with adjudication in the UI
 * and assigns the case; two readers read it blind at the same workstation — each sees neither the
 * other's labels nor burden, in the DOM and in every API response the page receives — and sign
 * with their passwords; the reads differ beyond the thresholds, so the case waits for the
 * adjudicator, who compares both reads side by side and signs one with a reason; the screen then
 * shows the adjudicated result, and the report shows both reads and the adjudication.
 */
test('two readers read blind, both sign, the adjudicator resolves, the report shows all three', async ({ page }) => {
  const url = await launchUrl(s.server.url, s.server.token);
  const api = nodeApi(url, s.server.token);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await ensureReaders(api, [ALICE, BOB, CAROL]);

  // The admin imports and runs the AI (through the bridge), then sets up the study in the UI.
  await api.readers.login(E2E_ADMIN.login, E2E_PASSWORD);
  let job = await api.jobs.importPath(s.phantomPath);
  while (job.state === 'running') job = await new Promise((r) => setTimeout(r, 300)).then(() => api.jobs.get(job.id));
  expect(job.state, job.error ?? '').toBe('done');
  const caseId = job.caseIds[0] as CaseId;
  job = await api.jobs.analyze(caseId);
  while (job.state === 'running') job = await new Promise((r) => setTimeout(r, 1000)).then(() => api.jobs.get(job.id));
  expect(job.state, job.error ?? '').toBe('done');
  const aiVersion = (await api.cases.get(caseId)).labelVersions.filter((v) => v.kind === 'lesion').at(-1);
  expect(aiVersion?.author.kind).toBe('model');
  const aiBurden = (await api.cases.burden(caseId))?.burdenPercent ?? null;
  await api.readers.logout();

  await page.goto(url);
  await loginInPage(page, E2E_ADMIN.login);
  await page.getByTestId('open-read-studies').click();
  const panel = page.getByTestId('read-studies-panel');
  await panel.getByTestId('study-protocol').fill(PROTOCOL);
  await panel.getByTestId('study-title').fill('Blinded double read, e2e');
  await panel.getByTestId('study-design').selectOption('double-adjudication');
  await panel.getByTestId('study-min-dice').fill('0.99');
  await panel.getByTestId('study-max-burden').fill('0.01');
  await panel.getByTestId('study-max-volume').fill('0.5');
  await panel.getByTestId('study-create').click();
  await expect(panel.locator(`[data-testid=study-row][data-protocol="${PROTOCOL}"]`)).toBeVisible();
  await panel.getByTestId('assign-study').selectOption(PROTOCOL);
  for (const [slot, who] of [
    ['read1', ALICE],
    ['read2', BOB],
    ['adjudicator', CAROL],
  ] as const) {
    await panel.getByTestId('study-case').fill(String(caseId));
    await panel.getByTestId('assign-slot').selectOption(slot);
    await panel.getByTestId('study-login').fill(who.login);
    await panel.getByTestId('assign').click();
    await expect(panel.getByTestId('study-login')).toHaveValue('');
  }
  await expect(panel.locator(`[data-testid=study-row][data-protocol="${PROTOCOL}"]`).getByTestId('study-cases')).toHaveText('1');
  expect((await api.readStudies.assignments(PROTOCOL)).map((a) => `${a.slot}:${a.readerLogin}`).sort()).toEqual([
    'adjudicator:rs.carol',
    'read1:rs.alice',
    'read2:rs.bob',
  ]);
  await shoot(page, 'read-studies-panel', 'read-study-panel');
  await panel.getByRole('button', { name: 'Close' }).click();

  // Reader 1 reads: one GGO stroke, save, sign with the password.
  await switchReader(page, ALICE.login);
  const row = page.locator(`[data-testid=case-row][data-case-id="${caseId}"]`);
  await expect(row.getByTestId('read-state')).toContainText('awaiting reads');
  await expect(row.getByTestId('read-state')).toContainText('you: read1');
  await row.dblclick();
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await paintGgoStroke(page, 6);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('dirty')).toHaveText('');
  await signInDialog(page);
  await expect(page.getByTestId('version-info')).toContainText(`SIGNED by ${ALICE.name}`);
  const aliceRead = (await api.cases.get(caseId)).labelVersions
    .filter((v) => v.kind === 'lesion' && v.signature?.readerLogin === ALICE.login)
    .at(-1);
  const aliceBurden = (await api.cases.burden(caseId))?.burdenPercent ?? null;
  expect(aliceRead).toBeTruthy();
  expect(aliceBurden).not.toBe(aiBurden);
  await page.getByTestId('back').click();

  // Reader 2 at the same workstation: blind to reader 1 (DOM and every response the page gets).
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login')).toBeVisible();
  const rpc = recordRpc(page); // requests from here on: nobody, then reader 2, is signed in
  await loginInPage(page, BOB.login);
  await expect(row.getByTestId('case-burden')).toHaveText(fmtPercent(aiBurden));
  await expect(row.getByTestId('case-status')).toHaveText('AI done');
  await expect(row.getByTestId('case-result')).toHaveCount(0);
  await expect(row).not.toContainText(ALICE.name);
  await row.dblclick();
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('history-list').getByTestId('version-row')).toHaveCount(1);
  await expect(page.getByTestId('history-panel')).not.toContainText(ALICE.name);
  await expect(page.getByTestId('result-info')).toHaveText('Result: none signed (draft)');
  await page.getByTestId('open-audit').click();
  const audit = page.getByTestId('audit-panel');
  await expect(audit).toContainText('case.import');
  await expect(audit).not.toContainText(ALICE.login);
  await page.keyboard.press('Escape');
  await shoot(page, null, 'read-study-reader2-blind');
  // the API refuses reader 1's labels to reader 2
  await expect(api.cases.labelBytes(aliceRead?.id ?? (0 as LabelVersionId))).rejects.toThrow(/read blind/);
  await expect(api.cases.compareVersions(aiVersion?.id ?? (0 as LabelVersionId), aliceRead?.id ?? (0 as LabelVersionId))).rejects.toThrow(
    /read blind/,
  );
  expect((await api.cases.burden(caseId))?.burdenPercent ?? null).toBe(aiBurden);
  await paintGgoStroke(page, 16);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('dirty')).toHaveText('');
  await rpc.settled();
  const leaks = rpc.texts.filter((t) => t.includes(ALICE.login) || t.includes(ALICE.name) || t.includes(aliceRead?.sha256 ?? '--'));
  expect(leaks, 'no response to reader 2 names reader 1 or her labels').toEqual([]);
  expect(rpc.texts.length).toBeGreaterThan(5);
  await signInDialog(page);
  await page.getByTestId('back').click();
  // Both signed: agreement computed; beyond the thresholds the case waits for the adjudicator.
  await expect(row.getByTestId('read-state')).toContainText('needs adjudication');

  // The adjudicator: filter, open, compare side by side, sign read 1 with a reason.
  await switchReader(page, CAROL.login);
  await page.getByTestId('read-filter').selectOption('needs-adjudication');
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await row.dblclick();
  await expect(page.locator('[data-testid=review][data-ready=true]')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('adjudicate').click();
  const view = page.getByTestId('adjudication-view');
  await expect(view.getByTestId('adjudication-read-1')).toContainText(ALICE.name);
  await expect(view.getByTestId('adjudication-read-2')).toContainText(BOB.name);
  await expect(view.getByTestId('adjudication-numbers')).toContainText('Any lesion');
  await expect(view.getByTestId('adjudication-burden')).toContainText(`${(aliceBurden ?? 0).toFixed(2)} %`);
  await expect(view.getByTestId('adjudication-exceeded')).toBeVisible();
  await page.waitForTimeout(500);
  await shoot(page, null, 'read-study-adjudication-view');
  await view.getByTestId('adjudicate-pick').selectOption({ index: 0 });
  await view.getByTestId('adjudicate-reason').fill('read 1 outlines the opacity; read 2 extends into normal lung');
  await view.getByTestId('adjudicate-password').fill(E2E_PASSWORD);
  await view.getByTestId('adjudicate-sign').click();
  await expect(view).toHaveCount(0);
  await expect(page.getByTestId('result-info')).toContainText(`adjudicated by ${CAROL.name}`);
  // the screen shows the adjudicated result (not the version open before)
  const after = await api.cases.get(caseId);
  const result = after.labelVersions.find((v) => v.id === after.result?.signature.lesionVersionId);
  expect(after.result?.signature.kind).toBe('adjudication');
  expect(result?.sha256).toBe(aliceRead?.sha256);
  await expect(page.getByTestId('version-info')).toContainText(`v${result?.version ?? '?'} · ${CAROL.name}`);
  await expect(page.getByTestId('version-info')).toContainText('SIGNED');
  await shoot(page, null, 'read-study-adjudicated');

  // Agreement statistics of the study (Bland–Altman, Dice distribution) and their CSV.
  await page.getByTestId('back').click();
  await page.getByTestId('open-read-studies').click();
  const studies = page.getByTestId('read-studies-panel');
  await studies.locator(`[data-testid=study-row][data-protocol="${PROTOCOL}"]`).getByTestId('study-stats-open').click();
  await expect(studies.getByTestId('ba-row-pp')).toContainText('Lesion burden (pp)');
  await expect(studies.getByTestId('ba-row-pp').locator('td').first()).toHaveText('1');
  await expect(studies.locator('svg.ba-plot circle')).toHaveCount(2);
  await shoot(page, 'read-studies-panel', 'read-study-stats');
  const [download] = await Promise.all([page.waitForEvent('download'), studies.getByTestId('export-stats-csv').click()]);
  const csvPath = join(s.dataDir, '..', 'agreement.csv');
  await download.saveAs(csvPath);
  expect(readFileSync(csvPath, 'utf8')).toContain('burden_pct');
  await studies.getByRole('button', { name: 'Close' }).click();

  // The report shows both signed reads and the adjudication.
  const out = await api.exports.run(caseId, { format: 'report-pdf', deidentify: false });
  expect(out.kind).toBe('download');
  if (out.kind !== 'download') return;
  const pdf = join(s.dataDir, '..', 'read-study-report.pdf');
  writeFileSync(pdf, await api.exports.download(out.downloadId));
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const who of [ALICE, BOB, CAROL]) expect(text).toContain(who.name);
  expect(text).toContain('read 1 outlines the opacity');
  expect(text).toContain(PROTOCOL);
  const stats = await api.readStudies.stats(PROTOCOL);
  expect(stats.n).toBe(1);
  expect(errors).toEqual([]);
});
