import type { ReaderView } from '../../../shared/domain/reader.ts';
import { READ_DESIGNS, READ_SLOTS, type ReadDesign, type ReadSlot, type ReadStudyView } from '../../../shared/domain/read-study.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { studyStatsView } from './study-stats-view.ts';

const DESIGN_LABEL: Record<ReadDesign, string> = {
  single: 'single read',
  double: 'double read',
  'double-adjudication': 'double read + adjudication',
};

const input = (name: string, label: string, attrs: Record<string, string | number> = {}): HTMLInputElement =>
  h('input', {
    class: 'input',
    name,
    'aria-label': label,
    placeholder: label,
    'data-testid': `study-${name}`,
    spellcheck: 'false',
    ...attrs,
  });

/** Admin: the form that creates a study (protocol id, title, design, hide AI, the three thresholds). */
function createForm(onDone: () => void): HTMLElement {
  const protocol = input('protocol', 'Protocol id');
  const title = input('title', 'Title');
  const design = h(
    'select',
    { class: 'input', 'aria-label': 'Read design', 'data-testid': 'study-design' },
    ...READ_DESIGNS.map((d) => h('option', { value: d }, DESIGN_LABEL[d])),
  );
  design.value = 'double-adjudication';
  const hideAi = h('input', { type: 'checkbox', 'data-testid': 'study-hide-ai', 'aria-label': 'Hide AI output from readers' });
  const dice = input('min-dice', 'Min lesion Dice', { type: 'number', step: '0.01', min: 0, max: 1, value: '0.7' });
  const burden = input('max-burden', 'Max burden difference (pp)', { type: 'number', step: '0.1', min: 0, value: '2' });
  const volume = input('max-volume', 'Max lesion volume difference (mL)', { type: 'number', step: '1', min: 0, value: '50' });
  const go = h('button', { class: 'btn btn-primary', 'data-testid': 'study-create' }, 'Create study');
  go.addEventListener('click', () => {
    workstationApi()
      .readStudies.create({
        protocolId: protocol.value.trim(),
        title: title.value.trim(),
        design: design.value as ReadDesign,
        hideAi: hideAi.checked,
        minLesionDice: Number(dice.value),
        maxBurdenDiffPp: Number(burden.value),
        maxLesionVolumeDiffMl: Number(volume.value),
      })
      .then((s) => {
        toast(`Study ${s.protocolId} created`);
        onDone();
      })
      .catch((e: unknown) => toast(`Could not create the study: ${errorMessage(e)}`, 'error'));
  });
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, 'New study'),
    h('div', { class: 'form-row' }, protocol, title, design, h('label', { class: 'small' }, hideAi, ' hide AI output from readers')),
    h(
      'div',
      { class: 'form-row' },
      h('label', { class: 'small' }, 'min lesion Dice ', dice),
      h('label', { class: 'small' }, 'max burden diff. (pp) ', burden),
      h('label', { class: 'small' }, 'max lesion volume diff. (mL) ', volume),
      go,
    ),
  );
}

/** Admin: assigns a case to a reader (login) in a slot of a study; `setStudies` refreshes the study choice. */
function assignForm(onDone: () => void): { element: HTMLElement; setStudies(studies: readonly ReadStudyView[]): void } {
  const study = h('select', { class: 'input', 'aria-label': 'Study', 'data-testid': 'assign-study' });
  const caseId = input('case', 'Case id', { type: 'number', min: 1, step: 1 });
  const slot = h(
    'select',
    { class: 'input', 'aria-label': 'Slot', 'data-testid': 'assign-slot' },
    ...READ_SLOTS.map((s) => h('option', { value: s }, s)),
  );
  const login = input('login', 'Reader login');
  const go = h('button', { class: 'btn', 'data-testid': 'assign' }, 'Assign');
  go.addEventListener('click', () => {
    go.disabled = true;
    workstationApi()
      .readStudies.assign(study.value, Number(caseId.value) as CaseId, slot.value as ReadSlot, login.value.trim())
      .then(() => {
        toast(`Case ${caseId.value}: ${slot.value} → ${login.value.trim()}`);
        login.value = '';
        onDone();
      })
      .catch((e: unknown) => toast(`Could not assign: ${errorMessage(e)}`, 'error'))
      .finally(() => {
        go.disabled = false;
      });
  });
  const element = h(
    'section',
    { class: 'panel', 'data-testid': 'assign-form' },
    h('h3', {}, 'Assign a case'),
    h('div', { class: 'form-row' }, study, caseId, slot, login, go),
  );
  return {
    element,
    setStudies(studies) {
      const keep = study.value;
      replaceChildren(study, ...studies.map((s) => h('option', { value: s.protocolId }, s.protocolId)));
      if (studies.some((s) => s.protocolId === keep)) study.value = keep;
      element.hidden = studies.length === 0;
    },
  };
}

/**
 * The read studies panel (worklist "Read studies…"): every study with its design, blinding and
 * thresholds; admins create studies and assign cases; each study's agreement statistics. Every
 * change is audited on the main side. `onChange` refreshes the worklist.
 */
export function openReadStudiesPanel(me: ReaderView | null, onChange: () => Promise<void>): void {
  const admin = me?.role === 'admin';
  const list = h('div', { 'data-testid': 'read-studies' }, h('p', { class: 'muted small' }, 'Loading…'));
  const stats = h('div');
  const changed = (): void => {
    load();
    void onChange();
  };
  const assign = assignForm(changed);
  const load = (): void => {
    workstationApi()
      .readStudies.list()
      .then((studies) => {
        const rows = studies.map((s) =>
          h(
            'tr',
            { 'data-testid': 'study-row', 'data-protocol': s.protocolId },
            h('td', { class: 'strong' }, s.protocolId),
            h('td', {}, s.title),
            h('td', {}, DESIGN_LABEL[s.design]),
            h('td', {}, s.hideAi ? 'hidden' : 'shown'),
            h(
              'td',
              { class: 'small' },
              `Dice ≥ ${s.thresholds.minLesionDice} · |Δburden| ≤ ${s.thresholds.maxBurdenDiffPp} pp · |Δvolume| ≤ ${s.thresholds.maxLesionVolumeDiffMl} mL`,
            ),
            h('td', { class: 'num', 'data-testid': 'study-cases' }, s.caseCount),
            h(
              'td',
              {},
              h(
                'button',
                {
                  class: 'btn btn-small',
                  'data-testid': 'study-stats-open',
                  onclick: () => replaceChildren(stats, studyStatsView(s.protocolId)),
                },
                'Statistics',
              ),
            ),
          ),
        );
        replaceChildren(
          list,
          h(
            'table',
            { class: 'grid' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Protocol', 'Title', 'Design', 'AI output to readers', 'Agreement thresholds', 'Cases', ''].map((t) => h('th', {}, t)),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
          studies.length ? null : h('p', { class: 'muted small' }, 'No read study yet.'),
        );
        assign.setStudies(studies);
      })
      .catch((e: unknown) =>
        replaceChildren(list, h('p', { class: 'modal-error' }, `Could not load the read studies: ${errorMessage(e)}`)),
      );
  };
  load();
  const content = h(
    'div',
    { class: 'read-studies' },
    list,
    admin ? createForm(changed) : h('p', { class: 'muted small' }, 'Only an admin creates studies and assigns cases.'),
    admin ? assign.element : null,
    stats,
  );
  showPanel('Read studies', content, { extraWide: true, testId: 'read-studies-panel', onClose: () => void onChange() });
}
