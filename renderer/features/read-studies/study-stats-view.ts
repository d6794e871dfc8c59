import type { StudyAgreementStats } from '../../../shared/imaging/read-study-stats.ts';
import type { BlandAltman } from '../../../shared/imaging/agreement.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { blandAltmanPlot, diceHistogram } from './bland-altman-plot.ts';

const num = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const CLASS_NAME = { ggo: 'GGO', highOpacity: 'High opacity', lesion: 'Any lesion' } as const;

function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const baRow = (label: string, unit: string, b: BlandAltman | null): HTMLTableRowElement =>
  h(
    'tr',
    { 'data-testid': `ba-row-${unit}` },
    h('th', {}, `${label} (${unit})`),
    h('td', { class: 'num' }, b?.n ?? 0),
    h('td', { class: 'num' }, num(b?.bias)),
    h('td', { class: 'num' }, num(b?.sd)),
    h('td', { class: 'num' }, num(b?.loaLow)),
    h('td', { class: 'num' }, num(b?.loaHigh)),
  );

/** The agreement statistics of one study: Bland–Altman table and plots, Dice distribution, CSV export. */
export function studyStatsView(protocolId: string): HTMLElement {
  const body = h('div', { class: 'study-stats', 'data-testid': 'study-stats' }, h('p', { class: 'muted small' }, 'Loading…'));
  const exportBtn = h(
    'button',
    { class: 'btn btn-small', 'data-testid': 'export-stats-csv', title: 'Per-case agreement and the summary rows as CSV' },
    'Export CSV',
  );
  exportBtn.addEventListener('click', () => {
    workstationApi()
      .readStudies.exportStatsCsv(protocolId)
      .then((o) => {
        if (o.kind === 'download') {
          downloadText(o.csv, o.fileName);
          toast(`Downloaded ${o.fileName}`);
        } else if (o.kind === 'written') toast(`Written ${o.destination}`);
      })
      .catch((e: unknown) => toast(`CSV export failed: ${errorMessage(e)}`, 'error'));
  });
  const render = (s: StudyAgreementStats): void => {
    replaceChildren(
      body,
      h(
        'div',
        { class: 'panel-head' },
        h('h3', {}, `Agreement of ${s.protocolId}: ${s.n} case${s.n === 1 ? '' : 's'} with two signed reads`),
        exportBtn,
      ),
      h(
        'table',
        { class: 'grid', 'data-testid': 'ba-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Bland–Altman (read 1 − read 2)'),
            h('th', { class: 'num' }, 'n'),
            h('th', { class: 'num' }, 'mean diff.'),
            h('th', { class: 'num' }, 'SD'),
            h('th', { class: 'num' }, '95 % LoA low'),
            h('th', { class: 'num' }, '95 % LoA high'),
          ),
        ),
        h('tbody', {}, baRow('Lesion burden', 'pp', s.burden), baRow('Lesion volume', 'mL', s.lesionVolume)),
      ),
      h(
        'div',
        { class: 'ba-plots' },
        blandAltmanPlot(
          s.points.flatMap((p) => (p.burdenMean === null || p.burdenDiff === null ? [] : [{ mean: p.burdenMean, diff: p.burdenDiff }])),
          s.burden,
          'pp',
          'Bland–Altman plot of the lesion burden',
        ),
        blandAltmanPlot(
          s.points.map((p) => ({ mean: p.volumeMean, diff: p.volumeDiff })),
          s.lesionVolume,
          'mL',
          'Bland–Altman plot of the lesion volume',
        ),
      ),
      diceTable(s.dice),
      h(
        'p',
        { class: 'muted small' },
        "Differences are read 1 − read 2; burden = lesion (GGO + high opacity) inside the lung / lung volume × 100, each read against the lung version it was signed with. Limits of agreement: mean ± 1.96 SD (SD with n − 1). Cases where both reads have no lesion of a class are left out of that class's Dice.",
      ),
    );
  };
  workstationApi()
    .readStudies.stats(protocolId)
    .then(render)
    .catch((e: unknown) => replaceChildren(body, h('p', { class: 'modal-error' }, `Could not load the statistics: ${errorMessage(e)}`)));
  return body;
}

/** Dice per class: n, median, IQR and a histogram of the cases. */
function diceTable(dice: StudyAgreementStats['dice']): HTMLElement {
  return h(
    'table',
    { class: 'grid', 'data-testid': 'dice-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Dice'),
        h('th', { class: 'num' }, 'n'),
        h('th', { class: 'num' }, 'median'),
        h('th', { class: 'num' }, 'IQR'),
        h('th', {}, 'histogram (0–1, 10 bins)'),
      ),
    ),
    h(
      'tbody',
      {},
      ...dice.map((d) =>
        h(
          'tr',
          {},
          h('th', {}, CLASS_NAME[d.cls]),
          h('td', { class: 'num' }, d.n),
          h('td', { class: 'num' }, num(d.median, 3)),
          h('td', { class: 'num' }, d.q1 === null ? '—' : `${num(d.q1, 3)}–${num(d.q3, 3)}`),
          h('td', {}, diceHistogram(d.histogram, `Dice histogram of ${CLASS_NAME[d.cls]}`)),
        ),
      ),
    ),
  );
}
