import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { ContractApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import { REPO_ROOT, sharedDataDir } from '../../support/shared-data.ts';
import { e2eEnv, nodeApi } from './node-api.ts';
import { ensureReaders, loginInPage } from './readers.ts';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');
export const READER = 'E2E Reader';
export const READER_LOGIN = 'e2e.reader';

/** The real COVID chest series of the team data, or null when the data folder lacks it. */
export function realChestSeries(): string | null {
  const dir = sharedDataDir();
  const p = dir ? resolve(dir, 'chest-ct', 'ricord1a-000082-covid') : null;
  return p && existsSync(p) ? p : null;
}

/**
 * Signs the page in as the e2e reader (display name {@link READER}): the account is made through
 * the bridge (or `over.api`, e.g. the Electron preload) when missing (with the first admin on a fresh
 * store), the session signed out, the page reloaded, and its login dialog answered.
 */
export async function signIn(page: Page, over?: { api: ContractApi<WorkstationContract>; reload(): Promise<unknown> }): Promise<void> {
  if (over) {
    await ensureReaders(over.api, [{ login: READER_LOGIN, name: READER, role: 'reader' }]);
    await over.reload();
  } else {
    const env = e2eEnv();
    await ensureReaders(nodeApi(env.url, env.token), [{ login: READER_LOGIN, name: READER, role: 'reader' }]);
    await page.goto(env.url);
  }
  await loginInPage(page, READER_LOGIN);
  await expect(page.getByTestId('reader')).toHaveText(`Reader: ${READER} (reader)`);
}

/** Exact value of a read-out (its `data-value`), else its text as a number ("12.3 mL" → 12.3). */
export async function numberOf(page: Page, testid: string): Promise<number> {
  const el = page.getByTestId(testid);
  const v = await el.getAttribute('data-value');
  if (v !== null && v !== '') return Number(v);
  const t = (await el.textContent()) ?? '';
  return Number.parseFloat(t.replace(/[^0-9.+-]/g, ''));
}

/** Voxels of lesion class `cls` in the labels being edited. */
export function classVoxels(page: Page, cls: number): Promise<number> {
  return page.evaluate((c) => {
    const probe = (window as unknown as { __lungBurdenReview: { session(): { labels: { data: Uint8Array } } } }).__lungBurdenReview;
    const d = probe.session().labels.data;
    let n = 0;
    for (let i = 0; i < d.length; i++) if (d[i] === c) n++;
    return n;
  }, cls);
}

/**
 * Finds a lung voxel on the axial slice through the lungs' widest part, with no lesion and only
 * lung within `marginVox` voxels, moves the crosshair there and returns the page position of it
 * in the axial view.
 */
export async function aimAtCleanLung(page: Page, marginVox = 10): Promise<{ x: number; y: number }> {
  const target = await page.evaluate((margin) => {
    interface V {
      name: string;
      element: HTMLElement;
      ijkToClient(ijk: readonly number[]): [number, number];
    }
    const probe = (
      window as unknown as {
        __lungBurdenReview: {
          lung: Uint8Array | null;
          views: V[];
          session(): { labels: { data: Uint8Array; size: [number, number, number] } };
        };
      }
    ).__lungBurdenReview;
    const lung = probe.lung;
    const { data: les, size } = probe.session().labels;
    if (!lung) throw new Error('no lung mask: the AI run did not produce one');
    const [nI, nJ, nK] = size;
    const perSlice = new Array<number>(nK).fill(0);
    for (let q = 0; q < lung.length; q++) if (lung[q]) perSlice[Math.floor(q / (nI * nJ))]!++;
    const order = perSlice
      .map((n, k) => [n, k] as const)
      .sort((a, b) => b[0] - a[0])
      .map((x) => x[1]);
    for (const k of order.slice(0, 20)) {
      for (let j = margin; j < nJ - margin; j += 3) {
        for (let i = margin; i < nI - margin; i += 3) {
          let ok = true;
          for (let dj = -margin; dj <= margin && ok; dj++) {
            for (let di = -margin; di <= margin; di++) {
              const q = i + di + (j + dj) * nI + k * nI * nJ;
              if (!lung[q] || les[q]) {
                ok = false;
                break;
              }
            }
          }
          if (ok) return [i, j, k] as const;
        }
      }
    }
    throw new Error('no lesion-free lung region found');
  }, marginVox);
  await page.evaluate((ijk) => {
    const probe = (window as unknown as { __lungBurdenReview: { views: { name: string; step(d: number): void; sliceIndex: number }[] } })
      .__lungBurdenReview;
    const ax = probe.views.find((v) => v.name === 'axial')!;
    ax.step(ijk[2] - ax.sliceIndex);
  }, target);
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  const [x, y] = await page.evaluate((ijk) => {
    const probe = (
      window as unknown as { __lungBurdenReview: { views: { name: string; ijkToClient(p: readonly number[]): [number, number] }[] } }
    ).__lungBurdenReview;
    return probe.views.find((v) => v.name === 'axial')!.ijkToClient(ijk);
  }, target);
  return { x: box.x + x, y: box.y + y };
}

/** Saves an element screenshot under test-results/screenshots/. */
export async function shoot(page: Page, testid: string | null, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (testid) await page.getByTestId(testid).screenshot({ path });
  else await page.screenshot({ path });
}

/** Burden-relevant numbers of a case from the API: versions, voxel mL and the burden view. */
export async function caseFacts(api: ContractApi<WorkstationContract>, id: CaseId) {
  const detail = await api.cases.get(id);
  return {
    detail,
    voxelMl: voxelVolumeMl(detail.geometry),
    burden: await api.cases.burden(id),
    lesion: detail.labelVersions.filter((v) => v.kind === 'lesion').sort((a, b) => a.version - b.version),
  };
}

/** One GGO stroke (class 1, Q) with a 4 mm circle brush (B), `steps` moves long, in clean lung; returns where it started. */
export async function paintGgoStroke(page: Page, steps: number): Promise<{ x: number; y: number }> {
  await page.keyboard.press('q');
  await page.keyboard.press('b');
  await page.getByTestId('brush-radius').fill('4');
  const at = await aimAtCleanLung(page);
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  for (let s = 1; s <= steps; s++) await page.mouse.move(at.x + s * 3, at.y + s * 2);
  await page.mouse.up();
  return at;
}

/**
 * Erases one short stroke inside clean lung on the axial view (lung label set active) and waits
 * until the live lung volume drops below `liveBefore`; returns the new live lung volume (mL).
 */
export async function eraseLungStroke(page: Page, liveBefore: number): Promise<number> {
  const at = await aimAtCleanLung(page, 8);
  await page.keyboard.press('e');
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 15, at.y + 8, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => numberOf(page, 'lung-ml')).toBeLessThan(liveBefore);
  return numberOf(page, 'lung-ml');
}

/** Imports the bundled sample case (or finds it) and makes sure it has a lung mask; returns its id. */
export async function sampleCaseWithLung(api: ContractApi<WorkstationContract>): Promise<CaseId> {
  const imported = await api.jobs.importSample();
  await expect.poll(async () => (await api.jobs.get(imported.id)).state, { timeout: 300_000 }).toBe('done');
  const caseId = (await api.jobs.get(imported.id)).caseIds[0] as CaseId;
  if (!(await api.cases.get(caseId)).labelVersions.some((v) => v.kind === 'lung')) {
    const job = await api.jobs.analyze(caseId);
    await expect.poll(async () => (await api.jobs.get(job.id)).state, { timeout: 600_000, intervals: [1000] }).toBe('done');
  }
  return caseId;
}
