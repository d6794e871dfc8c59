import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseSummary } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { displayText } from '../../../shared/export/display-text.ts';
import { workstationApi } from '../../app/api.ts';
import { dicomText } from '../../ui/dicom-text.ts';
import { fmtDicomDate, fmtPercent, fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { openExportDialog } from '../exports/export-dialog.ts';
import { passesQcFilter, qcStore } from '../qc/qc-store.ts';
import { qcCell } from '../qc/qc-worklist.ts';
import { passesReadFilter, readStateStore } from '../read-studies/read-state-store.ts';
import { readStateBadge } from '../read-studies/read-worklist.ts';
import { passesTrialFilter, trialStore } from '../trial/trial-store.ts';
import { trialCell } from '../trial/trial-worklist.ts';
import { runAnalyze } from './run-analyze.ts';
import { visibleCases, worklistStore, type WorklistColumn, type WorklistState } from './worklist-store.ts';

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

const STATUS_LABEL: Record<CaseSummary['status'], string> = {
  new: 'New',
  'ai-done': 'AI done',
  'in-review': 'In review',
  signed: 'Signed',
};

/** The cases the table shows: the store's filter and sort, then the QC, trial and read-state filters. */
export function shownCases(s: WorklistState): CaseSummary[] {
  return visibleCases(s).filter(
    (c) => passesQcFilter(qcStore.get(), c.id) && passesTrialFilter(trialStore.get(), c.id) && passesReadFilter(readStateStore.get(), c.id),
  );
}

/** The header row: sortable columns (click sorts, again reverses), then QC, trial and actions. */
export function worklistHeaderRow(s: WorklistState): HTMLElement {
  return h(
    'tr',
    {},
    ...COLUMNS.map((c) => {
      const sorted = s.sort.column === c.id;
      const th = h(
        'th',
        {
          class: `${c.cls ?? ''} sortable${sorted ? ' sorted' : ''}`,
          title: c.title ?? `Sort by ${c.label.toLowerCase()}`,
          'aria-sort': sorted ? (s.sort.descending ? 'descending' : 'ascending') : 'none',
        },
        c.label,
        sorted ? h('span', { class: 'sort-arrow' }, s.sort.descending ? ' ▾' : ' ▴') : null,
      );
      th.addEventListener('click', () =>
        worklistStore.update((st) => ({
          ...st,
          sort: { column: c.id, descending: st.sort.column === c.id ? !st.sort.descending : false },
        })),
      );
      return th;
    }),
    h('th', { title: 'Scan QC flags (hover a cell for the sentences)' }, 'QC'),
    h('th', { title: 'Protocol · subject, visit and site' }, 'Trial'),
    h('th', { class: 'actions' }, ''),
  );
}

/** One case row: click selects, double click or Open opens (`open`), Run AI / Export act on the case. */
export function worklistRow(c: CaseSummary, s: WorklistState, open: (id: CaseId) => void): HTMLElement {
  const tr = h(
    'tr',
    { class: c.id === s.selected ? 'selected' : '', 'data-case-id': c.id, 'data-testid': 'case-row' },
    h(
      'td',
      {},
      h('div', { class: 'strong' }, dicomText(c.patientName || c.patientId || '(no name)')),
      c.patientName && c.patientId !== c.patientName ? h('div', { class: 'muted small' }, dicomText(c.patientId)) : null,
    ),
    h('td', {}, fmtDicomDate(c.studyDate)),
    h(
      'td',
      {},
      h(
        'div',
        {},
        c.seriesNumber ? `#${displayText(c.seriesNumber, 12)} ` : '',
        dicomText(c.seriesDescription || c.studyDescription || '—'),
      ),
      h('div', { class: 'muted small' }, dicomText(c.modality, { max: 16 })),
    ),
    h('td', { class: 'num' }, c.sliceCount),
    statusCell(c, s.pending.includes(c.id)),
    h('td', { class: 'num', 'data-testid': 'case-burden' }, fmtPercent(c.burdenPercent)),
    h('td', { class: 'small' }, c.modelVersion ?? '—'),
    h('td', {}, c.lastReader ?? '—', h('div', { class: 'muted small' }, c.updatedAt ? fmtTime(c.updatedAt) : '')),
    h('td', { class: 'num' }, c.uncertainty === null ? '—' : c.uncertainty.toFixed(3)),
    qcCell(c.id),
    trialCell(c.id),
    actionsCell(c, s.analyzeJobs[c.id], open),
  );
  tr.addEventListener('click', () => worklistStore.update((st) => ({ ...st, selected: c.id })));
  tr.addEventListener('dblclick', () => open(c.id));
  return tr;
}

/** The status cell: the status pill, the signed result, unsaved autosaved edits, the read state. */
function statusCell(c: CaseSummary, pending: boolean): HTMLElement {
  return h(
    'td',
    {},
    h('span', { class: `pill pill-${c.status}`, 'data-testid': 'case-status' }, STATUS_LABEL[c.status]),
    c.result
      ? h(
          'div',
          {
            class: 'muted small',
            'data-testid': 'case-result',
            title: `Signed by ${c.result.signature.readerName} (${c.result.signature.readerRole}) on ${c.result.signature.signedAt}: “${c.result.signature.meaning}”`,
          },
          `result v${c.result.lesionVersion} · ${c.result.signature.readerName}`,
        )
      : null,
    pending
      ? h(
          'span',
          {
            class: 'pill pill-in-review',
            title: 'Edits of an earlier session were autosaved but not saved as a version: open the case to restore or discard them',
          },
          'unsaved edits',
        )
      : null,
    readStateBadge(c.id),
  );
}

/** The actions cell: the running AI job (with cancel), or Run AI, Export… and Open. */
function actionsCell(c: CaseSummary, job: JobInfo | undefined, open: (id: CaseId) => void): HTMLElement {
  return h(
    'td',
    { class: 'actions' },
    job && job.state === 'running'
      ? jobProgress(
          job,
          () =>
            void workstationApi()
              .jobs.cancel(job.id)
              .catch((e: unknown) => toast(errorMessage(e), 'error')),
        )
      : h(
          'div',
          { class: 'row-actions' },
          h(
            'button',
            {
              class: 'btn btn-small',
              'data-testid': 'run-ai',
              title:
                c.status === 'new'
                  ? 'Segment lungs and lesions with the active model'
                  : 'Run the model again (creates a new model version)',
              onclick: (e: Event) => {
                e.stopPropagation();
                void runAnalyze(c.id);
              },
            },
            c.status === 'new' ? 'Run AI' : 'Re-run AI',
          ),
          h(
            'button',
            {
              class: 'btn btn-small',
              'data-testid': 'export-case',
              title: 'Export DICOM SEG, NIfTI, nnU-Net or the report',
              onclick: (e: Event) => {
                e.stopPropagation();
                openExportDialog(c.id, `case ${c.id}`);
              },
            },
            'Export…',
          ),
          h(
            'button',
            {
              class: 'btn btn-small btn-primary',
              'data-testid': 'open-case',
              onclick: (e: Event) => {
                e.stopPropagation();
                open(c.id);
              },
            },
            'Open',
          ),
        ),
  );
}
