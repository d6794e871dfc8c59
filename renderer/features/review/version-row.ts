import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { authorText } from './author-text.ts';

/** One lesion version row of the history panel: compare tick (edits `picked`), author, time, parent, signature, Open. */
export function versionRow(
  v: LabelVersionInfo,
  ctx: {
    readonly versions: readonly LabelVersionInfo[];
    readonly current: LabelVersionId | null;
    readonly resultId: LabelVersionId | null;
    readonly picked: LabelVersionId[];
    readonly render: () => void;
    readonly open: (v: LabelVersionInfo) => void;
  },
): HTMLElement {
  const box = h('input', { type: 'checkbox', 'aria-label': `Compare version ${v.version}`, 'data-testid': `pick-v${v.version}` });
  box.checked = ctx.picked.includes(v.id);
  box.addEventListener('change', () => {
    const at = ctx.picked.indexOf(v.id);
    if (box.checked && at < 0) {
      ctx.picked.push(v.id);
      if (ctx.picked.length > 2) ctx.picked.shift();
    } else if (!box.checked && at >= 0) ctx.picked.splice(at, 1);
    ctx.render();
  });
  const isCurrent = v.id === ctx.current;
  return h(
    'div',
    {
      class: `history-row${isCurrent ? ' current' : ''}`,
      'data-testid': 'version-row',
      'data-version': v.version,
      'data-signed': v.signed ? 'true' : 'false',
    },
    box,
    h(
      'div',
      { class: 'history-main' },
      h(
        'div',
        {},
        h('span', { class: 'strong' }, `v${v.version}`),
        ' ',
        authorText(v),
        v.signed ? h('span', { class: 'pill pill-signed' }, 'signed') : null,
        v.id === ctx.resultId
          ? h(
              'span',
              { class: 'pill pill-signed', 'data-testid': 'result-pill', title: 'The case result: reports and exports use this version' },
              'result',
            )
          : null,
        isCurrent ? h('span', { class: 'pill' }, 'open') : null,
      ),
      h(
        'div',
        { class: 'muted small' },
        fmtTime(v.createdAt),
        v.note ? ` · ${v.note}` : '',
        v.parentId !== null ? ` · from v${ctx.versions.find((p) => p.id === v.parentId)?.version ?? '?'}` : '',
      ),
      v.signature
        ? h(
            'div',
            {
              class: 'small signature-line',
              'data-testid': 'signature-line',
              title: `lesion sha256 ${v.signature.lesionSha256}\nlung sha256 ${v.signature.lungSha256}`,
            },
            `${v.signature.kind === 'adjudication' ? 'Adjudicated' : 'Signed'} by ${v.signature.readerName} (${v.signature.readerRole}) ${fmtTime(v.signature.signedAt)}: “${v.signature.meaning}”${v.signature.reason ? ` Reason: ${v.signature.reason}` : ''}`,
          )
        : null,
    ),
    isCurrent
      ? null
      : h('button', { class: 'btn btn-small btn-ghost', title: `Open version ${v.version}`, onclick: () => ctx.open(v) }, 'Open'),
  );
}
