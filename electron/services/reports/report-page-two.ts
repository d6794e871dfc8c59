import type { KeyImage, KeyImageSet } from '../../../shared/export/key-images.ts';
import { LUNG_OUTLINE_COLOUR, scaleBarLengthMm } from '../../../shared/export/key-images.ts';
import type { ReportData } from '../../../shared/export/report-data.ts';
import { LESION_COLOURS } from '../../../shared/domain/label-map.ts';
import { encodePng } from './encode-png.ts';
import { BOLD, CONTENT_W, FOOTER_H, INK, M, MUTED, PAGE_H, REGULAR, hex, printable } from './report-pdf-style.ts';
import { header, keyValues, sectionTitle } from './report-pdf-draw.ts';

// Page two of the case report: key images (axial slices, coronal view, 3-D snapshot) with legend and scale bars.

/** Where an image was placed: page index (0-based) and rectangle in PDF points from top-left. */
export interface PlacedImage {
  readonly kind: KeyImage['kind'];
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Draws page two and records where each image went (`placed`). */
export function pageTwo(doc: PDFKit.PDFDocument, d: ReportData, images: KeyImageSet, placed: PlacedImage[]): void {
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
    doc
      .font(REGULAR)
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(printable(img.caption), x, r.bottom + 3, { width: cellW, align: 'center' });
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
    doc
      .font(REGULAR)
      .fontSize(8.5)
      .fillColor(INK)
      .text(label, x + 14, y + 1, { lineBreak: false });
    x += 14 + doc.widthOfString(label) + 22;
  }
  doc
    .font(REGULAR)
    .fontSize(7.5)
    .fillColor(MUTED)
    .text(
      'Images in radiological convention: patient right (R) on image left; axial anterior (A) up, coronal and 3-D superior (S) up; pixels resampled to square; scale bars in mm.',
      M,
      y + 16,
      { width: CONTENT_W },
    );
  y = doc.y + 12;

  y = sectionTitle(doc, 'Method notes', y);
  const notes: [string, string][] = [
    [
      'Burden',
      'Lesion volume (GGO + high opacity) / lung volume x 100 %, from voxel counts x voxel volume. Regions: each lung split into equal craniocaudal thirds.',
    ],
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
        printable(
          `${f.message}${f.acknowledgement ? ` Acknowledged by ${f.acknowledgement.reader} on ${f.acknowledgement.acknowledgedAt}: "${f.acknowledgement.reason}".` : f.severity === 'blocking' ? ' NOT acknowledged.' : ''}`,
        ),
      ]),
      M,
      y,
      CONTENT_W,
    );
  }
}

/** One line under the headline: the scan QC verdict (red while a blocking flag is unacknowledged). */

function drawImage(
  doc: PDFKit.PDFDocument,
  img: KeyImage,
  x: number,
  y: number,
  maxW: number,
  maxH: number,
  page: number,
  placed: PlacedImage[],
): { bottom: number } {
  const scale = Math.min(maxW / img.width, maxH / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  const ix = x + (maxW - w) / 2;
  doc
    .save()
    .rect(ix - 0.5, y - 0.5, w + 1, h + 1)
    .fill('#000000')
    .restore();
  doc.image(encodePng(img), ix, y, { width: w, height: h });
  orientationMarkers(doc, img, ix, y, w, h);
  scaleBar(doc, img, ix, y, w, h, scale);
  placed.push({ kind: img.kind, page, x: ix, y, width: w, height: h });
  return { bottom: y + h };
}

/** White text with a dark outline, readable on lung (dark) and on tissue/bone (bright). */
function haloText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number, options: PDFKit.Mixins.TextOptions): void {
  // The outline first (stroke only), then the white letters over it (fill only).
  doc
    .save()
    .font(BOLD)
    .fontSize(size)
    .lineWidth(Math.max(1, size / 5))
    .lineJoin('round')
    .strokeColor('#000000');
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
  doc
    .moveTo(x0, yb - tick)
    .lineTo(x0, yb)
    .lineTo(x1, yb)
    .lineTo(x1, yb - tick)
    .stroke();
  doc.lineWidth(1).strokeColor('#ffffff');
  doc
    .moveTo(x0, yb - tick)
    .lineTo(x0, yb)
    .lineTo(x1, yb)
    .lineTo(x1, yb - tick)
    .stroke();
  doc.restore();
  const size = Math.max(6, Math.min(8, w / 20));
  haloText(doc, `${mm} mm`, x0 - 20, yb - tick - size - 2, size, { width: len + 40, align: 'center' });
}

/** "DRAFT - NOT SIGNED" across the page: the figures are not covered by a reader's signature. */
