import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AcquisitionFacts } from '../../../shared/dicom/types.ts';
import { checkBodyPart } from '../../../shared/qc/checks/check-body-part.ts';
import { checkContrast } from '../../../shared/qc/checks/check-contrast.ts';
import { checkDroppedFiles } from '../../../shared/qc/checks/check-dropped-files.ts';
import { checkGantryTilt } from '../../../shared/qc/checks/check-gantry-tilt.ts';
import { checkHuScale } from '../../../shared/qc/checks/check-hu-scale.ts';
import { checkLesionOutsideLung } from '../../../shared/qc/checks/check-lesion-outside.ts';
import { checkFieldOfView, checkLungCoverage, checkLungVolume } from '../../../shared/qc/checks/check-lungs.ts';
import { checkSlices } from '../../../shared/qc/checks/check-slices.ts';
import { checkUidQuirks } from '../../../shared/qc/checks/check-uid-quirks.ts';
import { huLandmarks } from '../../../shared/qc/hu-landmarks.ts';
import { lungQcStats } from '../../../shared/qc/lung-qc-stats.ts';
import type { ScanQcInput } from '../../../shared/qc/qc-flag.ts';
import { scanQc } from '../../../shared/qc/scan-qc.ts';

const ACQ: AcquisitionFacts = {
  bodyPartExamined: 'CHEST',
  gantryDetectorTiltDeg: 0,
  contrastBolusAgent: '',
  interceptMissingSlices: 0,
  droppedSlices: [],
  skippedFiles: [],
  skippedFileCount: 0,
  duplicateFiles: 0,
  nonUniqueUidSlices: 0,
  emptyUidSlices: 0,
};
/** A clean 512×512×120 axial chest at 2.5 mm with plausible HU and a 4.5 L lung covered apex to base. */
const base = (over: Partial<ScanQcInput> = {}): ScanQcInput => ({
  geometry: { size: [512, 512, 120], spacingMm: [0.7, 0.7, 2.5], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  modality: 'CT',
  sourceKind: 'dicom',
  acquisition: ACQ,
  importIssues: [],
  huLandmarks: { airHu: -990, softTissueHu: 30, samples: 1e6 },
  lung: { rightMl: 2400, leftMl: 2100, sliceAreaMm2: [0, ...Array<number>(100).fill(20000), 0], lungSlices: 100, borderSlices: 0 },
  lesion: { insideLungMl: 300, outsideLungMl: 5 },
  ...over,
});
const codes = (flags: readonly { code: string; severity: string }[]): string[] => flags.map((f) => `${f.severity}:${f.code}`);

test('a clean chest CT passes every check', () => {
  assert.deepEqual(scanQc(base()), []);
});

test('slice count and spacing', () => {
  assert.deepEqual(codes(checkSlices(base({ geometry: { ...base().geometry, size: [512, 512, 2] } }))), ['blocking:too-few-slices']);
  // thresholds measured with lungburden.thick_slices (README, "Scan QC"): validated up to 3 mm, blocking above 6 mm
  assert.deepEqual(codes(checkSlices(base({ geometry: { ...base().geometry, spacingMm: [0.7, 0.7, 3] } }))), []);
  assert.deepEqual(codes(checkSlices(base({ geometry: { ...base().geometry, spacingMm: [0.7, 0.7, 5] } }))), ['warning:slice-spacing']);
  assert.deepEqual(codes(checkSlices(base({ geometry: { ...base().geometry, spacingMm: [0.7, 0.7, 7.5] } }))), ['blocking:slice-spacing']);
  assert.deepEqual(codes(checkSlices(base({ geometry: { ...base().geometry, spacingMm: [0.7, 0.7, 12] } }))), ['blocking:slice-spacing']);
  assert.deepEqual(
    codes(checkSlices(base({ importIssues: [{ code: 'uneven-spacing', severity: 'warning', message: 'x: gaps 4 mm ×3, 7 mm ×3' }] }))),
    ['warning:uneven-spacing'],
  );
  assert.match(checkSlices(base({ geometry: { ...base().geometry, size: [512, 512, 2] } }))[0]!.message, /only 2 slices/);
});

test('gantry tilt from the geometry or the tag', () => {
  const t = Math.tan((18.5 * Math.PI) / 180);
  const n = Math.hypot(t, 1);
  const tilted = base({ geometry: { ...base().geometry, directionLps: [1, 0, 0, 0, 1, 0, 0, t / n, 1 / n] } });
  assert.match(checkGantryTilt(tilted)[0]!.message, /18\.5°/);
  assert.deepEqual(codes(checkGantryTilt(base({ acquisition: { ...ACQ, gantryDetectorTiltDeg: -12 } }))), ['warning:gantry-tilt']);
  assert.deepEqual(checkGantryTilt(base()), []);
});

test('body part and modality', () => {
  assert.deepEqual(codes(checkBodyPart(base({ acquisition: { ...ACQ, bodyPartExamined: 'HEAD' } }))), ['warning:body-part']);
  assert.deepEqual(codes(checkBodyPart(base({ modality: 'MR' }))), ['blocking:not-ct']);
  assert.deepEqual(checkBodyPart(base({ acquisition: { ...ACQ, bodyPartExamined: '' } })), []);
});

test('lungs present, physiological volume 1.5–9 L, right/left balance', () => {
  const lung = base().lung!;
  assert.deepEqual(codes(checkLungVolume(base({ lung: { ...lung, rightMl: 20, leftMl: 21 } }))), ['blocking:no-lung']);
  assert.deepEqual(codes(checkLungVolume(base({ lung: { ...lung, rightMl: 300, leftMl: 261 } }))), ['blocking:lung-volume']);
  assert.deepEqual(codes(checkLungVolume(base({ lung: { ...lung, rightMl: 6000, leftMl: 5000 } }))), ['blocking:lung-volume']);
  assert.deepEqual(codes(checkLungVolume(base({ lung: { ...lung, rightMl: 3000, leftMl: 900 } }))), ['warning:lung-asymmetry']);
  assert.deepEqual(checkLungVolume(base({ lung: null })), [], 'no lung mask yet: skipped');
});

test('coverage apex to base: lung area on the first and last slice', () => {
  const lung = base().lung!;
  const slab = { ...lung, sliceAreaMm2: Array(40).fill(20000) };
  assert.deepEqual(codes(checkLungCoverage(base({ lung: slab }))), ['blocking:lung-coverage']);
  const nearlyCut = { ...lung, sliceAreaMm2: [3000, ...Array<number>(50).fill(20000), 0] };
  assert.deepEqual(codes(checkLungCoverage(base({ lung: nearlyCut }))), ['warning:lung-coverage']);
  assert.match(checkLungCoverage(base({ lung: nearlyCut }))[0]!.message, /base \(first slice\): lung area 15 %/);
});

test('field-of-view cut', () => {
  const lung = base().lung!;
  assert.deepEqual(codes(checkFieldOfView(base({ lung: { ...lung, borderSlices: 10 } }))), ['warning:fov-cut']);
  assert.deepEqual(codes(checkFieldOfView(base({ lung: { ...lung, borderSlices: 60 } }))), ['blocking:fov-cut']);
});

test('HU scale: missing intercept and air/soft-tissue landmarks', () => {
  assert.deepEqual(codes(checkHuScale(base({ acquisition: { ...ACQ, interceptMissingSlices: 3 } }))), [
    'warning:rescale-intercept-missing',
  ]);
  assert.deepEqual(
    codes(
      checkHuScale(
        base({ acquisition: { ...ACQ, interceptMissingSlices: 120 }, huLandmarks: { airHu: 10, softTissueHu: 1050, samples: 1e6 } }),
      ),
    ),
    ['blocking:hu-scale', 'blocking:rescale-intercept-missing'],
  );
  assert.deepEqual(codes(checkHuScale(base({ huLandmarks: { airHu: -1000, softTissueHu: 1000, samples: 1e6 } }))), ['blocking:hu-scale']);
  // The landmarks themselves: air outside the body, lung, fat and muscle.
  const data = new Int16Array(100_000);
  for (let i = 0; i < data.length; i++) data[i] = i % 10 < 3 ? -1000 + (i % 7) : i % 10 < 5 ? -860 : i % 10 < 6 ? -100 : 40 + (i % 5);
  const lm = huLandmarks({ data })!;
  assert.ok(lm.airHu <= -980 && lm.airHu >= -1010, JSON.stringify(lm));
  assert.ok(lm.softTissueHu >= 30 && lm.softTissueHu <= 60, JSON.stringify(lm));
  const shifted = huLandmarks({ data: data.map((x) => x + 1024) })!;
  assert.ok(shifted.airHu > 0);
});

test('contrast, dropped and skipped files, lesion outside the lung, UID quirks', () => {
  assert.deepEqual(codes(checkContrast(base({ acquisition: { ...ACQ, contrastBolusAgent: 'Omnipaque 350' } }))), ['info:contrast']);
  assert.deepEqual(checkContrast(base({ acquisition: { ...ACQ, contrastBolusAgent: 'NONE' } })), []);
  const dropped = Array.from({ length: 14 }, (_, n) => ({ file: `${n + 15}.dcm`, code: 'uneven-spacing', severity: 'warning' as const }));
  const d = checkDroppedFiles(
    base({ geometry: { ...base().geometry, size: [512, 512, 14] }, acquisition: { ...ACQ, droppedSlices: dropped } }),
  );
  assert.deepEqual(codes(d), ['blocking:slices-dropped']);
  assert.match(d[0]!.message, /14 of 28 slices/);
  const skipped = checkDroppedFiles(
    base({ acquisition: { ...ACQ, skippedFiles: [{ file: 'x.dcm', code: 'truncated', severity: 'error' }], skippedFileCount: 1 } }),
  );
  assert.deepEqual(codes(skipped), ['warning:files-skipped']);
  assert.deepEqual(codes(checkLesionOutsideLung(base({ lesion: { insideLungMl: 30, outsideLungMl: 90 } }))), [
    'warning:lesion-outside-lung',
  ]);
  assert.deepEqual(checkLesionOutsideLung(base({ lesion: { insideLungMl: 300, outsideLungMl: 15 } })), []);
  assert.deepEqual(
    codes(
      checkUidQuirks(
        base({ importIssues: [{ code: 'non-unique-sop-uid', severity: 'warning', message: '' }], frameOfReferenceMissing: true }),
      ),
    ),
    ['info:uid-remapped', 'info:no-frame-of-reference'],
  );
});

test('lung statistics from a mask: side volumes, per-slice areas, border contact', () => {
  const size: [number, number, number] = [10, 10, 3];
  const data = new Uint8Array(300);
  data[1 * 100 + 5 * 10 + 5] = 1;
  data[1 * 100 + 5 * 10 + 6] = 2;
  data[2 * 100 + 0 * 10 + 4] = 1; // on the image edge
  const s = lungQcStats({ size, spacingMm: [1, 1, 2], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data });
  assert.deepEqual(s.sliceAreaMm2, [0, 2, 1]);
  assert.equal(s.rightMl, 0.004);
  assert.equal(s.leftMl, 0.002);
  assert.equal(s.lungSlices, 2);
  assert.equal(s.borderSlices, 1);
});

test('flags come most serious first', () => {
  const flags = scanQc(
    base({
      acquisition: { ...ACQ, contrastBolusAgent: 'IV', bodyPartExamined: 'HEAD' },
      geometry: { ...base().geometry, size: [512, 512, 2] },
    }),
  );
  const rank = flags.map((f) => ['blocking', 'warning', 'info'].indexOf(f.severity));
  assert.deepEqual(
    rank,
    [...rank].sort((a, b) => a - b),
  );
  assert.deepEqual(codes(flags), ['blocking:too-few-slices', 'warning:body-part', 'info:contrast']);
});
