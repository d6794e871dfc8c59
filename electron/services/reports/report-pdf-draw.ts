import type { ReportData } from '../../../shared/export/report-data.ts';
import {
  BOLD,
  CONTENT_W,
  FOOTER_H,
  INK,
  KEY_VALUE_MAX_CHARS,
  M,
  MUTED,
  NAVY,
  PAGE_H,
  PAGE_W,
  REGULAR,
  RULE,
  SHADE,
  printable,
} from './report-pdf-style.ts';

export function header(doc: PDFKit.PDFDocument, data: ReportData, subtitle: string): void {
  doc.save().rect(0, 0, PAGE_W, 70).fill(NAVY).restore();
  doc.fillColor('#ffffff').font(BOLD).fontSize(17).text('Quantitative Chest CT Report', M, 20, { lineBreak: false });
  // The subtitle keeps to the left 60 % so it never runs under the right-aligned identifiers.
  doc
    .font(REGULAR)
    .fontSize(8.5)
    .fillColor('#c8d6e5')
    .text(printable(subtitle), M, 42, { width: CONTENT_W * 0.6, height: 22 });
  doc.font(REGULAR).fontSize(8.5).fillColor('#c8d6e5');
  const right = (s: string, y: number) => doc.text(printable(s), M, y, { width: CONTENT_W, align: 'right', lineBreak: false });
  right(`${data.software.name} ${data.software.version}`, 22);
  right(`Case ${data.series.caseId} · report ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, 35);
  right(data.patient.pseudonymized ? `Pseudonym ${data.patient.id}` : `Patient ID ${data.patient.id || '-'}`, 48);
  if (data.trial)
    right(
      [
        data.trial.protocol && `Protocol ${data.trial.protocol}`,
        data.trial.site && `site ${data.trial.site}`,
        data.trial.subject && `subject ${data.trial.subject}`,
        data.trial.visit && `visit ${data.trial.visit}`,
      ]
        .filter(Boolean)
        .join(' · '),
      59,
    );
  doc.fillColor(INK);
}

export function sectionTitle(doc: PDFKit.PDFDocument, title: string, y: number): number {
  doc.font(BOLD).fontSize(10.5).fillColor(NAVY).text(title.toUpperCase(), M, y, { characterSpacing: 0.6, lineBreak: false });
  doc
    .save()
    .moveTo(M, y + 15)
    .lineTo(M + CONTENT_W, y + 15)
    .lineWidth(0.8)
    .strokeColor(NAVY)
    .stroke()
    .restore();
  doc.fillColor(INK);
  return y + 22;
}

/** Key/value pairs in a column; returns the y after the last row. */
export function keyValues(
  doc: PDFKit.PDFDocument,
  rows: readonly (readonly [string, string])[],
  x: number,
  y: number,
  w: number,
  maxChars = KEY_VALUE_MAX_CHARS,
): number {
  const kw = 92;
  for (const [k, v] of rows) {
    doc.font(REGULAR).fontSize(8.5).fillColor(MUTED).text(printable(k), x, y, { width: kw, lineBreak: false });
    doc.font(REGULAR).fontSize(9).fillColor(INK);
    const h = doc.heightOfString(printable(v || '-', maxChars), { width: w - kw });
    doc.text(printable(v || '-', maxChars), x + kw, y - 0.5, { width: w - kw });
    y += Math.max(13, h + 2);
  }
  return y;
}

export interface Col {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

export function table(
  doc: PDFKit.PDFDocument,
  cols: readonly Col[],
  rows: readonly { cells: readonly string[]; swatch?: string | undefined; bold?: boolean }[],
  y: number,
): number {
  const rowH = 16;
  const pad = 6;
  doc.save().rect(M, y, CONTENT_W, rowH).fill(SHADE).restore();
  let x = M;
  doc.font(BOLD).fontSize(8.5).fillColor(NAVY);
  for (const c of cols) {
    doc.text(printable(c.title), x + pad, y + 5, { width: c.width - 2 * pad, align: c.align, lineBreak: false });
    x += c.width;
  }
  y += rowH;
  rows.forEach((r, n) => {
    if (n % 2 === 1) doc.save().rect(M, y, CONTENT_W, rowH).fill('#f8fafc').restore();
    x = M;
    r.cells.forEach((cell, ci) => {
      const c = cols[ci]!;
      let tx = x + pad;
      if (ci === 0 && r.swatch) {
        doc
          .save()
          .rect(tx, y + 3.5, 9, 9)
          .fill(r.swatch)
          .restore();
        doc
          .save()
          .rect(tx, y + 3.5, 9, 9)
          .lineWidth(0.4)
          .strokeColor('#555555')
          .stroke()
          .restore();
        tx += 14;
      }
      doc
        .font(r.bold ? BOLD : REGULAR)
        .fontSize(9)
        .fillColor(INK);
      doc.text(printable(cell), tx, y + 4, { width: c.width - (tx - x) - pad, align: c.align, lineBreak: false });
      x += c.width;
    });
    y += rowH;
  });
  doc
    .save()
    .moveTo(M, y)
    .lineTo(M + CONTENT_W, y)
    .lineWidth(0.6)
    .strokeColor(RULE)
    .stroke()
    .restore();
  return y;
}

export function qcBanner(doc: PDFKit.PDFDocument, d: ReportData, y: number): number {
  const blocking = d.qc.filter((f) => f.severity === 'blocking');
  const open = blocking.filter((f) => !f.acknowledgement);
  const warnings = d.qc.filter((f) => f.severity === 'warning').length;
  const colour = open.length > 0 ? '#b3261e' : blocking.length > 0 || warnings > 0 ? '#9a5b00' : '#2e7d32';
  const text =
    d.qc.length === 0
      ? 'Scan QC: passed (no flags).'
      : `Scan QC: ${blocking.length} blocking${open.length > 0 ? ` (${open.length} NOT acknowledged: ${open.map((f) => f.code).join(', ')})` : blocking.length > 0 ? ' (acknowledged)' : ''}, ${warnings} warning, ${d.qc.length - blocking.length - warnings} info flag(s); details on page 2.`;
  doc.font(BOLD).fontSize(8.5).fillColor(colour).text(printable(text), M, y, { width: CONTENT_W });
  return doc.y;
}

export function draftWatermark(doc: PDFKit.PDFDocument): void {
  const saved = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.save();
  doc.rotate(-35, { origin: [PAGE_W / 2, PAGE_H / 2] });
  doc.font(BOLD).fontSize(64).fillColor('#b3261e').fillOpacity(0.16);
  doc.text('DRAFT - NOT SIGNED', 0, PAGE_H / 2 - 36, { width: PAGE_W, align: 'center', lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
  doc.page.margins.bottom = saved;
}

export function footer(doc: PDFKit.PDFDocument, d: ReportData, page: number, pages: number): void {
  const top = PAGE_H - FOOTER_H;
  const saved = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc
    .save()
    .moveTo(M, top)
    .lineTo(M + CONTENT_W, top)
    .lineWidth(0.8)
    .strokeColor(NAVY)
    .stroke()
    .restore();
  const p = d.provenance;
  const s = p.signOff;
  const signed = s
    ? `Result ${s.kind === 'adjudication' ? 'adjudicated' : 'signed'} by ${s.reader}${s.role ? ` (${s.role})` : ''}, ${s.signedAt}${s.meaning ? `: "${s.meaning}"` : ''}${s.reason ? ` Reason: "${s.reason}".` : ''}; lesion labels v${p.lesion?.version ?? '?'}${s.lesionSha256 ? ` sha256 ${s.lesionSha256.slice(0, 16)}…` : ''}, lung mask v${p.lungMask?.version ?? '?'}${s.lungSha256 ? ` sha256 ${s.lungSha256.slice(0, 16)}…` : ''}.`
    : `DRAFT - no signature covers these figures. ${p.review}`;
  const lines = [
    `Automatic: ${p.automatic}`,
    signed,
    `Model: ${p.model ? `${p.model.name} ${p.model.version}` : 'none'} · Software: ${d.software.name} ${d.software.version} · Burden computed ${p.burdenComputedAt} · Report ${d.generatedAt}`,
  ];
  let y = top + 6;
  doc.font(REGULAR).fontSize(7).fillColor(MUTED);
  for (const l of lines) {
    doc.text(printable(l), M, y, { width: CONTENT_W });
    y = doc.y + 1.5;
  }
  doc
    .font(BOLD)
    .fontSize(8)
    .fillColor('#b3261e')
    .text(d.disclaimer.toUpperCase(), M, PAGE_H - 24, { width: CONTENT_W - 80, lineBreak: false });
  doc
    .font(REGULAR)
    .fontSize(8)
    .fillColor(MUTED)
    .text(`Page ${page} of ${pages}`, M, PAGE_H - 24, { width: CONTENT_W, align: 'right', lineBreak: false });
  doc.page.margins.bottom = saved;
}
