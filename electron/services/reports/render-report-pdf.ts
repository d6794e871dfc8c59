import { readFileSync } from 'node:fs';
import { capText, stripUnsafeText } from '../../../shared/export/display-text.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { KeyImage, KeyImageSet } from '../../../shared/export/key-images.ts';
import { LUNG_OUTLINE_COLOUR, scaleBarLengthMm } from '../../../shared/export/key-images.ts';
import type { ReportData } from '../../../shared/export/report-data.ts';
import { LESION_COLOURS } from '../../../shared/domain/label-map.ts';
import { severityCategory } from '../../../shared/export/severity-category.ts';
import { encodePng } from './encode-png.ts';

/** Where an image was placed: page index (0-based) and rectangle in PDF points from top-left. */
export interface PlacedImage {
  readonly kind: KeyImage['kind'];
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface RenderedReport {
  readonly pdf: Buffer;
  /** Pages written (2, plus any extra pages). */
  readonly pageCount: number;
  readonly images: readonly PlacedImage[];
}

// A4 portrait in points (1/72 inch).
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const M = 42;
const CONTENT_W = PAGE_W - 2 * M;
const FOOTER_H = 92;
const NAVY = '#14304f';
const INK = '#1d232b';
const MUTED = '#5d6773';
const RULE = '#c9d1da';
const SHADE = '#eef2f6';
const SEVERITY_FILL = ['#2e7d32', '#558b2f', '#f9a825', '#ef6c00', '#c62828', '#6a1b9a'];

const hex = (c: readonly [number, number, number]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * DejaVu Sans Condensed (npm `dejavu-fonts-ttf`, free licence), embedded and subset by pdfkit: the report
 * reads the same in every viewer and archive, and names in Latin, Greek or Cyrillic script print
 * as written. Characters the font lacks (e.g. CJK) are shown as U+FFFD rather than dropped.
 */
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = 'DejaVu';
const BOLD = 'DejaVu-Bold';
let fontBytes: { regular: Buffer; bold: Buffer } | null = null;
function fonts(): { regular: Buffer; bold: Buffer } {
  fontBytes ??= { regular: readFileSync(join(FONT_DIR, 'DejaVuSansCondensed.ttf')), bold: readFileSync(join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf')) };
  return fontBytes;
}

/** Text as printed: characters outside the Basic Multilingual Plane's scripts DejaVu covers become U+FFFD. */
/**
 * Text as drawn: control and bidi formatting characters removed (a DICOM string can carry
 * them), capped at `max` characters (a 10 kB PatientName made a 62-page report), and glyphs the
 * embedded fonts lack replaced.
 */
const printable = (s: string, max = 400): string =>
  capText(stripUnsafeText(s), max).replace(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u{10000}-\u{10ffff}]/gu, '\ufffd');
/** Longest value drawn in a key/value row (patient, study and series fields). */
const KEY_VALUE_MAX_CHARS = 160;
/** Identifiers of page one sit in half-width columns: at most ~3 lines each, so page one keeps the full regional table. */
const IDENTIFIER_MAX_CHARS = 64;

export const fmtMl = (v: number): string => v.toFixed(1);
export const fmtPct = (v: number): string => v.toFixed(2);

/**
 * A further page of the report (e.g. the reads of a double read, a longitudinal page), drawn
 * after the key-image page on a fresh page that already has the header; the footer is added
 * afterwards. `addPage` starts one more page (with the header) when the content needs it.
 */
export type ReportPage = (doc: PDFKit.PDFDocument, data: ReportData, layout: ReportPageLayout) => void;

/** What a {@link ReportPage} may use: page geometry, fonts and the shared drawing helpers. */
export interface ReportPageLayout {
  readonly margin: number;
  readonly contentWidth: number;
  /** y (points from the top) where content may start (below the header). */
  readonly top: number;
  /** y below which content must not go (the footer starts there). */
  readonly bottom: number;
  readonly fonts: { readonly regular: string; readonly bold: string };
  readonly sectionTitle: (title: string, y: number) => number;
  readonly keyValues: (rows: readonly (readonly [string, string])[], x: number, y: number, width: number) => number;
  readonly addPage: (subtitle: string) => number;
}

export interface RenderReportOptions {
  /** Pages after the key images, in order, each with the subtitle of its header. */
  readonly extraPages?: readonly { readonly subtitle: string; readonly render: ReportPage }[];
}

/**
 * Lays out the two-page A4 report with pdfkit (no network; DejaVu Sans embedded, key
 * images embedded as PNG): page 1 header, identifiers, burden and regional tables, severity and
 * provenance; page 2 key images and the 3-D snapshot with a legend; a footer on every page with
 * what was automatic, what a reader signed, model and software versions and the disclaimer.
 */
export function renderReportPdf(data: ReportData, images: KeyImageSet, options: RenderReportOptions = {}): Promise<RenderedReport> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: M, bottom: M, left: M, right: M },
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    info: {
      Title: `Lung burden report - case ${data.series.caseId}`,
      Author: data.software.name,
      Subject: 'Quantitative chest CT: COVID-19 pneumonia burden',
      Creator: `${data.software.name} ${data.software.version}`,
      Producer: `${data.software.name} ${data.software.version} (pdfkit)`,
      CreationDate: new Date(data.generatedAt),
    },
  });
  doc.registerFont(REGULAR, fonts().regular);
  doc.registerFont(BOLD, fonts().bold);
  doc.font(REGULAR);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const placed: PlacedImage[] = [];

  pageOne(doc, data);
  doc.addPage();
  pageTwo(doc, data, images, placed);
  for (const extra of options.extraPages ?? []) {
    const addPage = (subtitle: string): number => {
      doc.addPage();
      header(doc, data, subtitle);
      return 86;
    };
    const layout: ReportPageLayout = {
      margin: M,
      contentWidth: CONTENT_W,
      top: addPage(extra.subtitle),
      bottom: PAGE_H - FOOTER_H - 8,
      fonts: { regular: REGULAR, bold: BOLD },
      sectionTitle: (title, y) => sectionTitle(doc, title, y),
      keyValues: (rows, x, y, width) => keyValues(doc, rows, x, y, width),
      addPage,
    };
    extra.render(doc, data, layout);
  }

  const range = doc.bufferedPageRange();
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    footer(doc, data, p + 1, range.count);
    if (data.provenance.state !== 'signed') draftWatermark(doc);
  }
  doc.end();
  return done.then((pdf) => ({ pdf, pageCount: range.count, images: placed }));
}

