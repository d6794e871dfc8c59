import type { CaseId } from '../../../shared/domain/ids.ts';
import type { CaseReadState } from '../../../shared/domain/read-study.ts';
import { h } from '../../ui/h.ts';
import { readerStore } from '../../app/reader-identity.ts';
import { openReadStudiesPanel } from './read-studies-panel.ts';
import { readStateStore, type ReadFilter } from './read-state-store.ts';

/** What the reader reads for each state (worklist pill). */
export const READ_STATE_LABEL: Record<CaseReadState, string> = {
  'awaiting-reads': 'awaiting reads',
  'needs-adjudication': 'needs adjudication',
  agreed: 'reads agreed',
  adjudicated: 'adjudicated',
  single: 'single read',
};

const FILTERS: readonly [ReadFilter, string][] = [
  ['all', 'Reads: all'],
  ['mine', 'Reads: assigned to me'],
  ['needs-adjudication', 'Reads: needs adjudication'],
  ['awaiting-reads', 'Reads: awaiting reads'],
  ['agreed', 'Reads: agreed'],
  ['adjudicated', 'Reads: adjudicated'],
];

/** The worklist's read-study filter (a select bound to {@link readStateStore}). */
export function readFilterSelect(): HTMLSelectElement {
  const sel = h('select', {
    class: 'input',
    'aria-label': 'Filter cases by read-study state',
    'data-testid': 'read-filter',
    title: 'Filter cases by blinded double read state',
  });
  for (const [v, label] of FILTERS) sel.append(h('option', { value: v }, label));
  sel.value = readStateStore.get().filter;
  sel.addEventListener('change', () => readStateStore.update((s) => ({ ...s, filter: sel.value as ReadFilter })));
  return sel;
}

/** The read-study line of a worklist status cell: study, state, the reader's own slot; nothing outside studies. */
export function readStateBadge(caseId: CaseId): HTMLElement | null {
  const r = readStateStore.get().byCase.get(caseId);
  if (!r) return null;
  const slots = r.mySlots.length ? ` · you: ${r.mySlots.join(', ')}` : '';
  return h(
    'div',
    {
      class: 'small read-state',
      'data-testid': 'read-state',
      'data-state': r.state,
      title: r.blinded ? 'Blinded read: the other read and its burden are hidden until both reads are signed' : '',
    },
    h('span', { class: `pill pill-read-${r.state}` }, READ_STATE_LABEL[r.state]),
    h('span', { class: 'muted' }, ` ${r.protocolId}${slots}`),
    r.blinded ? h('span', { class: 'pill', 'data-testid': 'blinded' }, 'blinded') : null,
  );
}

/** "Read studies…" of the worklist toolbar: the studies panel (admins also create studies and assign cases there). */
export function readStudiesButton(onChange: () => Promise<void>): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn',
      'data-testid': 'open-read-studies',
      title: 'Blinded double-read studies: designs, assignments, agreement statistics',
      onclick: () => openReadStudiesPanel(readerStore.get(), onChange),
    },
    'Read studies…',
  );
}
