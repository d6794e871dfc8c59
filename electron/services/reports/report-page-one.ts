import type { ReportData } from '../../../shared/export/report-data.ts';
import { LESION_COLOURS } from '../../../shared/domain/label-map.ts';
import { severityCategory } from '../../../shared/export/severity-category.ts';
import {
  BOLD,
  CONTENT_W,
  IDENTIFIER_MAX_CHARS,
  INK,
  M,
  MUTED,
  NAVY,
  REGULAR,
  SEVERITY_FILL,
  SHADE,
  fmtMl,
  fmtPct,
  hex,
  printable,
} from './report-pdf-style.ts';
import { header, keyValues, qcBanner, sectionTitle, table } from './report-pdf-draw.ts';

/** Page one of the case report: identifiers, burden and regional tables, severity, QC verdict and provenance. */
export function pageOne(doc: PDFKit.PDFDocument, d: ReportData): void {
  header(doc, d, 'COVID-19 pneumonia burden: ground-glass opacity and high opacity, percent of lung volume');
  let y = 86;

  // Identification: patient/study left, series right.
  y = sectionTitle(doc, 'Patient and study', y);
  const half = CONTENT_W / 2 - 8;
  const left: [string, string][] = d.patient.pseudonymized
    ? [
        ['Pseudonym', d.patient.id],
        ['Sex', d.patient.sex],
        ['Study date', d.study.date],
        ['Study', d.study.description],
      ]
    : [
        ['Patient name', d.patient.name],
        ['Patient ID', d.patient.id],
        ['Birth date', d.patient.birthDate],
        ['Sex', d.patient.sex],
        ['Study date', d.study.date],
        ['Study', d.study.description],
        ['Accession', d.study.accessionNumber],
      ];
  // Trial context: one row per column (page 1 has no room for four); the header of every page repeats it.
  const joined = (...parts: string[]): string => parts.filter((v) => v !== '').join(' · ');
  const trialLeft: [string, string][] = d.trial ? [['Protocol', joined(d.trial.protocol, d.trial.site && `site ${d.trial.site}`)]] : [];
  const trialRight: [string, string][] = d.trial ? [['Subject', joined(d.trial.subject, d.trial.visit && `visit ${d.trial.visit}`)]] : [];
  left.push(...trialLeft.filter(([, v]) => v !== ''));
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
  right.push(...trialRight.filter(([, v]) => v !== ''));
  const yl = keyValues(doc, left, M, y, half, IDENTIFIER_MAX_CHARS);
  const yr = keyValues(doc, right, M + half + 16, y, half, IDENTIFIER_MAX_CHARS);
  y = Math.max(yl, yr) + 8;

  // Headline: burden and severity.
  const boxH = 62;
  doc.save().roundedRect(M, y, CONTENT_W, boxH, 4).fill(SHADE).restore();
  doc
    .font(REGULAR)
    .fontSize(8.5)
    .fillColor(MUTED)
    .text('TOTAL BURDEN (LESION / LUNG VOLUME)', M + 14, y + 10, { lineBreak: false });
  doc
    .font(BOLD)
    .fontSize(26)
    .fillColor(NAVY)
    .text(`${fmtPct(d.burden.burdenPercent)} %`, M + 14, y + 24, { lineBreak: false });
  doc
    .font(REGULAR)
    .fontSize(8.5)
    .fillColor(MUTED)
    .text('SEVERITY CATEGORY', M + 215, y + 10, { lineBreak: false });
  const chipW = 150;
  doc
    .save()
    .roundedRect(M + 215, y + 24, chipW, 26, 3)
    .fill(SEVERITY_FILL[d.severity.score])
    .restore();
  doc
    .font(BOLD)
    .fontSize(12)
    .fillColor('#ffffff')
    .text(`${d.severity.score} - ${d.severity.label}`, M + 215, y + 31, { width: chipW, align: 'center', lineBreak: false });
  doc
    .font(REGULAR)
    .fontSize(8.5)
    .fillColor(MUTED)
    .text('BAND', M + 385, y + 10, { lineBreak: false });
  doc
    .font(BOLD)
    .fontSize(12)
    .fillColor(INK)
    .text(printable(d.severity.range), M + 385, y + 31, { lineBreak: false });
  doc
    .font(REGULAR)
    .fontSize(7.5)
    .fillColor(MUTED)
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
  doc
    .font(REGULAR)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      printable(
        `Lesion voxels outside the lung mask are not counted.${fr === null ? '' : ` Lesion voxels with attenuation >= -200 HU: ${fr.toFixed(1)} %.`}`,
      ),
      M,
      y + 4,
      { width: CONTENT_W },
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
        cells: [
          g.key.includes('_') ? `   ${g.name}` : g.name,
          fmtMl(g.lungVolumeMl),
          fmtMl(g.ggoVolumeMl),
          fmtMl(g.highOpacityVolumeMl),
          fmtPct(g.burdenPercent),
          bandOf(g.burdenPercent),
        ],
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
      [
        'Lung mask',
        p.lungMask ? `v${p.lungMask.version} by ${p.lungMask.authorKind} "${p.lungMask.author}", ${p.lungMask.createdAt}` : 'unknown',
      ],
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

export const bandOf = (pct: number): string => {
  const c = severityCategory(Math.min(100, Math.max(0, pct)));
  return `${c.score} (${c.label})`;
};
