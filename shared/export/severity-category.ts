/**
 * Severity category of a pneumonia burden, from the percentage of lung involved.
 *
 * Scheme: the bands of the semi-quantitative CT severity score of Pan F, Ye T, Sun P, et al.,
 * "Time course of lung changes at chest CT during recovery from coronavirus disease 2019
 * (COVID-19)", Radiology 2020;295(3):715–721 (doi:10.1148/radiol.2020200370): 0 = none,
 * 1 = < 5 %, 2 = 5–25 %, 3 = 26–49 % (here 25–50 %), 4 = 50–75 %, 5 = > 75 % involvement.
 * Pan et al. score each of the five lobes and sum them (0–25); this workstation does not
 * segment lobes, so the same bands are applied to the measured whole-lung burden (lesion volume /
 * lung volume × 100 %) and to each lung region. The category is an aid for reading, not a
 * validated prognostic class; a value on a band edge belongs to the higher band (5 % → 2, 25 % → 3, 50 % → 4) except 75 %, which is still 4 (5 is "> 75 %").
 */
export interface SeverityCategory {
  /** 0–5, the band index of Pan et al. */
  readonly score: 0 | 1 | 2 | 3 | 4 | 5;
  /** Short name: none, minimal, mild, moderate, severe, critical. */
  readonly label: string;
  /** The band in percent of lung volume, e.g. "5–25 %". */
  readonly range: string;
}

export const SEVERITY_BANDS: readonly SeverityCategory[] = [
  { score: 0, label: 'none', range: '0 %' },
  { score: 1, label: 'minimal', range: '< 5 %' },
  { score: 2, label: 'mild', range: '5–25 %' },
  { score: 3, label: 'moderate', range: '25–50 %' },
  { score: 4, label: 'severe', range: '50–75 %' },
  { score: 5, label: 'critical', range: '> 75 %' },
];

/** One sentence defining the scheme, printed under the category in reports. */
export const SEVERITY_DEFINITION =
  'Bands of the CT severity score of Pan et al. (Radiology 2020;295:715-721) applied to the whole-lung burden: ' +
  '0 none, 1 <5 %, 2 5-25 %, 3 25-50 %, 4 50-75 %, 5 >75 % of lung volume involved (Pan et al. score each lobe; ' +
  'lobes are not segmented here).';

/** Short citation of the scheme. */
export const SEVERITY_REFERENCE = 'Pan F et al. Radiology 2020;295(3):715-721. doi:10.1148/radiol.2020200370';

/** The band of a burden in percent of lung volume (throws on NaN or a value outside 0–100 %). */
export function severityCategory(burdenPercent: number): SeverityCategory {
  if (!Number.isFinite(burdenPercent) || burdenPercent < 0 || burdenPercent > 100 + 1e-9) {
    throw new RangeError(`burden must be a percentage in 0-100, got ${burdenPercent}`);
  }
  const score =
    burdenPercent === 0 ? 0 : burdenPercent < 5 ? 1 : burdenPercent < 25 ? 2 : burdenPercent < 50 ? 3 : burdenPercent <= 75 ? 4 : 5;
  return SEVERITY_BANDS[score]!;
}
