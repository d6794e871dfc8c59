import type { ReportData } from '../../../shared/export/report-data.ts';
import { doubleReadSignatureRows } from '../../../shared/export/double-read-report.ts';
import type { ReportPage } from './render-report-pdf.ts';

const DESIGN = {
  single: 'single read',
  double: 'blinded double read',
  'double-adjudication': 'blinded double read with adjudication',
} as const;

/** The report page of a double-read case: both signed reads, their agreement, the adjudication and the result. */
export const doubleReadPage: ReportPage = (doc, data, layout) => {
  const d = data.doubleRead;
  if (!d) return;
  const x = layout.margin;
  const w = layout.contentWidth;
  let y = layout.sectionTitle(`Read study ${d.protocolId}: ${d.studyTitle}`, layout.top);
  y =
    layout.keyValues(
      [
        ['Design', DESIGN[d.design]],
        ['Result', d.result],
      ],
      x,
      y,
      w,
    ) + 8;
  y = layout.sectionTitle('Signed reads (blinded: neither reader saw the other read before signing)', y);
  y = layout.keyValues([...doubleReadSignatureRows('Read 1', d.read1), ...doubleReadSignatureRows('Read 2', d.read2)], x, y, w) + 8;
  if (d.agreement) {
    const a = d.agreement;
    y = layout.sectionTitle('Agreement of the two reads (read 1 − read 2)', y);
    y =
      layout.keyValues(
        [
          ['Lesion Dice', a.lesionDice === null ? 'both empty' : a.lesionDice.toFixed(3)],
          ['Burden difference', a.burdenDiffPp === null ? 'not computed' : `${a.burdenDiffPp.toFixed(2)} pp`],
          ['Lesion volume difference', `${a.lesionVolumeDiffMl.toFixed(1)} mL`],
          ['Within the study thresholds', a.withinThresholds ? 'yes' : `no: ${a.exceeded.join('; ')}`],
        ],
        x,
        y,
        w,
      ) + 8;
  }
  y = layout.sectionTitle('Adjudication', y);
  layout.keyValues(d.adjudication ? doubleReadSignatureRows('Adjudicator', d.adjudication) : [['Adjudicator', 'none']], x, y, w);
};

/** The extra report pages of a case: the double-read page when the case is in a double-read study. */
export function doubleReadPages(data: ReportData): { subtitle: string; render: ReportPage }[] {
  return data.doubleRead ? [{ subtitle: 'Blinded double read and adjudication', render: doubleReadPage }] : [];
}
