import { expect, type Page } from '@playwright/test';
import type { ContractApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderRole } from '../../../shared/domain/reader.ts';

/** Password of every e2e account (meets the password rule). */
export const E2E_PASSWORD = 'e2e correct horse battery';
export const E2E_ADMIN = { login: 'e2e.admin', name: 'E2E Admin' };

/**
 * Makes sure the accounts exist (creating the first admin on a fresh store), then signs the
 * workstation session out, so the page shows its login dialog. Uses the same bridge as the page.
 */
export async function ensureReaders(
  api: ContractApi<WorkstationContract>,
  readers: readonly { login: string; name: string; role: ReaderRole }[],
): Promise<void> {
  const s = await api.readers.session();
  if (s.needsFirstAdmin) await api.readers.createFirstAdmin(E2E_ADMIN.login, E2E_ADMIN.name, E2E_PASSWORD);
  else if (s.current?.login !== E2E_ADMIN.login) await api.readers.login(E2E_ADMIN.login, E2E_PASSWORD);
  const have = new Set((await api.readers.list()).map((r) => r.login));
  for (const r of readers) if (!have.has(r.login)) await api.readers.create(r.login, r.name, r.role, E2E_PASSWORD);
  await api.readers.logout();
}

/** Fills the page's login dialog; with a wrong password, checks the refusal shown in the dialog. */
export async function loginInPage(page: Page, login: string, password = E2E_PASSWORD): Promise<void> {
  const dialog = page.getByTestId('login');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('field-login').fill(login);
  await dialog.getByTestId('field-password').fill(password);
  await dialog.getByTestId('form-ok').click();
  if (password !== E2E_PASSWORD) {
    await expect(dialog.getByTestId('form-error')).toContainText('wrong login name or password');
    await expect(dialog).toBeVisible();
    return;
  }
  await expect(dialog).toHaveCount(0);
}

/** Signs the shown version in the sign dialog with the password (a wrong one first, when given). */
export async function signInDialog(page: Page, wrongFirst = false): Promise<void> {
  await page.getByTestId('sign-off').click();
  const dialog = page.getByTestId('sign-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('sign-meaning')).toContainText('I have reviewed and approve these lesion and lung labels as my read');
  if (wrongFirst) {
    await dialog.getByTestId('field-password').fill('not my password');
    await dialog.getByTestId('form-ok').click();
    await expect(dialog.getByTestId('form-error')).toContainText('wrong password');
    await expect(dialog).toBeVisible();
  }
  await dialog.getByTestId('field-password').fill(E2E_PASSWORD);
  await dialog.getByTestId('form-ok').click();
  await expect(dialog).toHaveCount(0);
}
