import './styles.css';
import type { CaseId } from '../shared/domain/ids.ts';
import { addReader, changePassword, ensureSignedIn, login, logout, readerStore } from './app/reader-identity.ts';
import { onSessionEnded } from './app/api.ts';
import { reviewScreen } from './features/review/review-screen.ts';
import { showHelp } from './features/review/review-help.ts';
import { worklistScreen } from './features/worklist/worklist-screen.ts';
import { h, replaceChildren } from './ui/h.ts';
import { errorMessage, toast } from './ui/toast.ts';

/** App shell: top bar (brand, reader) and one screen at a time (worklist or review). */
function start(): void {
  // The session ended (idle time-out): ask for the password, then carry on with the action.
  let relogin: Promise<unknown> | null = null;
  onSessionEnded(() => {
    readerStore.set(null);
    relogin ??= login().finally(() => {
      relogin = null;
    });
    return relogin;
  });
  const root = document.getElementById('app')!;
  const readerBtn = h('button', { class: 'btn btn-ghost reader', 'data-testid': 'reader', title: 'Change your password' });
  readerBtn.addEventListener('click', () => {
    if (!readerStore.get()) return;
    void changePassword()
      .then((done) => done && toast('Password changed'))
      .catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  const addReaderBtn = h(
    'button',
    { class: 'btn btn-ghost', 'data-testid': 'add-reader-open', title: 'Add a reader account (admin)', hidden: true },
    'Add reader…',
  );
  addReaderBtn.addEventListener(
    'click',
    () =>
      void addReader()
        .then((r) => r && toast(`Account ${r.login} (${r.role}) created`))
        .catch((e: unknown) => toast(errorMessage(e), 'error')),
  );
  const logoutBtn = h(
    'button',
    { class: 'btn btn-ghost', 'data-testid': 'logout', title: 'Sign out (the next reader signs in)' },
    'Sign out',
  );
  logoutBtn.addEventListener('click', () => {
    if (current && !current.canLeave()) return;
    void logout()
      .then(() => openWorklist())
      .catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  const showReader = (r: ReturnType<typeof readerStore.get>): void => {
    readerBtn.textContent = r ? `Reader: ${r.displayName} (${r.role})` : 'Not signed in';
    addReaderBtn.hidden = r?.role !== 'admin';
    logoutBtn.hidden = !r;
  };
  readerStore.subscribe(showReader);
  showReader(readerStore.get());
  const crumb = h('span', { class: 'crumb' });
  const main = h('main', { class: 'main' });
  replaceChildren(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, 'Lung Burden'),
      crumb,
      h('div', { class: 'spacer' }),
      h('button', { class: 'btn btn-ghost', title: 'Keyboard shortcuts (?)', onclick: showHelp }, 'Shortcuts'),
      addReaderBtn,
      readerBtn,
      logoutBtn,
    ),
    main,
  );

  let current: { element: HTMLElement; dispose(): void; canLeave(): boolean } | null = null;
  const show = (next: { element: HTMLElement; dispose(): void; canLeave?: () => boolean }, label: string): void => {
    current?.dispose();
    current = { element: next.element, dispose: () => next.dispose(), canLeave: next.canLeave ?? (() => true) };
    crumb.textContent = label;
    replaceChildren(main, next.element);
  };
  const openWorklist = (): void => {
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    show(worklistScreen(openCase), 'Worklist');
  };
  const openCase = (id: CaseId): void => {
    history.replaceState(null, '', `#case/${id}`);
    show(reviewScreen(id, openWorklist), `Review · case ${id}`);
  };

  ensureSignedIn()
    .catch((e: unknown) => toast(`Could not read settings: ${errorMessage(e)}`, 'error'))
    .finally(() => {
      const m = /^#case\/(\d+)$/.exec(location.hash);
      if (m) openCase(Number(m[1]) as CaseId);
      else openWorklist();
      // A #case/<id> link followed within the page (same document: no reload, e.g. after the
      // bridge's redirect to the clean URL) opens that case too.
      window.addEventListener('hashchange', () => {
        const c = /^#case\/(\d+)$/.exec(location.hash);
        if (c) openCase(Number(c[1]) as CaseId);
      });
    });
}

start();
