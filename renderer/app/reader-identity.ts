import { READER_ROLES, type ReaderView } from '../../shared/domain/reader.ts';
import { formDialog } from '../ui/form-dialog.ts';
import { h } from '../ui/h.ts';
import { workstationApi } from './api.ts';
import { createStore } from './store.ts';

/** The reader signed in on this workstation (the main process holds the session). */
export const readerStore = createStore<ReaderView | null>(null);

/**
 * Makes sure a reader is signed in: the main process's session when there is one, else the
 * first-run screen (no account yet: create the admin) or the login dialog. Every save, AI run and
 * signature is made as this reader.
 */
export async function ensureSignedIn(): Promise<ReaderView> {
  const api = workstationApi();
  const s = await api.readers.session();
  if (s.current) {
    readerStore.set(s.current);
    return s.current;
  }
  const r = s.needsFirstAdmin ? await firstRun(s.passwordRule) : await login();
  readerStore.set(r);
  return r;
}

async function firstRun(rule: string): Promise<ReaderView> {
  const r = await formDialog<ReaderView>({
    title: 'First start: create the administrator account',
    intro: [
      'Nobody has an account on this workstation yet. The administrator creates the reader accounts; every saved version, AI run and signature is recorded under an account.',
      h('p', { class: 'muted small' }, `Password: ${rule}.`),
    ],
    fields: [
      { name: 'login', label: 'Login name', autocomplete: 'username' },
      { name: 'name', label: 'Full name (printed on signatures and reports)' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
      { name: 'again', label: 'Password again', type: 'password', autocomplete: 'new-password' },
    ],
    okLabel: 'Create and sign in',
    cancellable: false,
    testId: 'first-run',
    submit: async (v) => {
      if ((v['password'] ?? '') !== (v['again'] ?? '')) throw new Error('the two passwords differ');
      return workstationApi().readers.createFirstAdmin(v['login'] ?? '', v['name'] ?? '', v['password'] ?? '');
    },
  });
  if (!r) throw new Error('no administrator account was created');
  return r;
}

/** The login dialog (stays open until a login succeeds). */
export async function login(): Promise<ReaderView> {
  const r = await formDialog<ReaderView>({
    title: 'Sign in',
    intro: ['Sign in with your reader account. After 5 wrong passwords in a row the account is locked for 15 minutes.'],
    fields: [
      { name: 'login', label: 'Login name', autocomplete: 'username' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    okLabel: 'Sign in',
    cancellable: false,
    testId: 'login',
    submit: (v) => workstationApi().readers.login(v['login'] ?? '', v['password'] ?? ''),
  });
  if (!r) throw new Error('not signed in');
  readerStore.set(r);
  return r;
}

/** Ends the session and asks for the next login (e.g. the second reader at the same workstation). */
export async function logout(): Promise<ReaderView> {
  await workstationApi().readers.logout();
  readerStore.set(null);
  return login();
}

/** Admin: adds a reader account. */
export async function addReader(): Promise<ReaderView | null> {
  const s = await workstationApi().readers.session();
  return formDialog<ReaderView>({
    title: 'Add a reader account',
    intro: [h('p', { class: 'muted small' }, `Password: ${s.passwordRule}. Give it to the reader in person; they can change it.`)],
    fields: [
      { name: 'login', label: 'Login name' },
      { name: 'name', label: 'Full name' },
      { name: 'role', label: 'Role', type: 'select', options: READER_ROLES },
      { name: 'password', label: 'Initial password', type: 'password', autocomplete: 'new-password' },
    ],
    okLabel: 'Add account',
    cancellable: true,
    testId: 'add-reader',
    submit: (v) =>
      workstationApi().readers.create(
        v['login'] ?? '',
        v['name'] ?? '',
        (v['role'] ?? 'reader') as ReaderView['role'],
        v['password'] ?? '',
      ),
  });
}

/** The signed-in reader changes their password (the old one is checked like a login). */
export async function changePassword(): Promise<boolean> {
  const s = await workstationApi().readers.session();
  const r = await formDialog<true>({
    title: 'Change your password',
    intro: [h('p', { class: 'muted small' }, `New password: ${s.passwordRule}.`)],
    fields: [
      { name: 'old', label: 'Current password', type: 'password', autocomplete: 'current-password' },
      { name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password' },
      { name: 'again', label: 'New password again', type: 'password', autocomplete: 'new-password' },
    ],
    okLabel: 'Change password',
    cancellable: true,
    testId: 'change-password',
    submit: async (v) => {
      if ((v['password'] ?? '') !== (v['again'] ?? '')) throw new Error('the two new passwords differ');
      await workstationApi().readers.changePassword(v['old'] ?? '', v['password'] ?? '');
      return true;
    },
  });
  return r === true;
}
