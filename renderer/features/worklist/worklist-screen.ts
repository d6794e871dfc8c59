import type { CaseId } from '../../../shared/domain/ids.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { acceptFolderDrop } from '../imports/folder-upload.ts';
import { qcStore } from '../qc/qc-store.ts';
import { readStateStore } from '../read-studies/read-state-store.ts';
import { trialStore } from '../trial/trial-store.ts';
import { refreshWorklist } from './refresh-worklist.ts';
import { shownCases, worklistHeaderRow, worklistRow } from './worklist-rows.ts';
import { worklistStore, type WorklistState } from './worklist-store.ts';
import { worklistToolbar } from './worklist-toolbar.ts';

/**
 * The worklist screen: sortable, filterable table of cases with import, sample and AI-run
 * actions. `open` is called with a case id on double click, Enter or the Open button.
 */
export function worklistScreen(open: (id: CaseId) => void): { element: HTMLElement; dispose(): void } {
  const toolbar = worklistToolbar();
  const count = toolbar.count;
  const jobHost = h('div', { class: 'job-host' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'grid', 'data-testid': 'worklist-table', tabindex: 0, 'aria-label': 'Cases' }, thead, tbody);
  const empty = h('div', { class: 'empty' });

  const render = (s: WorklistState): void => {
    replaceChildren(thead, worklistHeaderRow(s));
    const rows = shownCases(s);
    replaceChildren(tbody, ...rows.map((c) => worklistRow(c, s, open)));
    count.textContent = `${rows.length} of ${s.cases.length} cases`;
    empty.textContent = s.error
      ? `Could not load the worklist: ${s.error}`
      : s.cases.length === 0 && !s.loading
        ? 'No cases yet. Import a folder or load the sample case.'
        : rows.length === 0 && s.cases.length
          ? 'No case matches the filter.'
          : '';
    empty.hidden = !empty.textContent;
    replaceChildren(jobHost, s.importJob ? jobProgress(s.importJob) : null);
    toolbar.setImporting(s.importJob?.state === 'running');
  };

  table.addEventListener('keydown', (e) => {
    const s = worklistStore.get();
    const rows = shownCases(s);
    const at = rows.findIndex((c) => c.id === s.selected);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) worklistStore.update((st) => ({ ...st, selected: next.id }));
    } else if (e.key === 'Enter' && s.selected !== null) open(s.selected);
  });

  const element = h(
    'section',
    { class: 'screen worklist', 'data-testid': 'worklist' },
    toolbar.element,
    jobHost,
    h('div', { class: 'table-wrap' }, table, empty),
  );
  const unsub = worklistStore.subscribe(render);
  const unsubQc = qcStore.subscribe(() => render(worklistStore.get()));
  const unsubTrial = trialStore.subscribe(() => render(worklistStore.get()));
  const unsubRead = readStateStore.subscribe(() => render(worklistStore.get()));
  const undrop = acceptFolderDrop(element, toolbar.importFiles, (e) => toast(`Import failed: ${errorMessage(e)}`, 'error'));
  render(worklistStore.get());
  void refreshWorklist();
  queueMicrotask(() => table.focus());
  return {
    element,
    dispose: () => {
      unsub();
      unsubQc();
      unsubTrial();
      unsubRead();
      undrop();
    },
  };
}
