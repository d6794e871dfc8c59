import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diceDistribution, quantile, studyAgreementCsv, studyAgreementStats } from '../../../shared/imaging/read-study-stats.ts';
import type { CaseAgreementView, SignedReadView } from '../../../shared/domain/read-study.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';

test('quantile interpolates linearly between order statistics (type 7)', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantile([1, 2, 3, 4], 0.75), 3.25);
});

test('Dice distribution: n, median, IQR, 10 bins; empty classes (null) left out', () => {
  const d = diceDistribution('ggo', [0.95, 0.81, null, 1, 0.05, 0.5]);
  assert.equal(d.n, 5);
  assert.equal(d.median, 0.81);
  assert.equal(d.q1, 0.5);
  assert.equal(d.q3, 0.95);
  assert.deepEqual(d.histogram, [1, 0, 0, 0, 0, 1, 0, 0, 1, 2]);
});

const read = (slot: 'read1' | 'read2', burden: number, lesionMl: number): SignedReadView => ({
  slot,
  signatureId: 1,
  lesionVersionId: 1 as LabelVersionId,
  lesionVersion: 1,
  readerName: slot,
  readerLogin: slot,
  signedAt: '',
  meaning: '',
  burdenPercent: burden,
  volumeMl: { ggo: lesionMl, highOpacity: 0, lesion: lesionMl },
});
const pair = (caseId: number, b1: number, b2: number, v1: number, v2: number, dice: number): CaseAgreementView => ({
  caseId: caseId as CaseId,
  protocolId: 'P',
  read1: read('read1', b1, v1),
  read2: read('read2', b2, v2),
  dice: { ggo: dice, highOpacity: null, lesion: dice },
  volumeDiffMl: { ggo: v1 - v2, highOpacity: 0, lesion: v1 - v2 },
  burdenDiffPp: b1 - b2,
  withinThresholds: true,
  exceeded: [],
  computedAt: '',
});

test('study statistics: Bland–Altman of burden (pp) and lesion volume (mL), per-case points, CSV rows', () => {
  const cases = [pair(1, 10, 8, 100, 90, 0.9), pair(2, 5, 6, 50, 60, 0.7), pair(3, 20, 17, 200, 170, 0.8)];
  const s = studyAgreementStats('P', cases);
  assert.equal(s.n, 3);
  assert.equal(s.burden?.n, 3);
  assert.ok(Math.abs(s.burden.bias - 4 / 3) < 1e-12);
  // SD of [2, -1, 3] = sqrt(((2/3)^2 + (7/3)^2 + (5/3)^2) / 2) = sqrt(13/3)
  assert.ok(Math.abs((s.burden.sd ?? 0) - Math.sqrt(13 / 3)) < 1e-12);
  assert.ok(Math.abs((s.burden.loaHigh ?? 0) - (4 / 3 + 1.96 * Math.sqrt(13 / 3))) < 1e-12);
  assert.equal(s.lesionVolume?.bias, 10);
  assert.deepEqual(
    s.points.map((p) => [p.burdenMean, p.burdenDiff, p.volumeMean, p.volumeDiff]),
    [
      [9, 2, 95, 10],
      [5.5, -1, 55, -10],
      [18.5, 3, 185, 30],
    ],
  );
  assert.equal(s.dice.find((d) => d.cls === 'lesion')?.median, 0.8);
  const { rows } = parseCsv(studyAgreementCsv(s, cases));
  assert.equal(rows.filter((r) => r['row'] === 'case').length, 3 * 5);
  const ba = rows.find((r) => r['row'] === 'summary' && r['measure'] === 'burden_pct');
  assert.equal(Number(ba?.['n']), 3);
  assert.ok(Math.abs(Number(ba?.['mean_diff']) - 4 / 3) < 1e-9);
});
