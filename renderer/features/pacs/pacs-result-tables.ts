import type { PacsSeries, PacsStudy } from '../../../shared/contracts/pacs.ts';
import { fmtDicomDate } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';

/**
 * The studies a QIDO-RS search found, one clickable row each (click or Enter selects the row and
 * calls `open` with the study).
 */
export function pacsStudiesTable(studies: readonly PacsStudy[], open: (s: PacsStudy) => void): HTMLElement {
  const table = h(
    'table',
    { class: 'grid' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Patient'),
        h('th', {}, 'ID'),
        h('th', {}, 'Study date'),
        h('th', {}, 'Accession'),
        h('th', {}, 'Description'),
        h('th', {}, 'Modalities'),
        h('th', { class: 'num' }, 'Series'),
      ),
    ),
    h(
      'tbody',
      {},
      ...studies.map((s) => {
        const row = h(
          'tr',
          { class: 'clickable', 'data-testid': 'pacs-study-row', tabindex: 0, title: 'Show the series of this study' },
          h('td', {}, s.patientName.replaceAll('^', ' ')),
          h('td', {}, s.patientId),
          h('td', {}, fmtDicomDate(s.studyDate)),
          h('td', {}, s.accessionNumber),
          h('td', {}, s.studyDescription),
          h('td', {}, s.modalities.join(', ')),
          h('td', { class: 'num' }, s.seriesCount === null ? '' : String(s.seriesCount)),
        );
        const pick = (): void => {
          for (const r of table.querySelectorAll('tr.selected')) r.classList.remove('selected');
          row.classList.add('selected');
          open(s);
        };
        row.addEventListener('click', pick);
        row.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') pick();
        });
        return row;
      }),
    ),
  );
  return table;
}

/** One series row: a Retrieve button for CT series, a note for the others. */
const seriesRow = (se: PacsSeries, retrieve: (se: PacsSeries) => void): HTMLElement =>
  h(
    'tr',
    { 'data-testid': 'pacs-series-row' },
    h('td', {}, se.seriesNumber),
    h('td', {}, se.modality),
    h('td', {}, se.seriesDescription),
    h('td', { class: 'num' }, se.instanceCount === null ? '' : String(se.instanceCount)),
    h(
      'td',
      {},
      se.modality === 'CT'
        ? h('button', { class: 'btn btn-small btn-primary', 'data-testid': 'pacs-retrieve', onclick: () => retrieve(se) }, 'Retrieve')
        : h('span', { class: 'muted small' }, 'not a CT'),
    ),
  );

/** The series of one study; CT series have a Retrieve button that calls `retrieve`. */
export function pacsSeriesTable(series: readonly PacsSeries[], retrieve: (se: PacsSeries) => void): HTMLElement {
  return h(
    'table',
    { class: 'grid' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '#'),
        h('th', {}, 'Modality'),
        h('th', {}, 'Description'),
        h('th', { class: 'num' }, 'Images'),
        h('th', {}, ''),
      ),
    ),
    h('tbody', {}, ...series.map((se) => seriesRow(se, retrieve))),
  );
}
