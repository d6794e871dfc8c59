import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { openModelsPanel } from '../models/models-panel.ts';
import { pacsButton } from '../pacs/pacs-button.ts';
import { qcStore } from '../qc/qc-store.ts';
import { qcFilterSelect } from '../qc/qc-worklist.ts';
import { trialStore } from '../trial/trial-store.ts';
import { importTrialButton, trialFilterInput } from '../trial/trial-worklist.ts';
import { readStateStore } from '../read-studies/read-state-store.ts';
import { readFilterSelect, readStudiesButton } from '../read-studies/read-worklist.ts';
import { acceptFolderDrop, chooseFolderToImport, folderInput, uploadFolder, uploadJobView, type FolderFile } from '../imports/folder-upload.ts';
import { lesionModelSelect } from './lesion-model-select.ts';
import { refreshWorklist } from './refresh-worklist.ts';
import { runImport } from './run-import.ts';
import { shownCases, worklistHeaderRow, worklistRow } from './worklist-rows.ts';
import { worklistStore, type WorklistState } from './worklist-store.ts';

/**
 * The worklist screen: sortable, filterable table of cases with import, sample and AI-run
 * actions. `open` is called with a case id on double click, Enter or the Open button.
 */
export function worklistScreen(open: (id: CaseId) => void): { element: HTMLElement; dispose(): void } {
  const filter = h('input', { class: 'input', type: 'search', placeholder: 'Filter (patient, date, series, status…)', 'aria-label': 'Filter cases', 'data-testid': 'worklist-filter' });
  filter.value = worklistStore.get().filter;
  filter.addEventListener('input', () => worklistStore.update((s) => ({ ...s, filter: filter.value })));
  const pathInput = h('input', { class: 'input input-path', type: 'text', placeholder: 'Path of a DICOM folder or file.nii.gz (empty: pick a folder)', 'aria-label': 'Folder or file to import', 'data-testid': 'import-path', spellcheck: 'false' });
  const importBtn = h('button', { class: 'btn', 'data-testid': 'import-button', title: 'Import every series under this folder (DICOM) or a NIfTI file' }, 'Import folder…');
  // Browser mode: the folder is uploaded (picked, or dropped on the worklist), then imported.
  const importFiles = (files: FolderFile[]): void => void runImport(() => uploadFolder(files, (d, t, b) => worklistStore.update((s) => ({ ...s, importJob: uploadJobView(d, t, b) }))));
  const picker = folderInput(importFiles);
  const doImport = (): void => {
    const p = pathInput.value.trim();
    // No path typed: a native folder dialog (Electron) or the browser's folder picker.
    if (!p) {
      chooseFolderToImport(() => picker.click())
        .then((r) => (r.kind === 'started' ? runImport(async () => r.job) : undefined))
        .catch((e: unknown) => toast(`Import failed: ${errorMessage(e)}`, 'error'));
      return;
    }
    void runImport(() => workstationApi().jobs.importPath(p));
  };
  importBtn.addEventListener('click', doImport);
  pathInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') doImport();
  });
  const sampleBtn = h('button', { class: 'btn', 'data-testid': 'load-sample', onclick: () => void runImport(() => workstationApi().jobs.importSample()) }, 'Load sample case');
  const refreshBtn = h('button', { class: 'btn btn-ghost', title: 'Reload the list', onclick: () => void refreshWorklist() }, 'Refresh');
  const models = lesionModelSelect();
  const modelSelect = models.element;
  const modelsBtn = h('button', { class: 'btn', 'data-testid': 'open-models', title: 'Models, their validation metrics, and retraining from the signed cases', onclick: () => openModelsPanel(models.fill) }, 'Models…');
  const jobHost = h('div', { class: 'job-host' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'grid', 'data-testid': 'worklist-table', tabindex: 0, 'aria-label': 'Cases' }, thead, tbody);
  const empty = h('div', { class: 'empty' });
  const count = h('span', { class: 'muted' });

  const render = (s: WorklistState): void => {
    replaceChildren(thead, worklistHeaderRow(s));
    const rows = shownCases(s);
    replaceChildren(tbody, ...rows.map((c) => worklistRow(c, s, open)));
    count.textContent = `${rows.length} of ${s.cases.length} cases`;
    empty.textContent = s.error ? `Could not load the worklist: ${s.error}` : s.cases.length === 0 && !s.loading ? 'No cases yet. Import a folder or load the sample case.' : rows.length === 0 && s.cases.length ? 'No case matches the filter.' : '';
    empty.hidden = !empty.textContent;
    replaceChildren(jobHost, s.importJob ? jobProgress(s.importJob) : null);
    importBtn.disabled = sampleBtn.disabled = s.importJob?.state === 'running';
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
    h('div', { class: 'toolbar' }, filter, qcFilterSelect(), trialFilterInput(), readFilterSelect(), count, h('div', { class: 'spacer' }), modelSelect, modelsBtn, readStudiesButton(refreshWorklist), pacsButton(refreshWorklist), pathInput, importTrialButton(), importBtn, picker, sampleBtn, refreshBtn),
    jobHost,
    h('div', { class: 'table-wrap' }, table, empty),
  );
  const unsub = worklistStore.subscribe(render);
  const unsubQc = qcStore.subscribe(() => render(worklistStore.get()));
  const unsubTrial = trialStore.subscribe(() => render(worklistStore.get()));
  const unsubRead = readStateStore.subscribe(() => render(worklistStore.get()));
  const undrop = acceptFolderDrop(element, importFiles, (e) => toast(`Import failed: ${errorMessage(e)}`, 'error'));
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
