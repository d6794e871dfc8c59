import type { CaseId } from '../../../shared/domain/ids.ts';
import type { SubjectTimeline } from '../../../shared/trial/change-from-baseline.ts';
import type { CaseTrialInfo } from '../../../shared/trial/trial-info.ts';
import { isoDateOf } from '../../../shared/trial/trial-info.ts';
import { fmtFixed, fmtSigned, resultStateText } from '../../../shared/trial/format-change.ts';
import { workstationApi } from '../../app/api.ts';
import { formDialog } from '../../ui/form-dialog.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { trialFieldsFromForm, trialFormFields } from './trial-form.ts';
import { timelineSvg } from './timeline-svg.ts';
import { refreshTrialInfo } from './trial-store.ts';

function fieldsView(t: CaseTrialInfo | null): HTMLElement {
  if (!t)
    return h(
      'p',
      { class: 'muted small', 'data-testid': 'trial-none' },
      'Not part of a trial yet: set protocol, subject and visit with Edit.',
    );
  const row = (k: string, v: string, id: string): HTMLElement =>
    h('div', { class: 'trial-row' }, h('span', { class: 'muted' }, k), h('span', { 'data-testid': `trial-${id}` }, v || '—'));
  return h(
    'div',
    { class: 'trial-fields' },
    row('Protocol', t.protocolId, 'protocol'),
    row('Site', t.siteId, 'site'),
    row('Subject', t.subjectId, 'subject'),
    row('Visit', `${t.visitLabel || '—'}${t.visitOrder === null ? '' : ` (order ${t.visitOrder})`}`, 'visit'),
    row('Date', t.visitDate, 'date'),
    t.sponsorName ? row('Sponsor', t.sponsorName, 'sponsor') : null,
    h(
      'div',
      { class: 'muted small' },
      `Set ${t.source === 'dicom' ? 'from DICOM' : t.source === 'import' ? 'at import' : 'by edit'}: ${t.updatedBy}, ${t.updatedAt.slice(0, 16).replace('T', ' ')} UTC`,
    ),
  );
}

function timelineView(t: SubjectTimeline | null, caseId: number): HTMLElement | null {
  if (!t) return null;
  return h(
    'div',
    { class: 'trial-timeline', 'data-testid': 'trial-timeline' },
    h('h4', {}, `Subject ${t.subjectId}: change from baseline`),
    t.baselineProblem ? h('p', { class: 'trial-problem', 'data-testid': 'trial-baseline-problem' }, t.baselineProblem) : null,
    h(
      'table',
      { class: 'grid trial-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Visit'),
          h('th', { class: 'num' }, 'Burden %'),
          h('th', { class: 'num', title: 'Change from baseline in percentage points' }, 'Δ pp'),
          h('th', { class: 'num', title: 'Change relative to the baseline burden' }, 'Δ %'),
          h('th', { class: 'num', title: 'Lesion volume change, mL' }, 'Δ mL'),
        ),
      ),
      h(
        'tbody',
        {},
        ...t.timepoints.map((p) =>
          h(
            'tr',
            {
              class: p.caseId === caseId ? 'selected' : '',
              'data-testid': 'trial-timepoint',
              'data-case-id': p.caseId,
              title: [
                `case ${p.caseId}, ${p.visitDate || 'no date'}, ${resultStateText(p.resultState)}`,
                `lesion ${fmtFixed(p.lesionVolumeMl, 1)} mL, lung ${fmtFixed(p.lungVolumeMl, 0)} mL`,
                ...p.notes,
              ].join('\n'),
            },
            h(
              'td',
              {},
              `${p.visitLabel || '—'}${p.isBaseline ? ' (BL)' : ''}`,
              p.provisional
                ? h('span', { class: 'pill pill-in-review trial-unsigned' }, p.resultState === 'no-burden' ? 'no burden' : 'unsigned')
                : null,
            ),
            h('td', { class: 'num' }, fmtFixed(p.burdenPercent, 2)),
            h('td', { class: 'num', 'data-testid': 'trial-change-pp' }, p.isBaseline ? '' : fmtSigned(p.changeBurdenPp, 2)),
            h('td', { class: 'num' }, p.isBaseline ? '' : fmtSigned(p.relativeChangePercent, 1)),
            h('td', { class: 'num' }, p.isBaseline ? '' : fmtSigned(p.changeLesionMl, 1)),
          ),
        ),
      ),
    ),
    timelineSvg(t, caseId),
  );
}

/**
 * The review screen's "Trial" panel: protocol, site, subject and visit of the case (edited by the
 * signed-in reader; a signed case asks for the reason, recorded in the audit trail), and the
 * subject's timepoints with the change from baseline and a small plot.
 */
export function trialPanel(caseId: CaseId, studyDate: string): { element: HTMLElement; refresh(): Promise<void> } {
  const body = h('div', { class: 'trial-body' });
  let current: CaseTrialInfo | null = null;
  const edit = async (): Promise<void> => {
    const signed = (await workstationApi().cases.get(caseId)).result !== null;
    const base = current ?? { visitDate: isoDateOf(studyDate) };
    const saved = await formDialog({
      title: `Trial information of case ${caseId}`,
      intro: signed
        ? ['This case is signed: the change is recorded with your name and the reason below. The signed labels and burden are not changed.']
        : ['Every change is recorded in the audit trail.'],
      fields: [
        ...trialFormFields(base),
        ...(signed ? [{ name: 'reason', label: 'Reason for the change (required on a signed case)' }] : []),
      ],
      okLabel: 'Save',
      cancellable: true,
      testId: 'trial-dialog',
      submit: async (v) => workstationApi().trial.set(caseId, trialFieldsFromForm(v), signed ? (v['reason'] ?? '') : null, 'edit'),
    });
    if (saved) {
      toast('Trial information saved');
      await refresh();
      void refreshTrialInfo().catch(() => undefined);
    }
  };
  const editBtn = h(
    'button',
    {
      class: 'btn btn-small',
      'data-testid': 'trial-edit',
      onclick: () => void edit().catch((e: unknown) => toast(errorMessage(e), 'error')),
    },
    'Edit',
  );
  const element = h(
    'section',
    { class: 'panel trial-panel', 'data-testid': 'trial-panel' },
    h('div', { class: 'panel-head' }, h('h3', {}, 'Trial'), editBtn),
    body,
  );
  const refresh = async (): Promise<void> => {
    try {
      const api = workstationApi();
      const [info, timeline] = await Promise.all([api.trial.get(caseId), api.trial.timeline(caseId)]);
      current = info;
      replaceChildren(body, fieldsView(info), timelineView(timeline, caseId));
    } catch (e) {
      replaceChildren(body, h('p', { class: 'muted small' }, `Could not load the trial information: ${errorMessage(e)}`));
    }
  };
  void refresh();
  return { element, refresh };
}
