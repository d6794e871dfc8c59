import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { compareTable } from './compare-table.ts';
import { versionRow } from './version-row.ts';
import { lungVersionRow } from './lung-version-row.ts';

/**
 * Versions of the case's lesion labels (newest first): author, time, signed state; tick two
 * and Compare to see Dice per class and the volume differences; Open loads a version.
 */
export function historyPanel(opts: {
  open: (v: LabelVersionInfo) => void;
  openLung?: (v: LabelVersionInfo, signed: boolean) => Promise<boolean>;
}): {
  element: HTMLElement;
  update(versions: readonly LabelVersionInfo[], current: LabelVersionId | null, result?: LabelVersionId | null): void;
} {
  const list = h('div', { class: 'history-list', 'data-testid': 'history-list' });
  const result = h('div', { class: 'compare-result', 'data-testid': 'compare-result' });
  const picked: LabelVersionId[] = [];
  const compareBtn = h(
    'button',
    { class: 'btn btn-small', 'data-testid': 'compare', disabled: true, title: 'Tick two versions to compare' },
    'Compare',
  );
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
    workstationApi()
      .cases.compareVersions(older, newer)
      .then((c) => {
        replaceChildren(result, compareTable(c, versions));
      })
      .catch((e: unknown) => toast(`Compare failed: ${errorMessage(e)}`, 'error'))
      .finally(() => render());
  });

  const render = (): void => {
    compareBtn.disabled = picked.length !== 2;
    replaceChildren(list, ...versions.map((v) => versionRow(v, { versions, current, resultId, picked, render, open: opts.open })));
    if (!versions.length) list.append(h('p', { class: 'muted small' }, 'No saved versions yet.'));
    // Lung versions: author, note, parent; which signatures bound each (by the lung sha256 they bind).
    const opened = (id: LabelVersionId): void => {
      openLungId = id;
      render();
    };
    replaceChildren(
      lungList,
      ...lungVersions.map((v, i) => lungVersionRow(v, i, { versions, lungVersions, openLungId, openLung: opts.openLung, opened })),
    );
  };

  const element = h(
    'section',
    { class: 'panel', 'data-testid': 'history-panel' },
    h('div', { class: 'panel-head' }, h('h3', {}, 'Versions'), compareBtn),
    list,
    result,
    h('h3', {}, 'Lung mask versions'),
    lungList,
  );
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
