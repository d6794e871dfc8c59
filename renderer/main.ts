import './styles.css';
import type { CaseId } from '../shared/domain/ids.ts';
import { changeReader, ensureReader, readerStore } from './app/reader-identity.ts';
import { reviewScreen, showHelp } from './features/review/review-screen.ts';
import { worklistScreen } from './features/worklist/worklist-screen.ts';
import { h, replaceChildren } from './ui/h.ts';
import { errorMessage, toast } from './ui/toast.ts';

/** App shell: top bar (brand, reader) and one screen at a time (worklist or review). */
function start(): void {
  const root = document.getElementById('app')!;
  const readerBtn = h('button', { class: 'btn btn-ghost reader', 'data-testid': 'reader', title: 'Change reader' });
  readerBtn.addEventListener('click', () => void changeReader().catch((e: unknown) => toast(errorMessage(e), 'error')));
  readerStore.subscribe((name) => {
    readerBtn.textContent = name ? `Reader: ${name}` : 'Set reader…';
  });
  const crumb = h('span', { class: 'crumb' });
  const main = h('main', { class: 'main' });
  replaceChildren(
    root,
    h('header', { class: 'topbar' }, h('span', { class: 'brand' }, 'Lung Burden'), crumb, h('div', { class: 'spacer' }),
      h('button', { class: 'btn btn-ghost', title: 'Keyboard shortcuts (?)', onclick: showHelp }, 'Shortcuts'), readerBtn),
    main,
  );

  let current: { element: HTMLElement; dispose(): void } | null = null;
  const show = (next: { element: HTMLElement; dispose(): void }, label: string): void => {
    current?.dispose();
    current = next;
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

  ensureReader()
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
