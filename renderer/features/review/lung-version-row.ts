import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { authorText } from './author-text.ts';

/**
 * One lung mask version row of the history panel (`i`: its place, 0 the one in use): author, note,
 * parent, the lesion versions signed with it (by the lung sha256 they bind), Open/View.
 */
export function lungVersionRow(
  v: LabelVersionInfo,
  i: number,
  ctx: {
    readonly versions: readonly LabelVersionInfo[];
    readonly lungVersions: readonly LabelVersionInfo[];
    readonly openLungId: LabelVersionId | null;
    readonly openLung: ((v: LabelVersionInfo, signed: boolean) => Promise<boolean>) | undefined;
    /** The reader opened lung version `id`. */
    readonly opened: (id: LabelVersionId) => void;
  },
): HTMLElement {
  const signedWith = ctx.versions.filter((l) => l.signature?.lungSha256 === v.sha256).map((l) => `v${l.version}`);
  const isOpen = (ctx.openLungId ?? ctx.lungVersions[0]?.id) === v.id;
  const openBtn =
    ctx.openLung && !isOpen
      ? h(
          'button',
          {
            class: 'btn btn-small btn-ghost',
            'data-testid': 'open-lung-version',
            title: signedWith.length
              ? `Open lung version ${v.version} read-only (a signature binds it)`
              : `Open lung version ${v.version}; saving makes a new lung version from it`,
            onclick: () =>
              void ctx.openLung?.(v, signedWith.length > 0).then((ok) => {
                if (ok) ctx.opened(v.id);
              }),
          },
          signedWith.length ? 'View' : 'Open',
        )
      : null;
  return h(
    'div',
    { class: `history-row${isOpen ? ' current' : ''}`, 'data-testid': 'lung-version-row', 'data-version': v.version },
    h(
      'div',
      { class: 'history-main' },
      h(
        'div',
        {},
        h('span', { class: 'strong' }, `lung v${v.version}`),
        ' ',
        authorText(v),
        i === 0
          ? h('span', { class: 'pill', title: 'The burden of new edits and the next signature use this lung version' }, 'in use')
          : null,
        signedWith.length
          ? h(
              'span',
              { class: 'pill pill-signed', title: 'Signed with these lesion versions (the signature binds this lung version)' },
              `signed with ${signedWith.join(', ')}`,
            )
          : null,
      ),
      h(
        'div',
        { class: 'muted small' },
        fmtTime(v.createdAt),
        v.note ? ` · ${v.note}` : '',
        v.parentId !== null ? ` · from lung v${ctx.lungVersions.find((p) => p.id === v.parentId)?.version ?? '?'}` : '',
      ),
    ),
    isOpen && ctx.openLungId !== null ? h('span', { class: 'pill', 'data-testid': 'lung-open-pill' }, 'open') : null,
    openBtn,
  );
}
