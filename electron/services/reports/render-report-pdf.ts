import PDFDocument from 'pdfkit';
import type { KeyImageSet } from '../../../shared/export/key-images.ts';
import type { ReportData } from '../../../shared/export/report-data.ts';
import { BOLD, CONTENT_W, FOOTER_H, M, PAGE_H, REGULAR, fonts } from './report-pdf-style.ts';
import { draftWatermark, footer, header, keyValues, sectionTitle } from './report-pdf-draw.ts';
import { pageOne } from './report-page-one.ts';
import { pageTwo, type PlacedImage } from './report-page-two.ts';

export type { PlacedImage } from './report-page-two.ts';

export { fmtMl, fmtPct } from './report-pdf-style.ts';

export interface RenderedReport {
  readonly pdf: Buffer;
  /** Pages written (2, plus any extra pages). */
  readonly pageCount: number;
  readonly images: readonly PlacedImage[];
}

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
