import type { ReportPage } from './render-report-pdf.ts';
import type { SubjectTimeline } from '../../../shared/trial/change-from-baseline.ts';
import { timelinePlot } from '../../../shared/trial/timeline-plot.ts';
import { fmtFixed, fmtSigned, resultStateText } from '../../../shared/trial/format-change.ts';
import { capText, stripUnsafeText } from '../../../shared/export/display-text.ts';

const NAVY = '#14304f';
const INK = '#1d232b';
const MUTED = '#5d6773';
const RULE = '#c9d1da';
const SHADE = '#eef2f6';
const HIGHLIGHT = '#fff4d6';
const text = (s: string, max = 60): string =>
  capText(stripUnsafeText(s), max).replace(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u{10000}-\u{10ffff}]/gu, '\ufffd');

const COLS: readonly { title: string; width: number; align: 'left' | 'right' }[] = [
  { title: 'Visit', width: 76, align: 'left' },
  { title: 'Date', width: 58, align: 'left' },
  { title: 'Case', width: 30, align: 'right' },
  { title: 'Result', width: 62, align: 'left' },
  { title: 'Lesion mL', width: 48, align: 'right' },
  { title: 'Lung mL', width: 48, align: 'right' },
  { title: 'Burden %', width: 44, align: 'right' },
  { title: 'Δ lesion mL', width: 52, align: 'right' },
  { title: 'Δ pp', width: 46, align: 'right' },
  { title: 'Δ rel. %', width: 47.28, align: 'right' },
];

/**
 * The report's longitudinal page: the subject's timepoints in visit order with the figures of each
 * case's result (unsigned ones marked), the change from baseline in mL, percentage points and
 * relative %, a plot of the burden per visit (hollow = not a signed result), and every note.
 */
export function longitudinalPage(t: SubjectTimeline, sponsor: string): ReportPage {
  return (doc, data, layout) => {
    const { margin: M, contentWidth: W, fonts } = layout;
    let y = layout.sectionTitle(`Change from baseline · subject ${text(t.subjectId, 40)}`, layout.top);
    y =
      layout.keyValues(
        [
          ['Protocol', t.protocolId],
          ['Sponsor', sponsor],
          ['Subject', t.subjectId],
          ['Baseline', t.baselineCaseId === null ? 'none' : `case ${t.baselineCaseId}`],
          ['This report', `case ${data.series.caseId}`],
        ],
        M,
        y,
        W,
      ) + 4;
    if (t.baselineProblem) {
      doc
        .font(fonts.bold)
        .fontSize(9)
        .fillColor('#b71c1c')
        .text(text(`No change from baseline: ${t.baselineProblem}.`, 200), M, y, { width: W });
      y = doc.y + 6;
    }
    const rowH = 15;
    doc.save().rect(M, y, W, rowH).fill(SHADE).restore();
    let x = M;
    doc.font(fonts.bold).fontSize(7.5).fillColor(NAVY);
    for (const c of COLS) {
      doc.text(c.title, x + 3, y + 4.5, { width: c.width - 6, align: c.align, lineBreak: false });
      x += c.width;
    }
    y += rowH;
    const rows = t.timepoints.slice(0, 24);
    for (const p of rows) {
      if (p.caseId === data.series.caseId) doc.save().rect(M, y, W, rowH).fill(HIGHLIGHT).restore();
      const cells = timepointCells(p);
      x = M;
      cells.forEach((cell, i) => {
        const c = COLS[i];
        if (!c) return;
        doc
          .font(p.caseId === data.series.caseId ? fonts.bold : fonts.regular)
          .fontSize(8)
          .fillColor(i === 3 && p.resultState !== 'signed' && p.resultState !== 'adjudicated' ? '#b71c1c' : INK);
        doc.text(text(cell, 24), x + 3, y + 4, { width: c.width - 6, align: c.align, lineBreak: false });
        x += c.width;
      });
      y += rowH;
    }
    doc
      .save()
      .moveTo(M, y)
      .lineTo(M + W, y)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke()
      .restore();
    if (t.timepoints.length > rows.length) {
      doc
        .font(fonts.regular)
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(`${t.timepoints.length - rows.length} further timepoints are in the cohort CSV.`, M, y + 3);
      y = doc.y;
    }
    doc
      .font(fonts.regular)
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(
        "Figures are each case's result (adjudicated, else signed version). UNSIGNED: the latest draft burden, provisional. Δ: change from the baseline case " +
          '(visit order 0) in mL, percentage points (pp) and relative to the baseline burden (%; undefined when the baseline burden is 0).',
        M,
        y + 4,
        { width: W },
      );
    y = doc.y + 10;
    y = drawPlot(doc, t, M, y, W, Math.min(210, layout.bottom - y - 70), fonts);
    const notes = t.timepoints.flatMap((p) => p.notes.map((n) => `case ${p.caseId}: ${n}`));
    if (notes.length > 0 && y < layout.bottom - 20) {
      doc
        .font(fonts.regular)
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(text(notes.slice(0, 12).join('; '), 1500), M, y + 6, { width: W, height: layout.bottom - y - 8 });
    }
    doc.fillColor(INK);
  };
}

