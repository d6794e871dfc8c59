import type { CaseSummary } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { JobInfo, ModelInfo } from '../../../shared/contracts/workstation.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtDicomDate, fmtPercent, fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { dicomText } from '../../ui/dicom-text.ts';
import { displayText } from '../../../shared/export/display-text.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { openModelsPanel } from '../models/models-panel.ts';
import { watchJob } from './job-watch.ts';
import { pacsButton } from '../pacs/pacs-button.ts';
import { visibleCases, worklistStore, type WorklistColumn, type WorklistState } from './worklist-store.ts';
import { passesQcFilter, qcStore, refreshQcSummaries } from '../qc/qc-store.ts';
import { qcCell, qcFilterSelect } from '../qc/qc-worklist.ts';
import { openExportDialog } from '../exports/export-dialog.ts';
import { passesTrialFilter, refreshTrialInfo, trialStore } from '../trial/trial-store.ts';
import { applyImportTrial, importTrialButton, trialCell, trialFilterInput } from '../trial/trial-worklist.ts';
import { passesReadFilter, readStateStore, refreshReadStates } from '../read-studies/read-state-store.ts';
import { readFilterSelect, readStateBadge, readStudiesButton } from '../read-studies/read-worklist.ts';
import { acceptFolderDrop, chooseFolderToImport, folderInput, uploadFolder, uploadJobView, type FolderFile } from '../imports/folder-upload.ts';

const COLUMNS: readonly { id: WorklistColumn; label: string; cls?: string; title?: string }[] = [
  { id: 'patient', label: 'Patient' },
  { id: 'studyDate', label: 'Study date' },
  { id: 'series', label: 'Series' },
  { id: 'slices', label: 'Slices', cls: 'num' },
  { id: 'status', label: 'Status' },
  { id: 'burden', label: 'Burden', cls: 'num' },
  { id: 'model', label: 'Model' },
  { id: 'reader', label: 'Last reader' },
  { id: 'uncertainty', label: 'Uncertainty', cls: 'num', title: 'Mean softmax entropy inside the lungs (higher = review first)' },
];

const STATUS_LABEL: Record<CaseSummary['status'], string> = { new: 'New', 'ai-done': 'AI done', 'in-review': 'In review', signed: 'Signed' };

/** Reloads the case list from the main process. */
export async function refreshWorklist(): Promise<void> {
  worklistStore.update((s) => ({ ...s, loading: true }));
  try {
    const api = workstationApi();
    const [cases, pending] = await Promise.all([api.cases.list(), api.autosave.pending().catch(() => []), refreshQcSummaries().catch(() => undefined), refreshTrialInfo().catch(() => undefined), refreshReadStates().catch(() => undefined)]);
    worklistStore.update((s) => ({ ...s, cases, pending, loading: false, error: null, selected: s.selected ?? cases[0]?.id ?? null }));
  } catch (e) {
    worklistStore.update((s) => ({ ...s, loading: false, error: errorMessage(e) }));
  }
}

async function runImport(start: () => Promise<JobInfo>): Promise<void> {
  try {
    const final = await watchJob(await start(), (job) => worklistStore.update((s) => ({ ...s, importJob: job })));
    if (final.state === 'failed') toast(`Import failed: ${final.error ?? final.message}`, 'error');
    else if (final.state === 'done') toast(final.caseIds.length ? `Imported ${final.caseIds.length} series` : `Nothing imported${final.message && final.message !== 'done' ? `: ${final.message}` : ''}`);
    await refreshWorklist();
    if (final.state === 'done') await applyImportTrial(final.caseIds, worklistStore.get().cases);
    if (final.caseIds[0] !== undefined) worklistStore.update((s) => ({ ...s, selected: final.caseIds[0]! }));
  } catch (e) {
    toast(`Import failed: ${errorMessage(e)}`, 'error');
  } finally {
    setTimeout(() => worklistStore.update((s) => ({ ...s, importJob: s.importJob?.state === 'running' ? s.importJob : null })), 1500);
  }
}

