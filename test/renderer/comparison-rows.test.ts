import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RetrainRunView } from '../../shared/contracts/workstation.ts';
import { comparisonRows, fmtMetric, gateSentence } from '../../renderer/features/models/comparison-rows.ts';

const run: RetrainRunView = {
  id: '20261129T120000Z',
  startedAt: '2026-11-29T12:00:00Z',
  state: 'registered',
  error: null,
  base: { name: 'm', version: '1.0.0' },
  newVersion: '1.1.0',
  gate: { metric: 'medseg_val_dice_lesion', old: 0.604, new: 0.618, minDelta: 0 },
  exportedCases: 2,
  trainingWindows: 40,
  steps: 300,
  trainingS: 120,
  validationSplitSha256: 'ab',
  metrics: [
    { key: 'synth_val_lesion_ml_ba_bias', old: 92.2, new: -40.1 },
    { key: 'medseg_val_dice_lesion', old: 0.604, new: 0.618 },
    { key: 'medseg_val_dice_ggo', old: 0.369, new: 0.3689 },
    { key: 'ma20_val_dice_lesion', old: 0.58, new: null },
  ],
};

test('comparison rows: grouped by set, signed deltas, direction-aware verdicts, the gate marked', () => {
  const rows = comparisonRows(run.metrics, 'medseg_val_dice_lesion');
  assert.deepEqual(
    rows.map((r) => r.set.split(' ')[0]),
    ['MA20', 'MedSeg', 'MedSeg', 'Synthetic'],
  );
  const lesion = rows.find((r) => r.key === 'medseg_val_dice_lesion')!;
  assert.deepEqual([lesion.old, lesion.new, lesion.delta, lesion.verdict, lesion.gate], ['0.604', '0.618', '+0.014', 'better', true]);
  const ggo = rows.find((r) => r.key === 'medseg_val_dice_ggo')!;
  assert.deepEqual([ggo.delta, ggo.verdict], ['0.000', 'worse']); // rounds to 0 but is lower: no fake '+'
  const bias = rows.find((r) => r.key === 'synth_val_lesion_ml_ba_bias')!;
  assert.deepEqual([bias.old, bias.new, bias.verdict], ['92.2 mL', '-40.1 mL', 'better']); // |bias| smaller
  const ma = rows.find((r) => r.key === 'ma20_val_dice_lesion')!;
  assert.deepEqual([ma.new, ma.delta, ma.verdict], ['—', '—', 'same']);
  assert.equal(fmtMetric('unknown_key', 1.23456), '1.235');
});

test('gate sentence says what decided, with the numbers', () => {
  assert.match(gateSentence(run), /old 0\.604, new 0\.618; required ≥ 0\.604 \(old − 0\); passed/);
  assert.match(
    gateSentence({ ...run, state: 'refused', newVersion: null, gate: { ...run.gate!, new: 0.5, minDelta: 0.01 } }),
    /required ≥ 0\.594.*failed: the new model was not registered/,
  );
  assert.equal(gateSentence({ ...run, state: 'failed', gate: null, error: 'no signed case' }), 'no signed case');
});
