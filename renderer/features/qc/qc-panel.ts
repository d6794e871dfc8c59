import type { CaseQc, CaseQcFlag } from '../../../shared/contracts/qc.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/**
 * The review screen's scan QC panel: every flag of the case, blocking ones first and prominent.
 * A blocking flag holds sign-off until the reader acknowledges it here with a reason; the
 * acknowledgement (reader, time, reason) is recorded by the main process and shown under the flag.
 */
export function qcPanel(caseId: CaseId): { element: HTMLElement; refresh(): Promise<void> } {
  const body = h('div', { class: 'qc-body' });
  const heading = h('h3', {}, 'Scan QC');
  const element = h('section', { class: 'panel qc-panel', 'data-testid': 'qc-panel' }, heading, body);

  const ackForm = (f: CaseQcFlag): HTMLElement => {
    const reason = h('textarea', {
      class: 'input qc-reason',
      rows: 2,
      placeholder: 'Reason (recorded with your name)',
      'aria-label': `Reason for acknowledging ${f.code}`,
      'data-testid': `qc-reason-${f.code}`,
    });
    const btn = h('button', { class: 'btn btn-small', 'data-testid': `qc-ack-${f.code}` }, 'Acknowledge');
    btn.addEventListener('click', () => {
      const text = reason.value.trim();
      if (text.length < 3) {
        reason.focus();
        toast('Give a reason (at least 3 characters) to acknowledge this flag', 'error');
        return;
      }
      btn.disabled = true;
      workstationApi()
        .qc.acknowledge(caseId, f.code, text)
        .then((qc) => {
          render(qc);
          toast(`QC flag ${f.code} acknowledged`);
        })
        .catch((e: unknown) => {
          btn.disabled = false;
          toast(`Acknowledgement failed: ${errorMessage(e)}`, 'error');
        });
    });
    return h('div', { class: 'qc-ack-form' }, reason, btn);
  };

  const flagItem = (f: CaseQcFlag): HTMLElement =>
    h(
      'li',
      {
        class: `qc-flag qc-${f.severity}${f.acknowledgement ? ' qc-acked' : ''}`,
        'data-testid': 'qc-flag',
        'data-code': f.code,
        'data-severity': f.severity,
      },
      h(
        'div',
        { class: 'qc-flag-head' },
        h('span', { class: `pill pill-qc-${f.severity === 'blocking' && f.acknowledgement ? 'acked' : f.severity}` }, f.severity),
        h('code', {}, f.code),
      ),
      h('div', { class: 'qc-message' }, f.message),
      f.acknowledgement
        ? h(
            'div',
            { class: 'qc-ack muted small', 'data-testid': 'qc-acknowledgement' },
            `Acknowledged by ${f.acknowledgement.reader}, ${fmtTime(f.acknowledgement.acknowledgedAt)}: “${f.acknowledgement.reason}”`,
          )
        : f.severity === 'blocking'
          ? ackForm(f)
          : null,
    );

  const render = (qc: CaseQc): void => {
    const open = qc.unacknowledgedBlocking.length;
    element.classList.toggle('qc-has-blocking', open > 0);
    heading.textContent =
      qc.stage === null
        ? 'Scan QC: not checked'
        : qc.flags.length === 0
          ? 'Scan QC: passed'
          : `Scan QC: ${qc.flags.length} flag${qc.flags.length === 1 ? '' : 's'}`;
    replaceChildren(
      body,
      open > 0
        ? h(
            'p',
            { class: 'qc-hold', 'data-testid': 'qc-hold' },
            `Sign-off is held: ${open} blocking flag${open === 1 ? '' : 's'} must be acknowledged with a reason.`,
          )
        : null,
      qc.flags.length === 0
        ? h(
            'p',
            { class: 'muted small' },
            qc.stage === null
              ? 'Not checked yet.'
              : `No flags (${qc.stage === 'analysis' ? 'after analysis' : 'on import; run AI for the lung checks'}).`,
          )
        : h('ul', { class: 'qc-flags' }, ...qc.flags.map(flagItem)),
    );
  };

  const refresh = async (): Promise<void> => {
    try {
      render(await workstationApi().qc.flags(caseId));
    } catch (e) {
      replaceChildren(body, h('p', { class: 'muted small' }, `Could not load the scan QC: ${errorMessage(e)}`));
    }
  };
  void refresh();
  return { element, refresh };
}
