import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/**
 * The case's audit trail (who did what when, with the sha256 of what it refers to) and the
 * verification of the whole hash chain, in a panel: what an auditor asks to see.
 */
export function openAuditPanel(caseId: CaseId): void {
  const state = h('div', { class: 'small', 'data-testid': 'audit-verify' }, 'Verifying the chain…');
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'grid small', 'data-testid': 'audit-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'num' }, 'Seq'),
        h('th', {}, 'Time'),
        h('th', {}, 'Who'),
        h('th', {}, 'Action'),
        h('th', {}, 'What'),
        h('th', {}, 'sha256'),
        h('th', {}, 'Details'),
      ),
    ),
    body,
  );
  showPanel(`Audit trail · case ${caseId}`, h('div', {}, state, h('div', { class: 'table-wrap' }, table)), {
    extraWide: true,
    testId: 'audit-panel',
  });
  const api = workstationApi();
  api.audit
    .entries(caseId)
    .then((entries) => {
      replaceChildren(
        body,
        ...entries.map((e) =>
          h(
            'tr',
            { 'data-testid': 'audit-row' },
            h('td', { class: 'num' }, e.seq),
            h('td', {}, fmtTime(e.at)),
            h('td', {}, `${e.actor} (${e.actorRole})`),
            h('td', {}, e.action),
            h('td', {}, e.entity),
            h('td', { title: e.entitySha256 }, e.entitySha256 ? `${e.entitySha256.slice(0, 12)}…` : '—'),
            h(
              'td',
              { class: 'muted' },
              Object.entries(e.details)
                .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                .join(' · '),
            ),
          ),
        ),
      );
    })
    .catch((e: unknown) => toast(`Could not read the audit trail: ${errorMessage(e)}`, 'error'));
  api.audit
    .verify()
    .then((v) => {
      state.textContent = v.ok
        ? `Chain intact: ${v.entries} entries, head ${v.head ? `seq ${v.head.seq} ${v.head.hash.slice(0, 16)}…` : '—'} (matches the anchor beside the database).`
        : `CHAIN BROKEN: first broken entry ${v.problems[0]?.seq ?? '—'} (${v.problems[0]?.entity ?? ''}): ${v.problems[0]?.problem ?? ''}`;
      state.classList.toggle('modal-error', !v.ok);
    })
    .catch((e: unknown) => {
      state.textContent = `Verification failed: ${errorMessage(e)}`;
    });
}