/** Starts the AI run of a case and follows it to the end. */
export async function runAnalyze(caseId: CaseId): Promise<JobInfo | null> {
  const signed = worklistStore.get().cases.find((x) => x.id === caseId)?.result;
  if (signed && !window.confirm(`This case is signed (result: v${signed.lesionVersion} by ${signed.signature.readerName}). Run the AI again? It adds a new, unsigned model version; the signed version stays the case result.`)) return null;
  try {
    const final = await watchJob(await workstationApi().jobs.analyze(caseId), (job) =>
      worklistStore.update((s) => ({ ...s, analyzeJobs: { ...s.analyzeJobs, [caseId]: job } })),
    );
    if (final.state === 'failed') toast(`AI run failed: ${final.error ?? final.message}`, 'error');
    else if (final.state === 'cancelled') toast('AI run cancelled');
    await refreshWorklist();
    if (final.state === 'done' && signed) {
      toast(`AI finished: a new unsigned version was added; the result stays v${signed.lesionVersion} signed by ${signed.signature.readerName}`);
    } else if (final.state === 'done') {
      const c = worklistStore.get().cases.find((x) => x.id === caseId);
      toast(c?.modelVersion ? `AI finished: burden ${c.burdenPercent === null ? '—' : `${c.burdenPercent.toFixed(1)} %`} (${c.modelVersion})` : 'Lung mask ready. No lesion model is installed: lesions start empty for manual segmentation.');
    }
    return final;
  } catch (e) {
    toast(`AI run failed: ${errorMessage(e)}`, 'error');
    return null;
  } finally {
    worklistStore.update((s) => ({
      ...s,
      analyzeJobs: Object.fromEntries(Object.entries(s.analyzeJobs).filter(([id, j]) => Number(id) !== caseId || j.state === 'running')),
    }));
  }
}

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
  // Model used by "Run AI": switching keeps every earlier label version (each records its model).
  const modelSelect = h('select', { class: 'input', 'aria-label': 'Lesion model used by Run AI', 'data-testid': 'model-select', title: 'Lesion model used by Run AI' });
  const fillModels = (models: readonly ModelInfo[]): void => {
    replaceChildren(
      modelSelect,
      ...(models.length === 0
        ? [h('option', { value: '' }, 'No lesion model installed')]
        : models.map((m) => {
            const dice = m.metrics['medseg_val_dice_lesion'];
            const o = h('option', { value: `${m.name}\u0000${m.version}` }, `${m.name} ${m.version}${typeof dice === 'number' ? ` (val. lesion Dice ${dice.toFixed(2)})` : ''}`);
            o.selected = m.active;
            return o;
          })),
    );
    modelSelect.disabled = models.length === 0;
  };
  modelSelect.addEventListener('change', () => {
    const [name, version] = modelSelect.value.split('\u0000');
    if (!name || !version) return;
    workstationApi()
      .models.setActive(name, version)
      .then((models) => {
        fillModels(models);
        toast(`Run AI now uses ${name} ${version}; earlier label versions are kept`);
      })
      .catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  void workstationApi()
    .models.list()
    .then(fillModels)
    .catch((e: unknown) => toast(errorMessage(e), 'error'));
  const modelsBtn = h('button', { class: 'btn', 'data-testid': 'open-models', title: 'Models, their validation metrics, and retraining from the signed cases', onclick: () => openModelsPanel(fillModels) }, 'Models…');
  const jobHost = h('div', { class: 'job-host' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'grid', 'data-testid': 'worklist-table', tabindex: 0, 'aria-label': 'Cases' }, thead, tbody);
  const empty = h('div', { class: 'empty' });
  const count = h('span', { class: 'muted' });

  const render = (s: WorklistState): void => {
    replaceChildren(
      thead,
      h(
        'tr',
        {},
        ...COLUMNS.map((c) => {
          const sorted = s.sort.column === c.id;
          const th = h('th', { class: `${c.cls ?? ''} sortable${sorted ? ' sorted' : ''}`, title: c.title ?? `Sort by ${c.label.toLowerCase()}`, 'aria-sort': sorted ? (s.sort.descending ? 'descending' : 'ascending') : 'none' }, c.label, sorted ? h('span', { class: 'sort-arrow' }, s.sort.descending ? ' ▾' : ' ▴') : null);
          th.addEventListener('click', () => worklistStore.update((st) => ({ ...st, sort: { column: c.id, descending: st.sort.column === c.id ? !st.sort.descending : false } })));
          return th;
        }),
        h('th', { title: 'Scan QC flags (hover a cell for the sentences)' }, 'QC'),
        h('th', { title: 'Protocol · subject, visit and site' }, 'Trial'),
        h('th', { class: 'actions' }, ''),
      ),
    );
    const rows = visibleCases(s).filter((c) => passesQcFilter(qcStore.get(), c.id) && passesTrialFilter(trialStore.get(), c.id) && passesReadFilter(readStateStore.get(), c.id));
    replaceChildren(
      tbody,
      ...rows.map((c) => {
        const job = s.analyzeJobs[c.id];
        const tr = h(
          'tr',
          { class: c.id === s.selected ? 'selected' : '', 'data-case-id': c.id, 'data-testid': 'case-row' },
          h('td', {}, h('div', { class: 'strong' }, dicomText(c.patientName || c.patientId || '(no name)')), c.patientName && c.patientId !== c.patientName ? h('div', { class: 'muted small' }, dicomText(c.patientId)) : null),
          h('td', {}, fmtDicomDate(c.studyDate)),
          h('td', {}, h('div', {}, c.seriesNumber ? `#${displayText(c.seriesNumber, 12)} ` : '', dicomText(c.seriesDescription || c.studyDescription || '—')), h('div', { class: 'muted small' }, dicomText(c.modality, { max: 16 }))),
          h('td', { class: 'num' }, c.sliceCount),
          h('td', {}, h('span', { class: `pill pill-${c.status}`, 'data-testid': 'case-status' }, STATUS_LABEL[c.status]), c.result ? h('div', { class: 'muted small', 'data-testid': 'case-result', title: `Signed by ${c.result.signature.readerName} (${c.result.signature.readerRole}) on ${c.result.signature.signedAt}: “${c.result.signature.meaning}”` }, `result v${c.result.lesionVersion} · ${c.result.signature.readerName}`) : null, s.pending.includes(c.id) ? h('span', { class: 'pill pill-in-review', title: 'Edits of an earlier session were autosaved but not saved as a version: open the case to restore or discard them' }, 'unsaved edits') : null, readStateBadge(c.id)),
          h('td', { class: 'num', 'data-testid': 'case-burden' }, fmtPercent(c.burdenPercent)),
          h('td', { class: 'small' }, c.modelVersion ?? '—'),
          h('td', {}, c.lastReader ?? '—', h('div', { class: 'muted small' }, c.updatedAt ? fmtTime(c.updatedAt) : '')),
          h('td', { class: 'num' }, c.uncertainty === null ? '—' : c.uncertainty.toFixed(3)),
          qcCell(c.id),
          trialCell(c.id),
          h(
            'td',
            { class: 'actions' },
            job && job.state === 'running'
              ? jobProgress(job, () => void workstationApi().jobs.cancel(job.id).catch((e: unknown) => toast(errorMessage(e), 'error')))
              : h('div', { class: 'row-actions' },
                  h('button', { class: 'btn btn-small', 'data-testid': 'run-ai', title: c.status === 'new' ? 'Segment lungs and lesions with the active model' : 'Run the model again (creates a new model version)', onclick: (e: Event) => { e.stopPropagation(); void runAnalyze(c.id); } }, c.status === 'new' ? 'Run AI' : 'Re-run AI'),
                  h('button', { class: 'btn btn-small', 'data-testid': 'export-case', title: 'Export DICOM SEG, NIfTI, nnU-Net or the report', onclick: (e: Event) => { e.stopPropagation(); openExportDialog(c.id, `case ${c.id}`); } }, 'Export…'),
                  h('button', { class: 'btn btn-small btn-primary', 'data-testid': 'open-case', onclick: (e: Event) => { e.stopPropagation(); open(c.id); } }, 'Open')),
          ),
        );
        tr.addEventListener('click', () => worklistStore.update((st) => ({ ...st, selected: c.id })));
        tr.addEventListener('dblclick', () => open(c.id));
        return tr;
      }),
    );
    count.textContent = `${rows.length} of ${s.cases.length} cases`;
    empty.textContent = s.error ? `Could not load the worklist: ${s.error}` : s.cases.length === 0 && !s.loading ? 'No cases yet. Import a folder or load the sample case.' : rows.length === 0 && s.cases.length ? 'No case matches the filter.' : '';
    empty.hidden = !empty.textContent;
    replaceChildren(jobHost, s.importJob ? jobProgress(s.importJob) : null);
    importBtn.disabled = sampleBtn.disabled = s.importJob?.state === 'running';
  };

  table.addEventListener('keydown', (e) => {
    const s = worklistStore.get();
    const rows = visibleCases(s).filter((c) => passesQcFilter(qcStore.get(), c.id) && passesTrialFilter(trialStore.get(), c.id) && passesReadFilter(readStateStore.get(), c.id));
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
