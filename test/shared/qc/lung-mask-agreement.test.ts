import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLungMaskAgreement } from '../../../shared/qc/checks/check-lung-mask-agreement.ts';
import { lungMaskNote, parseLungMaskNote } from '../../../shared/qc/lung-mask-note.ts';
import { lungQcStats } from '../../../shared/qc/lung-qc-stats.ts';
import type { ScanQcInput } from '../../../shared/qc/qc-flag.ts';
import { IDENTITY_DIRECTION } from '../../../shared/domain/volume.ts';

const geometry = {
  size: [8, 8, 4] as const,
  spacingMm: [1, 1, 1] as const,
  originLps: [0, 0, 0] as const,
  directionLps: IDENTITY_DIRECTION,
};
const input = (c: { classicalMl: number; learnedMl: number; addedMl: number } | null): ScanQcInput => ({
  geometry: { ...geometry, size: [8, 8, 4], spacingMm: [1, 1, 1], originLps: [0, 0, 0] },
  modality: 'CT',
  sourceKind: 'dicom',
  importIssues: [],
  lungMasks: c,
});

test('the note of a combined lung version reads back to the same volumes; other notes give null', () => {
  const c = { classicalMl: 3831.4, learnedMl: 4102.6, addedMl: 212.2 };
  const note = lungMaskNote(c);
  assert.equal(note, 'combined lung mask: classical 3831 mL, learned 4103 mL, added 212 mL');
  assert.deepEqual(parseLungMaskNote(note), { classicalMl: 3831, learnedMl: 4103, addedMl: 212 });
  assert.equal(parseLungMaskNote('automatic segmentation'), null);
  assert.equal(parseLungMaskNote(undefined), null);
});

test('masks that agree raise nothing; a large disagreement blocks; a moderate one warns; much dense lung added warns', () => {
  assert.deepEqual(checkLungMaskAgreement(input(null)), []);
  assert.deepEqual(checkLungMaskAgreement(input({ classicalMl: 4000, learnedMl: 4300, addedMl: 100 })), []);
  const open = checkLungMaskAgreement(input({ classicalMl: 30, learnedMl: 4100, addedMl: 0 }));
  assert.equal(open[0]?.code, 'lung-mask-disagreement');
  assert.equal(open[0].severity, 'blocking');
  const moderate = checkLungMaskAgreement(input({ classicalMl: 4000, learnedMl: 4900, addedMl: 0 }));
  assert.equal(moderate[0]?.severity, 'warning');
  const dense = checkLungMaskAgreement(input({ classicalMl: 3400, learnedMl: 3900, addedMl: 450 }));
  assert.deepEqual(
    dense.map((f) => [f.code, f.severity]),
    [['lung-dense-added', 'warning']],
  );
  assert.match(dense[0]?.message ?? '', /0\.45 L \(13 %\)/);
});

test('a lung reaching the edge of a circular field of view counts as a border contact', () => {
  const data = new Uint8Array(8 * 8 * 4);
  for (let k = 0; k < 4; k++) data[k * 64 + 3 * 8 + 4] = 1; // (i 4, j 3): 3 voxels from every image edge
  const lung = {
    ...geometry,
    size: [8, 8, 4] as [number, number, number],
    spacingMm: [1, 1, 1] as [number, number, number],
    originLps: [0, 0, 0] as [number, number, number],
    data,
  };
  assert.equal(lungQcStats(lung).borderSlices, 0);
  const outside = new Uint8Array(64);
  outside[1 * 8 + 4] = 1; // outside the field of view 2 pixels above
  assert.equal(lungQcStats(lung, outside).borderSlices, 4);
});
