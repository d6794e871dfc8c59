import type { CaseSummary } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { EMPTY_TRIAL_FIELDS, isoDateOf, mergeTrialFields, pickTrialFields, type TrialFields } from '../../../shared/trial/trial-info.ts';
import { workstationApi } from '../../app/api.ts';
import { formDialog } from '../../ui/form-dialog.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { trialFieldsFromForm, trialFormFields } from './trial-form.ts';
import { refreshTrialInfo, trialStore } from './trial-store.ts';

/** The worklist's trial cell: protocol · subject, and below the visit (order) and site. */
export function trialCell(caseId: CaseId): HTMLTableCellElement {
  const t = trialStore.get().byCase.get(caseId);
  if (!t) return h('td', { 'data-testid': 'case-trial', class: 'muted' }, '—');
  return h(
    'td',
    {
      'data-testid': 'case-trial',
      title: `Protocol ${t.protocolId || '—'}, site ${t.siteId || '—'}, subject ${t.subjectId || '—'}, visit ${t.visitLabel || '—'}${t.visitDate ? ` on ${t.visitDate}` : ''}`,
    },
    h('div', {}, [t.protocolId, t.subjectId].filter(Boolean).join(' · ') || '—'),
    h(
      'div',
      { class: 'muted small' },
      [
        t.visitLabel && `${t.visitLabel}${t.visitOrder === null ? '' : ` (${t.visitOrder === 0 ? 'BL' : `#${t.visitOrder}`})`}`,
        t.siteId && `site ${t.siteId}`,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  );
}

/** The worklist's trial filter: protocol, site, subject or visit terms (all must match). */
export function trialFilterInput(): HTMLInputElement {
  const input = h('input', {
    class: 'input',
    type: 'search',
    placeholder: 'Protocol / subject / visit',
    'aria-label': 'Filter cases by protocol, subject or visit',
    'data-testid': 'trial-filter',
    title: 'Filter by protocol, site, subject or visit (every term must match)',
  });
  input.value = trialStore.get().filter;
  input.addEventListener('input', () => trialStore.update((s) => ({ ...s, filter: input.value })));
  return input;
}

/**
 * "Trial…" beside the import button: the protocol / site / subject / visit given to every case of
 * the next import (over what the DICOM Clinical Trial attributes say); a pill shows them until used.
 */
export function importTrialButton(): HTMLElement {
  const pill = h('span', { class: 'trial-next', 'data-testid': 'import-trial-pending' });
  const btn = h(
    'button',
    { class: 'btn', 'data-testid': 'import-trial', title: 'Trial information (protocol, site, subject, visit) for the next import' },
    'Trial…',
  );
  btn.addEventListener('click', () => {
    void formDialog({
      title: 'Trial information for the next import',
      intro: [
        "Given to every series of the next import (over its DICOM Clinical Trial attributes). Empty visit date: each series' study date.",
      ],
      fields: trialFormFields(trialStore.get().nextImport ?? {}),
      okLabel: 'Use for the next import',
      cancellable: true,
      testId: 'import-trial-dialog',
      submit: async (v) => trialFieldsFromForm(v),
    }).then((f) => {
      if (f) trialStore.update((s) => ({ ...s, nextImport: f }));
    });
  });
  const render = (): void => {
    const n = trialStore.get().nextImport;
    replaceChildren(
      pill,
      n
        ? h(
            'span',
            { class: 'pill pill-ai-done', title: 'Applied to the next import' },
            `next import: ${[n.protocolId, n.subjectId, n.visitLabel].filter(Boolean).join(' · ') || 'trial info'}`,
            h(
              'button',
              {
                class: 'btn btn-icon btn-small',
                'aria-label': 'Clear',
                onclick: () => trialStore.update((s) => ({ ...s, nextImport: null })),
              },
              '×',
            ),
          )
        : null,
    );
  };
  trialStore.subscribe(render);
  render();
  return h('span', { class: 'trial-import' }, btn, pill);
}

/**
 * After an import: gives its cases the pending trial fields (on top of what the DICOM attributes
 * set; the visit date falls back to each case's study date), then forgets them.
 */
export async function applyImportTrial(caseIds: readonly CaseId[], cases: readonly CaseSummary[]): Promise<void> {
  const next = trialStore.get().nextImport;
  if (!next || caseIds.length === 0) return;
  const api = workstationApi();
  try {
    for (const id of caseIds) {
      const stored = await api.trial.get(id);
      const base: TrialFields = stored
        ? pickTrialFields(stored)
        : { ...EMPTY_TRIAL_FIELDS, visitDate: isoDateOf(cases.find((c) => c.id === id)?.studyDate ?? '') };
      await api.trial.set(id, mergeTrialFields(base, next), null, 'import');
    }
    trialStore.update((s) => ({ ...s, nextImport: null }));
    toast(`Trial information set on ${caseIds.length} imported case${caseIds.length === 1 ? '' : 's'}`);
  } catch (e) {
    toast(`Trial information not set: ${errorMessage(e)} (set it on the review screen)`, 'error');
  }
  await refreshTrialInfo().catch(() => undefined);
}
