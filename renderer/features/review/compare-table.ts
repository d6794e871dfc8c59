import type { VersionComparison } from '../../../shared/contracts/workstation.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { fmtMl } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';

/** Dice per class and the volume differences of two compared lesion versions (`versions`: to name them). */
export function compareTable(c: VersionComparison, versions: readonly LabelVersionInfo[]): HTMLElement {
  const va = versions.find((v) => v.id === c.a);
  const vb = versions.find((v) => v.id === c.b);
  const dice = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
  const diff = (x: number, y: number): string => `${y - x >= 0 ? '+' : ''}${(y - x).toFixed(1)} mL`;
  return h(
    'table',
    { class: 'kv' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, `v${va?.version ?? '?'} → v${vb?.version ?? '?'}`),
        h('th', { class: 'num' }, 'Dice'),
        h('th', { class: 'num' }, 'Δ volume'),
      ),
    ),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'GGO'),
        h('td', { class: 'num', 'data-testid': 'dice-ggo' }, dice(c.dice.ggo)),
        h('td', { class: 'num' }, diff(c.volumeMl.a.ggo, c.volumeMl.b.ggo)),
      ),
      h(
        'tr',
        {},
        h('th', {}, 'High opacity'),
        h('td', { class: 'num' }, dice(c.dice.highOpacity)),
        h('td', { class: 'num' }, diff(c.volumeMl.a.highOpacity, c.volumeMl.b.highOpacity)),
      ),
      h(
        'tr',
        {},
        h('th', {}, 'Any lesion'),
        h('td', { class: 'num', 'data-testid': 'dice-lesion' }, dice(c.dice.lesion)),
        h('td', { class: 'num' }, diff(c.volumeMl.a.ggo + c.volumeMl.a.highOpacity, c.volumeMl.b.ggo + c.volumeMl.b.highOpacity)),
      ),
    ),
    h(
      'tfoot',
      {},
      h(
        'tr',
        { class: 'muted small' },
        h(
          'td',
          { colspan: 3 },
          `GGO ${fmtMl(c.volumeMl.a.ggo)} → ${fmtMl(c.volumeMl.b.ggo)}; high ${fmtMl(c.volumeMl.a.highOpacity)} → ${fmtMl(c.volumeMl.b.highOpacity)}`,
        ),
      ),
    ),
  );
}
