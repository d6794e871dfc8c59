import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtMl, fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

const authorText = (v: LabelVersionInfo): string =>
  v.author.kind === 'model' ? `AI ${v.author.modelName ?? v.author.name}${v.author.modelVersion ? ` ${v.author.modelVersion}` : ''}` : v.author.kind === 'algorithm' ? `algorithm ${v.author.name}` : v.author.name;

/**
 * Versions of the case's lesion labels (newest first): author, time, signed state; tick two
 * and Compare to see Dice per class and the volume differences; Open loads a version.
 */
export function historyPanel(opts: { open: (v: LabelVersionInfo) => void; openLung?: (v: LabelVersionInfo, signed: boolean) => Promise<boolean> }): { element: HTMLElement; update(versions: readonly LabelVersionInfo[], current: LabelVersionId | null, result?: LabelVersionId | null): void } {
  const list = h('div', { class: 'history-list', 'data-testid': 'history-list' });
  const result = h('div', { class: 'compare-result', 'data-testid': 'compare-result' });
  const picked: LabelVersionId[] = [];
  const compareBtn = h('button', { class: 'btn btn-small', 'data-testid': 'compare', disabled: true, title: 'Tick two versions to compare' }, 'Compare');
  let versions: readonly LabelVersionInfo[] = [];
  /** Lung mask versions (newest first): the newest is the burden's denominator. */
  let lungVersions: readonly LabelVersionInfo[] = [];
  const lungList = h('div', { class: 'history-list', 'data-testid': 'lung-history' });
  let current: LabelVersionId | null = null;
  /** The lung version shown in the lung session (null: the one in use). */
  let openLungId: LabelVersionId | null = null;
  let resultId: LabelVersionId | null = null;

  compareBtn.addEventListener('click', () => {
    const [a, b] = picked;
    if (a === undefined || b === undefined) return;
    const [older, newer] = a < b ? [a, b] : [b, a];
    compareBtn.disabled = true;
    workstationApi().cases.compareVersions(older, newer).then((c) => {
      const va = versions.find((v) => v.id === c.a);
      const vb = versions.find((v) => v.id === c.b);
      const dice = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
      const diff = (x: number, y: number): string => `${y - x >= 0 ? '+' : ''}${(y - x).toFixed(1)} mL`;
      replaceChildren(result, h('table', { class: 'kv' },
        h('thead', {}, h('tr', {}, h('th', {}, `v${va?.version ?? '?'} → v${vb?.version ?? '?'}`), h('th', { class: 'num' }, 'Dice'), h('th', { class: 'num' }, 'Δ volume'))),
        h('tbody', {},
          h('tr', {}, h('th', {}, 'GGO'), h('td', { class: 'num', 'data-testid': 'dice-ggo' }, dice(c.dice.ggo)), h('td', { class: 'num' }, diff(c.volumeMl.a.ggo, c.volumeMl.b.ggo))),
          h('tr', {}, h('th', {}, 'High opacity'), h('td', { class: 'num' }, dice(c.dice.highOpacity)), h('td', { class: 'num' }, diff(c.volumeMl.a.highOpacity, c.volumeMl.b.highOpacity))),
          h('tr', {}, h('th', {}, 'Any lesion'), h('td', { class: 'num', 'data-testid': 'dice-lesion' }, dice(c.dice.lesion)), h('td', { class: 'num' }, diff(c.volumeMl.a.ggo + c.volumeMl.a.highOpacity, c.volumeMl.b.ggo + c.volumeMl.b.highOpacity))),
        ),
        h('tfoot', {}, h('tr', { class: 'muted small' }, h('td', { colspan: 3 }, `GGO ${fmtMl(c.volumeMl.a.ggo)} → ${fmtMl(c.volumeMl.b.ggo)}; high ${fmtMl(c.volumeMl.a.highOpacity)} → ${fmtMl(c.volumeMl.b.highOpacity)}`))),
      ));
    }).catch((e: unknown) => toast(`Compare failed: ${errorMessage(e)}`, 'error')).finally(() => render());
  });

  const render = (): void => {
    compareBtn.disabled = picked.length !== 2;
    replaceChildren(list, ...versions.map((v) => {
      const box = h('input', { type: 'checkbox', 'aria-label': `Compare version ${v.version}`, 'data-testid': `pick-v${v.version}` });
      box.checked = picked.includes(v.id);
      box.addEventListener('change', () => {
        const at = picked.indexOf(v.id);
        if (box.checked && at < 0) {
          picked.push(v.id);
          if (picked.length > 2) picked.shift();
        } else if (!box.checked && at >= 0) picked.splice(at, 1);
        render();
      });
      const isCurrent = v.id === current;
      return h('div', { class: `history-row${isCurrent ? ' current' : ''}`, 'data-testid': 'version-row', 'data-version': v.version, 'data-signed': v.signed ? 'true' : 'false' },
        box,
        h('div', { class: 'history-main' },
          h('div', {}, h('span', { class: 'strong' }, `v${v.version}`), ' ', authorText(v), v.signed ? h('span', { class: 'pill pill-signed' }, 'signed') : null, v.id === resultId ? h('span', { class: 'pill pill-signed', 'data-testid': 'result-pill', title: 'The case result: reports and exports use this version' }, 'result') : null, isCurrent ? h('span', { class: 'pill' }, 'open') : null),
          h('div', { class: 'muted small' }, fmtTime(v.createdAt), v.note ? ` · ${v.note}` : '', v.parentId !== null ? ` · from v${versions.find((p) => p.id === v.parentId)?.version ?? '?'}` : ''),
          v.signature
            ? h('div', { class: 'small signature-line', 'data-testid': 'signature-line', title: `lesion sha256 ${v.signature.lesionSha256}\nlung sha256 ${v.signature.lungSha256}` },
                `${v.signature.kind === 'adjudication' ? 'Adjudicated' : 'Signed'} by ${v.signature.readerName} (${v.signature.readerRole}) ${fmtTime(v.signature.signedAt)}: “${v.signature.meaning}”${v.signature.reason ? ` Reason: ${v.signature.reason}` : ''}`)
            : null,
        ),
        isCurrent ? null : h('button', { class: 'btn btn-small btn-ghost', title: `Open version ${v.version}`, onclick: () => opts.open(v) }, 'Open'),
      );
    }));
    if (!versions.length) list.append(h('p', { class: 'muted small' }, 'No saved versions yet.'));
    // Lung versions: author, note, parent; which signatures bound each (by the lung sha256 they bind).
    replaceChildren(lungList, ...lungVersions.map((v, i) => {
      const signedWith = versions.filter((l) => l.signature?.lungSha256 === v.sha256).map((l) => `v${l.version}`);
      const isOpen = (openLungId ?? lungVersions[0]?.id) === v.id;
      const openBtn = opts.openLung && !isOpen
        ? h('button', { class: 'btn btn-small btn-ghost', 'data-testid': 'open-lung-version', title: signedWith.length ? `Open lung version ${v.version} read-only (a signature binds it)` : `Open lung version ${v.version}; saving makes a new lung version from it`,
            onclick: () => void opts.openLung?.(v, signedWith.length > 0).then((ok) => { if (ok) { openLungId = v.id; render(); } }) }, signedWith.length ? 'View' : 'Open')
        : null;
      return h('div', { class: `history-row${isOpen ? ' current' : ''}`, 'data-testid': 'lung-version-row', 'data-version': v.version },
        h('div', { class: 'history-main' },
          h('div', {}, h('span', { class: 'strong' }, `lung v${v.version}`), ' ', authorText(v), i === 0 ? h('span', { class: 'pill', title: 'The burden of new edits and the next signature use this lung version' }, 'in use') : null,
            signedWith.length ? h('span', { class: 'pill pill-signed', title: 'Signed with these lesion versions (the signature binds this lung version)' }, `signed with ${signedWith.join(', ')}`) : null),
          h('div', { class: 'muted small' }, fmtTime(v.createdAt), v.note ? ` · ${v.note}` : '', v.parentId !== null ? ` · from lung v${lungVersions.find((p) => p.id === v.parentId)?.version ?? '?'}` : ''),
        ),
        isOpen && openLungId !== null ? h('span', { class: 'pill', 'data-testid': 'lung-open-pill' }, 'open') : null,
        openBtn);
    }));
  };

  const element = h('section', { class: 'panel', 'data-testid': 'history-panel' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Versions'), compareBtn), list, result, h('h3', {}, 'Lung mask versions'), lungList);
  return {
    element,
    update(vs, cur, res) {
      if (res !== undefined) resultId = res;
      versions = [...vs].filter((v) => v.kind === 'lesion').sort((a, b) => b.version - a.version);
      const newestLung = lungVersions[0]?.id;
      lungVersions = [...vs].filter((v) => v.kind === 'lung').sort((a, b) => b.version - a.version);
      if (lungVersions[0]?.id !== newestLung) openLungId = null; // a new lung version was saved: it is open
      current = cur;
      for (let i = picked.length - 1; i >= 0; i--) if (!versions.some((v) => v.id === picked[i])) picked.splice(i, 1);
      render();
    },
  };
}