function header(doc: PDFKit.PDFDocument, data: ReportData, subtitle: string): void {
  doc.save().rect(0, 0, PAGE_W, 70).fill(NAVY).restore();
  doc.fillColor('#ffffff').font(BOLD).fontSize(17).text('Quantitative Chest CT Report', M, 20, { lineBreak: false });
  // The subtitle keeps to the left 60 % so it never runs under the right-aligned identifiers.
  doc.font(REGULAR).fontSize(8.5).fillColor('#c8d6e5').text(printable(subtitle), M, 42, { width: CONTENT_W * 0.6, height: 22 });
  doc.font(REGULAR).fontSize(8.5).fillColor('#c8d6e5');
  const right = (s: string, y: number) => doc.text(printable(s), M, y, { width: CONTENT_W, align: 'right', lineBreak: false });
  right(`${data.software.name} ${data.software.version}`, 22);
  right(`Case ${data.series.caseId} · report ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, 35);
  right(data.patient.pseudonymized ? `Pseudonym ${data.patient.id}` : `Patient ID ${data.patient.id || '-'}`, 48);
  doc.fillColor(INK);
}

function sectionTitle(doc: PDFKit.PDFDocument, title: string, y: number): number {
  doc.font(BOLD).fontSize(10.5).fillColor(NAVY).text(title.toUpperCase(), M, y, { characterSpacing: 0.6, lineBreak: false });
  doc.save().moveTo(M, y + 15).lineTo(M + CONTENT_W, y + 15).lineWidth(0.8).strokeColor(NAVY).stroke().restore();
  doc.fillColor(INK);
  return y + 22;
}

/** Key/value pairs in a column; returns the y after the last row. */
function keyValues(doc: PDFKit.PDFDocument, rows: readonly (readonly [string, string])[], x: number, y: number, w: number, maxChars = KEY_VALUE_MAX_CHARS): number {
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

interface Col {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

function table(
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
        doc.save().rect(tx, y + 3.5, 9, 9).fill(r.swatch).restore();
        doc.save().rect(tx, y + 3.5, 9, 9).lineWidth(0.4).strokeColor('#555555').stroke().restore();
        tx += 14;
      }
      doc.font(r.bold ? BOLD : REGULAR).fontSize(9).fillColor(INK);
      doc.text(printable(cell), tx, y + 4, { width: c.width - (tx - x) - pad, align: c.align, lineBreak: false });
      x += c.width;
    });
    y += rowH;
  });
  doc.save().moveTo(M, y).lineTo(M + CONTENT_W, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
  return y;
}

function pageOne(doc: PDFKit.PDFDocument, d: ReportData): void {
  header(doc, d, 'COVID-19 pneumonia burden: ground-glass opacity and high opacity, percent of lung volume');
  let y = 86;

  // Identification: patient/study left, series right.
  y = sectionTitle(doc, 'Patient and study', y);
  const half = CONTENT_W / 2 - 8;
  const left: [string, string][] = d.patient.pseudonymized
    ? [['Pseudonym', d.patient.id], ['Sex', d.patient.sex], ['Study date', d.study.date], ['Study', d.study.description]]
    : [['Patient name', d.patient.name], ['Patient ID', d.patient.id], ['Birth date', d.patient.birthDate], ['Sex', d.patient.sex], ['Study date', d.study.date], ['Study', d.study.description], ['Accession', d.study.accessionNumber]];
  if (d.trial) {
    const t = d.trial;
    const trialRows: [string, string][] = [['Protocol', t.protocol], ['Site', t.site], ['Subject', t.subject], ['Visit', t.visit]];
    left.push(...trialRows.filter(([, v]) => v !== ''));
  }
  const s = d.series;
  const right: [string, string][] = [
    ['Series', `${s.description}${s.number ? ` (#${s.number})` : ''}`],
    ['Modality', [s.modality, s.manufacturer].filter(Boolean).join(', ')],
    ['Kernel', s.kernel],
    ['Matrix', `${s.sizeVoxels[0]} x ${s.sizeVoxels[1]} x ${s.sizeVoxels[2]} voxels`],
    ['Voxel spacing', `${s.spacingMm.map((v) => v.toFixed(2)).join(' x ')} mm`],
    ['Slice thickness', s.sliceThicknessMm === null ? '' : `${s.sliceThicknessMm.toFixed(2)} mm`],
    ['Source', `${s.sourceKind === 'dicom' ? 'DICOM' : 'NIfTI'} · case ${s.caseId}`],
  ];
  const yl = keyValues(doc, left, M, y, half, IDENTIFIER_MAX_CHARS);
  const yr = keyValues(doc, right, M + half + 16, y, half, IDENTIFIER_MAX_CHARS);
  y = Math.max(yl, yr) + 8;

  // Headline: burden and severity.
  const boxH = 62;
  doc.save().roundedRect(M, y, CONTENT_W, boxH, 4).fill(SHADE).restore();
  doc.font(REGULAR).fontSize(8.5).fillColor(MUTED).text('TOTAL BURDEN (LESION / LUNG VOLUME)', M + 14, y + 10, { lineBreak: false });
  doc.font(BOLD).fontSize(26).fillColor(NAVY).text(`${fmtPct(d.burden.burdenPercent)} %`, M + 14, y + 24, { lineBreak: false });
  doc.font(REGULAR).fontSize(8.5).fillColor(MUTED).text('SEVERITY CATEGORY', M + 215, y + 10, { lineBreak: false });
  const chipW = 150;
  doc.save().roundedRect(M + 215, y + 24, chipW, 26, 3).fill(SEVERITY_FILL[d.severity.score]!).restore();
  doc.font(BOLD).fontSize(12).fillColor('#ffffff')
    .text(`${d.severity.score} - ${d.severity.label}`, M + 215, y + 31, { width: chipW, align: 'center', lineBreak: false });
  doc.font(REGULAR).fontSize(8.5).fillColor(MUTED).text('BAND', M + 385, y + 10, { lineBreak: false });
  doc.font(BOLD).fontSize(12).fillColor(INK).text(printable(d.severity.range), M + 385, y + 31, { lineBreak: false });
  doc.font(REGULAR).fontSize(7.5).fillColor(MUTED)
    .text('CT severity bands of Pan et al., Radiology 2020 (definition on page 2)', M + 215, y + boxH - 9, { lineBreak: false });
  y += boxH + 6;
  y = qcBanner(doc, d, y) + 8;

  y = sectionTitle(doc, 'Burden', y);
  y = table(
    doc,
    [
      { title: 'Finding', width: 290, align: 'left' },
      { title: 'Volume (mL)', width: 110, align: 'right' },
      { title: '% of lung volume', width: CONTENT_W - 400, align: 'right' },
    ],
    d.table.map((r, n) => ({
      cells: [r.label, fmtMl(r.volumeMl), r.percentOfLung === null ? '' : fmtPct(r.percentOfLung)],
      swatch: n === 1 ? hex(LESION_COLOURS.ggo) : n === 2 ? hex(LESION_COLOURS.highOpacity) : undefined,
      bold: n === 3,
    })),
    y,
  );
  const fr = d.burden.highOpacityHuFractionPercent;
  doc.font(REGULAR).fontSize(8).fillColor(MUTED).text(
    printable(`Lesion voxels outside the lung mask are not counted.${fr === null ? '' : ` Lesion voxels with attenuation >= -200 HU: ${fr.toFixed(1)} %.`}`),
    M, y + 4, { width: CONTENT_W },
  );
  y = doc.y + 10;

  if (d.burden.regions.length > 0) {
    y = sectionTitle(doc, 'Regional burden (craniocaudal thirds of each lung)', y);
    y = table(
      doc,
      [
        { title: 'Region', width: 132, align: 'left' },
        { title: 'Lung (mL)', width: 75, align: 'right' },
        { title: 'GGO (mL)', width: 75, align: 'right' },
        { title: 'High op. (mL)', width: 80, align: 'right' },
        { title: 'Burden (%)', width: 70, align: 'right' },
        { title: 'Band', width: CONTENT_W - 432, align: 'right' },
      ],
      d.burden.regions.map((g) => ({
        cells: [g.key.includes('_') ? `   ${g.name}` : g.name, fmtMl(g.lungVolumeMl), fmtMl(g.ggoVolumeMl), fmtMl(g.highOpacityVolumeMl), fmtPct(g.burdenPercent), bandOf(g.burdenPercent)],
        bold: !g.key.includes('_'),
      })),
      y,
    );
    y += 10;
  }

  y = sectionTitle(doc, 'Provenance', y);
  const p = d.provenance;
  const lesionLine = p.lesion
    ? `v${p.lesion.version} by ${p.lesion.authorKind} "${p.lesion.author}", ${p.lesion.createdAt}${p.lesion.signed ? ' (signed)' : ''}`
    : 'none (no lesion model run)';
  keyValues(
    doc,
    [
      ['Lung mask', p.lungMask ? `v${p.lungMask.version} by ${p.lungMask.authorKind} "${p.lungMask.author}", ${p.lungMask.createdAt}` : 'unknown'],
      ['Lesion labels', lesionLine],
      ['Model', p.model ? `${p.model.name} ${p.model.version}` : 'none'],
      ['Burden computed', p.burdenComputedAt],
      ['Review', p.review],
    ],
    M,
    y,
    CONTENT_W,
  );
}

const bandOf = (pct: number): string => {
  const c = severityCategory(Math.min(100, Math.max(0, pct)));
  return `${c.score} (${c.label})`;
};

function pageTwo(doc: PDFKit.PDFDocument, d: ReportData, images: KeyImageSet, placed: PlacedImage[]): void {
  header(doc, d, 'Key images: lung window (W 1500 / L -600 HU), lesion overlays and lung outline');
  let y = sectionTitle(doc, 'Axial slices with the largest lesion areas', 86);
  const gap = 10;
  const n = Math.max(1, images.axial.length);
  const cellW = (CONTENT_W - gap * (n - 1)) / n;
  const pageIndex = doc.bufferedPageRange().count - 1;
  let rowBottom = y;
  images.axial.forEach((img, idx) => {
    const x = M + idx * (cellW + gap);
    const r = drawImage(doc, img, x, y, cellW, 200, pageIndex, placed);
    doc.font(REGULAR).fontSize(7.5).fillColor(MUTED).text(printable(img.caption), x, r.bottom + 3, { width: cellW, align: 'center' });
    rowBottom = Math.max(rowBottom, doc.y);
  });
  y = rowBottom + 8;
  y = sectionTitle(doc, 'Coronal reformat and 3-D snapshot (frontal view)', y + 4);
  const halfW = (CONTENT_W - gap) / 2;
  const maxH = PAGE_H - FOOTER_H - y - 62;
  const a = drawImage(doc, images.coronal, M, y, halfW, maxH, pageIndex, placed);
  const b = drawImage(doc, images.frontal3d, M + halfW + gap, y, halfW, maxH, pageIndex, placed);
  doc.font(REGULAR).fontSize(7.5).fillColor(MUTED);
  doc.text(printable(images.coronal.caption), M, a.bottom + 3, { width: halfW, align: 'center' });
  doc.text(printable(images.frontal3d.caption), M + halfW + gap, b.bottom + 3, { width: halfW, align: 'center' });
  y = Math.max(a.bottom, b.bottom) + 26;

  // Legend.
  const items: [string, string][] = [
    [hex(LESION_COLOURS.ggo), 'Ground-glass opacity'],
    [hex(LESION_COLOURS.highOpacity), 'High opacity (consolidation + effusion)'],
    [hex(LUNG_OUTLINE_COLOUR), 'Lung outline'],
  ];
  let x = M;
  for (const [c, label] of items) {
    doc.save().rect(x, y, 10, 10).fill(c).restore();
    doc.font(REGULAR).fontSize(8.5).fillColor(INK).text(label, x + 14, y + 1, { lineBreak: false });
    x += 14 + doc.widthOfString(label) + 22;
  }
  doc.font(REGULAR).fontSize(7.5).fillColor(MUTED).text(
    'Images in radiological convention: patient right (R) on image left; axial anterior (A) up, coronal and 3-D superior (S) up; pixels resampled to square; scale bars in mm.',
    M, y + 16, { width: CONTENT_W },
  );
  y = doc.y + 12;

  y = sectionTitle(doc, 'Method notes', y);
  const notes: [string, string][] = [
    ['Burden', 'Lesion volume (GGO + high opacity) / lung volume x 100 %, from voxel counts x voxel volume. Regions: each lung split into equal craniocaudal thirds.'],
    ['Severity', `${d.severity.definition} Reference: ${d.severity.reference}.`],
    ...(d.series.importWarnings.length ? ([['Import notes', d.series.importWarnings.join(' | ')]] as [string, string][]) : []),
  ];
  y = keyValues(doc, notes, M, y, CONTENT_W, 600) + 8;
  if (d.qc.length > 0) {
    y = sectionTitle(doc, 'Scan QC flags', y);
    keyValues(
      doc,
      d.qc.map((f): [string, string] => [
        `${f.severity.toUpperCase()} ${f.code}`,
        printable(`${f.message}${f.acknowledgement ? ` Acknowledged by ${f.acknowledgement.reader} on ${f.acknowledgement.acknowledgedAt}: "${f.acknowledgement.reason}".` : f.severity === 'blocking' ? ' NOT acknowledged.' : ''}`),
      ]),
      M,
      y,
      CONTENT_W,
    );
  }
}

/** One line under the headline: the scan QC verdict (red while a blocking flag is unacknowledged). */
function qcBanner(doc: PDFKit.PDFDocument, d: ReportData, y: number): number {
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

function drawImage(doc: PDFKit.PDFDocument, img: KeyImage, x: number, y: number, maxW: number, maxH: number, page: number, placed: PlacedImage[]): { bottom: number } {
  const scale = Math.min(maxW / img.width, maxH / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  const ix = x + (maxW - w) / 2;
  doc.save().rect(ix - 0.5, y - 0.5, w + 1, h + 1).fill('#000000').restore();
  doc.image(encodePng(img), ix, y, { width: w, height: h });
  orientationMarkers(doc, img, ix, y, w, h);
  scaleBar(doc, img, ix, y, w, h, scale);
  placed.push({ kind: img.kind, page, x: ix, y, width: w, height: h });
  return { bottom: y + h };
}

/** White text with a dark outline, readable on lung (dark) and on tissue/bone (bright). */
function haloText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number, options: PDFKit.Mixins.TextOptions): void {
  // The outline first (stroke only), then the white letters over it (fill only).
  doc.save().font(BOLD).fontSize(size).lineWidth(Math.max(1, size / 5)).lineJoin('round').strokeColor('#000000');
  doc.text(text, x, y, { ...options, lineBreak: false, stroke: true, fill: false });
  doc.restore();
  doc.save().font(BOLD).fontSize(size).fillColor('#ffffff');
  doc.text(text, x, y, { ...options, lineBreak: false, stroke: false, fill: true });
  doc.restore();
}

/**
 * Patient-direction letters on the image edges (R on the left, L on the right; A/P or S/I at top
 * and bottom), drawn as vector text over the picture so they stay sharp at any zoom.
 */
function orientationMarkers(doc: PDFKit.PDFDocument, img: KeyImage, x: number, y: number, w: number, h: number): void {
  const size = Math.max(7, Math.min(11, w / 14));
  const mid = y + h / 2 - size / 2;
  haloText(doc, img.edges.left, x + 3, mid, size, {});
  haloText(doc, img.edges.right, x, mid, size, { width: w - 3, align: 'right' });
  haloText(doc, img.edges.top, x, y + 2, size * 0.85, { width: w, align: 'center' });
  haloText(doc, img.edges.bottom, x, y + h - size * 0.85 - 2, size * 0.85, { width: w, align: 'center' });
}

/** A scale bar in the bottom-right corner: a round length in mm at the image's pixel spacing. */
function scaleBar(doc: PDFKit.PDFDocument, img: KeyImage, x: number, y: number, w: number, h: number, scale: number): void {
  const mm = scaleBarLengthMm(img.width * img.pixelSpacingMm);
  const len = (mm / img.pixelSpacingMm) * scale;
  const x1 = x + w - 6;
  const x0 = x1 - len;
  const yb = y + h - 6;
  const tick = 3;
  doc.save().lineWidth(2.6).strokeColor('#000000').lineCap('butt');
  doc.moveTo(x0, yb - tick).lineTo(x0, yb).lineTo(x1, yb).lineTo(x1, yb - tick).stroke();
  doc.lineWidth(1).strokeColor('#ffffff');
  doc.moveTo(x0, yb - tick).lineTo(x0, yb).lineTo(x1, yb).lineTo(x1, yb - tick).stroke();
  doc.restore();
  const size = Math.max(6, Math.min(8, w / 20));
  haloText(doc, `${mm} mm`, x0 - 20, yb - tick - size - 2, size, { width: len + 40, align: 'center' });
}

/** "DRAFT - NOT SIGNED" across the page: the figures are not covered by a reader's signature. */
function draftWatermark(doc: PDFKit.PDFDocument): void {
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

function footer(doc: PDFKit.PDFDocument, d: ReportData, page: number, pages: number): void {
  const top = PAGE_H - FOOTER_H;
  const saved = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.save().moveTo(M, top).lineTo(M + CONTENT_W, top).lineWidth(0.8).strokeColor(NAVY).stroke().restore();
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
  doc.font(BOLD).fontSize(8).fillColor('#b3261e').text(d.disclaimer.toUpperCase(), M, PAGE_H - 24, { width: CONTENT_W - 80, lineBreak: false });
  doc.font(REGULAR).fontSize(8).fillColor(MUTED).text(`Page ${page} of ${pages}`, M, PAGE_H - 24, { width: CONTENT_W, align: 'right', lineBreak: false });
  doc.page.margins.bottom = saved;
}
