import { fmtMl, fmtPercent } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import type { BurdenFigures } from '../../../shared/imaging/burden-tally.ts';

/**
 * Live burden read-out: GGO, high opacity and total (% of lung volume and mL), then right/left
 * lung by craniocaudal zone. `update` is cheap (a few dozen text nodes).
 */
export function burdenPanel(): { element: HTMLElement; update(f: BurdenFigures): void } {
  const body = h('div', { class: 'burden-body' });
  const element = h('section', { class: 'panel', 'data-testid': 'burden-panel' }, h('h3', {}, 'Burden (live)'), body);
  const row = (name: string, pct: number | null, ml: number, cls: string, testid: string): HTMLElement =>
    h(
      'tr',
      { class: cls },
      h('th', {}, h('span', { class: `swatch ${cls}` }), name),
      h('td', { class: 'num', 'data-testid': `${testid}-percent`, 'data-value': pct ?? '' }, fmtPercent(pct)),
      h('td', { class: 'num', 'data-testid': `${testid}-ml`, 'data-value': ml }, fmtMl(ml)),
    );
  return {
    element,
    update(f) {
      const zones = (side: 'right' | 'left'): HTMLElement[] =>
        f.regions
          .filter((r) => r.side === side)
          .map((r) =>
            h(
              'tr',
              { class: r.zone === 'all' ? 'zone-all' : '' },
              h('th', {}, r.zone === 'all' ? `${side === 'right' ? 'Right' : 'Left'} lung` : `  ${r.zone}`),
              h('td', { class: 'num' }, fmtPercent(r.percent)),
              h('td', { class: 'num' }, fmtMl(r.lesionMl)),
            ),
          );
      replaceChildren(
        body,
        h(
          'table',
          { class: 'kv' },
          h(
            'tbody',
            {},
            row('GGO', f.ggoPercent, f.ggoMl, 'ggo', 'burden-ggo'),
            row('High opacity', f.highPercent, f.highMl, 'high', 'burden-high'),
            row('Total', f.totalPercent, f.totalMl, 'total', 'burden-total'),
            h(
              'tr',
              { class: 'muted' },
              h('th', {}, 'Lung volume'),
              h('td', {}),
              h('td', { class: 'num', 'data-testid': 'lung-ml', 'data-value': f.lungMl }, fmtMl(f.lungMl)),
            ),
          ),
        ),
        f.lungMl > 0
          ? h(
              'table',
              { class: 'kv zones' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Region'), h('th', { class: 'num' }, '%'), h('th', { class: 'num' }, 'lesion'))),
              h('tbody', {}, ...zones('right'), ...zones('left')),
            )
          : h('p', { class: 'muted small' }, 'No lung mask yet: run AI to get burden percentages.'),
        f.outsideLungMl > 0
          ? h(
              'p',
              {
                class: 'muted small',
                'data-testid': 'outside-lung',
                title: 'Lesion labels outside the lung mask are not part of the burden (definitions lung-burden-v1)',
              },
              `${fmtMl(f.outsideLungMl)} of lesion labels lie outside the lung mask (not counted)`,
            )
          : null,
      );
    },
  };
}
