import type { CaseId } from '../../../shared/domain/ids.ts';
import { h } from '../../ui/h.ts';
import { qcStore, type QcFilter } from './qc-store.ts';

const FILTERS: readonly [QcFilter, string][] = [
  ['all', 'QC: all'],
  ['unacknowledged', 'QC: blocking (open)'],
  ['blocking', 'QC: blocking (any)'],
  ['warning', 'QC: warning or worse'],
  ['clean', 'QC: clean'],
];

/** The worklist's QC filter (a select bound to {@link qcStore}). */
export function qcFilterSelect(): HTMLSelectElement {
  const sel = h('select', {
    class: 'input',
    'aria-label': 'Filter cases by scan QC',
    'data-testid': 'qc-filter',
    title: 'Filter cases by scan QC flags',
  });
  for (const [v, label] of FILTERS) sel.append(h('option', { value: v }, label));
  sel.value = qcStore.get().filter;
  sel.addEventListener('change', () => qcStore.update((s) => ({ ...s, filter: sel.value as QcFilter })));
  return sel;
}

/**
 * The QC cell of a worklist row: a pill per severity with its count (blocking ones red, marked
 * "ack." once acknowledged) and, below, the first flag's code; every flag's sentence in the title.
 */
export function qcCell(caseId: CaseId): HTMLTableCellElement {
  const q = qcStore.get().byCase.get(caseId);
  if (!q || q.flags.length === 0)
    return h('td', { 'data-testid': 'case-qc', class: 'qc-cell' }, h('span', { class: 'pill pill-qc-ok', title: 'Scan QC passed' }, 'OK'));
  const title = q.flags.map((f) => `${f.severity.toUpperCase()} ${f.code}: ${f.message}`).join('\n');
  const open = q.unacknowledgedBlocking;
  return h(
    'td',
    { 'data-testid': 'case-qc', class: 'qc-cell', title },
    q.blocking > 0
      ? h(
          'span',
          { class: `pill ${open > 0 ? 'pill-qc-blocking' : 'pill-qc-acked'}`, 'data-testid': 'qc-blocking' },
          `${q.blocking} blocking${open > 0 ? '' : ' (ack.)'}`,
        )
      : null,
    q.warning > 0 ? h('span', { class: 'pill pill-qc-warning' }, `${q.warning} warning`) : null,
    q.info > 0 ? h('span', { class: 'pill pill-qc-info' }, `${q.info} info`) : null,
    h(
      'div',
      { class: 'muted small qc-codes' },
      q.flags
        .slice(0, 3)
        .map((f) => f.code)
        .join(', ') + (q.flags.length > 3 ? ', …' : ''),
    ),
  );
}
