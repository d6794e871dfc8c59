// Report generation on a 256×256×120 synthetic chest (1.4 × 1.4 × 2.5 mm): key images vs PDF layout.
// Prints one JSON object. Run: node_modules/.bin/node --import tsx test/bench/report.bench.ts
import { renderKeyImages } from '../../shared/export/key-images.ts';
import { buildReportData } from '../../shared/export/report-data.ts';
import { asCaseId, asLabelVersionId, asSeriesId } from '../../shared/domain/ids.ts';
import { renderReportPdf } from '../../electron/services/reports/render-report-pdf.ts';
import { syntheticChest } from '../shared/export/synthetic-case.ts';
import { seriesMetadata } from '../support/synthetic-volume.ts';

const s = syntheticChest([256, 256, 120], [1.4, 1.4, 2.5]);
const lungV = {
  id: asLabelVersionId(1),
  caseId: asCaseId(1),
  kind: 'lung' as const,
  version: 1,
  parentId: null,
  author: { kind: 'algorithm' as const, name: 'lung mask' },
  createdAt: '',
  note: '',
  signed: false,
  sha256: '',
  counts: [],
};
const data = buildReportData({
  caseDetail: {
    id: asCaseId(1),
    seriesId: asSeriesId(1),
    status: 'ai-done',
    patientId: 'P',
    patientName: '',
    studyDate: '',
    studyDescription: '',
    seriesDescription: '',
    seriesNumber: '',
    modality: 'CT',
    sliceCount: 120,
    burdenPercent: null,
    modelVersion: null,
    lastReader: null,
    updatedAt: '',
    uncertainty: null,
    geometry: s.volume,
    sourcePath: '',
    sourceKind: 'nifti',
    issues: [],
    labelVersions: [lungV],
  },
  series: seriesMetadata(),
  burdenRecord: { lesionVersionId: null, lungVersionId: asLabelVersionId(1), createdAt: '', burden: s.stored },
  signOffs: [],
  generatedAt: new Date().toISOString(),
  software: { name: 'Lung Burden', version: 'bench' },
});
const runs = 3;
let keyMs = 0;
let pdfMs = 0;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const images = renderKeyImages(s.volume, s.lung, s.lesion);
  const t1 = performance.now();
  await renderReportPdf(data, images);
  const t2 = performance.now();
  keyMs += t1 - t0;
  pdfMs += t2 - t1;
}
console.log(
  JSON.stringify({
    bench: 'report',
    volume: '256x256x120',
    runs,
    keyImagesMs: +(keyMs / runs).toFixed(1),
    pdfMs: +(pdfMs / runs).toFixed(1),
    totalMs: +((keyMs + pdfMs) / runs).toFixed(1),
    keyImagesShare: +(keyMs / (keyMs + pdfMs)).toFixed(3),
  }),
);
