import type { VersionComparison } from '../../../shared/contracts/workstation.ts';
import type { CaseAgreementView } from '../../../shared/domain/read-study.ts';
import { h } from '../../ui/h.ts';

type Cls = 'ggo' | 'highOpacity' | 'lesion';
const CLASSES: readonly [Cls, string][] = [
  ['ggo', 'GGO'],
  ['highOpacity', 'High opacity'],
  ['lesion', 'Any lesion'],
];

/** Per-class numbers of two reads as the adjudication view shows them. */
export interface ReadNumbers {
  readonly dice: Readonly<Record<Cls, number | null>>;
  readonly volume1: Readonly<Record<Cls, number>>;
  readonly volume2: Readonly<Record<Cls, number>>;
  /** Lesion burden (%) of each read against its own signed lung version; null when not known. */
  readonly burden1: number | null;
  readonly burden2: number | null;
}

const d3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
const ml = (x: number): string => `${x.toFixed(1)} mL`;
const signed = (x: number, unit: string, digits: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)} ${unit}`;

/** Builds {@link ReadNumbers} from a stored agreement or a plain version comparison, and renders the table. */
export const readNumbers = {
  fromAgreement(a: CaseAgreementView): ReadNumbers {
    return {
      dice: a.dice,
      volume1: a.read1.volumeMl,
      volume2: a.read2.volumeMl,
      burden1: a.read1.burdenPercent,
      burden2: a.read2.burdenPercent,
    };
  },
  fromComparison(c: VersionComparison): ReadNumbers {
    const v = (x: { ggo: number; highOpacity: number }): Record<Cls, number> => ({
      ggo: x.ggo,
      highOpacity: x.highOpacity,
      lesion: x.ggo + x.highOpacity,
    });
    return { dice: c.dice, volume1: v(c.volumeMl.a), volume2: v(c.volumeMl.b), burden1: null, burden2: null };
  },
  table(n: ReadNumbers): HTMLTableElement {
    const burden =
      n.burden1 !== null && n.burden2 !== null
        ? h(
            'tr',
            { 'data-testid': 'adjudication-burden' },
            h('th', {}, 'Burden'),
            h('td', { class: 'num' }, '—'),
            h('td', { class: 'num' }, `${n.burden1.toFixed(2)} %`),
            h('td', { class: 'num' }, `${n.burden2.toFixed(2)} %`),
            h('td', { class: 'num' }, signed(n.burden1 - n.burden2, 'pp', 2)),
          )
        : null;
    return h(
      'table',
      { class: 'kv grid-small', 'data-testid': 'adjudication-numbers' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', { class: 'num' }, 'Dice'),
          h('th', { class: 'num' }, 'Read 1'),
          h('th', { class: 'num' }, 'Read 2'),
          h('th', { class: 'num' }, 'Read 1 − Read 2'),
        ),
      ),
      h(
        'tbody',
        {},
        ...CLASSES.map(([c, label]) =>
          h(
            'tr',
            { 'data-testid': `adjudication-row-${c}` },
            h('th', {}, label),
            h('td', { class: 'num' }, d3(n.dice[c])),
            h('td', { class: 'num' }, ml(n.volume1[c])),
            h('td', { class: 'num' }, ml(n.volume2[c])),
            h('td', { class: 'num' }, signed(n.volume1[c] - n.volume2[c], 'mL', 1)),
          ),
        ),
        burden,
      ),
    );
  },
};