/** The cells of one timepoint's row, in the order of COLS (no change figures on the baseline). */
function timepointCells(p: SubjectTimeline['timepoints'][number]): string[] {
  return [
    `${p.visitLabel || '—'}${p.isBaseline ? ' (BL)' : ''}`,
    p.visitDate || '—',
    String(p.caseId),
    resultStateText(p.resultState),
    fmtFixed(p.lesionVolumeMl, 1),
    fmtFixed(p.lungVolumeMl, 0),
    fmtFixed(p.burdenPercent, 2),
    p.isBaseline ? '' : fmtSigned(p.changeLesionMl, 1),
    p.isBaseline ? '' : fmtSigned(p.changeBurdenPp, 2),
    p.isBaseline ? '' : fmtSigned(p.relativeChangePercent, 1),
  ];
}

function drawPlot(
  doc: PDFKit.PDFDocument,
  t: SubjectTimeline,
  x0: number,
  y0: number,
  w: number,
  h: number,
  fonts: { readonly regular: string; readonly bold: string },
): number {
  if (h < 80) return y0;
  const plot = timelinePlot(t, w, h);
  const a = plot.area;
  doc.font(fonts.bold).fontSize(8.5).fillColor(NAVY).text('Burden (% of lung volume) per visit', x0, y0, { lineBreak: false });
  const oy = y0 + 14;
  doc.save().lineWidth(0.4).strokeColor(RULE);
  for (const tick of plot.yTicks) {
    doc
      .moveTo(x0 + a.left, oy + tick.y)
      .lineTo(x0 + a.right, oy + tick.y)
      .stroke();
    doc
      .font(fonts.regular)
      .fontSize(7)
      .fillColor(MUTED)
      .text(`${tick.value}`, x0, oy + tick.y - 3.5, { width: a.left - 6, align: 'right', lineBreak: false });
  }
  doc.restore();
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .moveTo(x0 + a.left, oy + a.top)
    .lineTo(x0 + a.left, oy + a.bottom)
    .lineTo(x0 + a.right, oy + a.bottom)
    .stroke()
    .restore();
  for (const l of plot.xLabels)
    doc
      .font(fonts.regular)
      .fontSize(7)
      .fillColor(INK)
      .text(text(l.label, 14), x0 + l.x - 30, oy + a.bottom + 5, { width: 60, align: 'center', lineBreak: false });
  if (plot.points.length > 1) {
    doc.save().lineWidth(1.2).strokeColor(NAVY);
    plot.points.forEach((p, i) => (i === 0 ? doc.moveTo(x0 + p.x, oy + p.y) : doc.lineTo(x0 + p.x, oy + p.y)));
    doc.stroke().restore();
  }
  for (const p of plot.points) {
    doc
      .save()
      .lineWidth(1.2)
      .circle(x0 + p.x, oy + p.y, 3.6);
    if (p.provisional) doc.fillAndStroke('#ffffff', '#b71c1c');
    else doc.fillAndStroke(NAVY, NAVY);
    doc.restore();
    doc
      .font(fonts.regular)
      .fontSize(7)
      .fillColor(INK)
      .text(p.burdenPercent.toFixed(2), x0 + p.x - 20, oy + p.y - 13, { width: 40, align: 'center', lineBreak: false });
  }
  doc
    .font(fonts.regular)
    .fontSize(7)
    .fillColor(MUTED)
    .text('filled: signed/adjudicated result · hollow red: unsigned (provisional)', x0 + a.left, oy + h - 8, { lineBreak: false });
  return oy + h;
}
