/**
 * The two failure classes of the classical lung mask that README "Robustness on real scans" lists,
 * on a real series with the artifact generator (test/support/lung-artifacts.ts): each scan must end
 * FIXED (lung volume within ±10 % of the expected) or FLAGGED LOUDLY (a scan QC flag on the lung
 * mask: blocking for a lost lung, at least a warning for dense lung added or a mask disagreement).
 *
 * - dense dependent bases (`dense-lower-lobes`, `effusion`): the combined mask (classical + learned,
 *   bundle models/lung-masks/lungnet) must recover lung the classical mask lost, and fix or flag;
 * - a field of view opening both lungs (`fov-cut-lung`): the classical mask alone must be flagged
 *   blocking (the lung reaching the field-of-view edge counts as cut; no lung found; or out of range).
 *
 * Skips with a message when ../shared/data (or the lung mask bundle) is absent.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reorientToLps } from '../../../shared/imaging/geometry.ts';
import { segmentLungs } from '../../../shared/imaging/lung-mask.ts';
import { findLungNetBundle } from '../../../electron/services/lung-net/compute-lung-mask.ts';
import { CHEST_CT_SERIES, loadChestCtSeries } from '../../support/chest-ct-series.ts';
import { ARTIFACT_VARIANTS } from '../../support/lung-artifacts.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';
import { robustnessRow } from '../../bench/robustness-row.ts';

const LUNG_FLAGS = /^(no-lung|lung-volume|fov-cut|lung-mask-disagreement|lung-dense-added|lung-asymmetry):(warning|blocking)$/;

async function lidc() {
  const series = CHEST_CT_SERIES.find((s) => s.id === 'lidc-idri-0001');
  assert.ok(series);
  const loaded = await loadChestCtSeries(series);
  assert.ok(loaded);
  return reorientToLps(loaded);
}

test('dense dependent bases: the combined mask recovers lung and the scan is fixed or flagged', async (t) => {
  if (!sharedDataDir()) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  // the learned lung mask bundle is committed: a missing or invalid one is a failure, never a skip
  const bundle = await findLungNetBundle();
  assert.ok(bundle, 'models/lung-masks/lungnet is committed and valid');
  const v = await lidc();
  const clean = segmentLungs(v);
  for (const name of ['dense-lower-lobes', 'effusion']) {
    const variant = ARTIFACT_VARIANTS.find((a) => a.name === name);
    assert.ok(variant);
    const made = variant.apply(v, clean.labels);
    const row = await robustnessRow(made.volume, null, bundle);
    assert.ok(row.combined);
    const rel = (ml: number): number => (ml - made.expectedLungMl) / made.expectedLungMl;
    assert.ok(
      rel(row.classical.lungMl) < -0.05,
      `${name}: the classical mask is expected to lose lung here (${(100 * rel(row.classical.lungMl)).toFixed(1)} %)`,
    );
    assert.ok(
      row.combined.lungMl > row.classical.lungMl,
      `${name}: combined ${row.combined.lungMl} mL ≤ classical ${row.classical.lungMl} mL`,
    );
    const fixed = Math.abs(rel(row.combined.lungMl)) <= 0.1;
    const flagged = row.combined.qc.some((f) => LUNG_FLAGS.test(f));
    assert.ok(
      fixed || flagged,
      `${name}: combined ${row.combined.lungMl} mL (${(100 * rel(row.combined.lungMl)).toFixed(1)} %), flags ${row.combined.qc.join(', ')}`,
    );
  }
});

test('a field of view that opens both lungs is flagged blocking on the classical mask', async (t) => {
  if (!sharedDataDir()) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const v = await lidc();
  const clean = segmentLungs(v);
  const variant = ARTIFACT_VARIANTS.find((a) => a.name === 'fov-cut-lung');
  assert.ok(variant);
  const made = variant.apply(v, clean.labels);
  const row = await robustnessRow(made.volume, null, null);
  const rel = (row.classical.lungMl - made.expectedLungMl) / made.expectedLungMl;
  const blocking = row.classical.qc.filter((f) => f.endsWith(':blocking') && LUNG_FLAGS.test(f));
  assert.ok(
    Math.abs(rel) <= 0.1 || blocking.length > 0,
    `${row.classical.lungMl} mL (${(100 * rel).toFixed(1)} %), flags ${row.classical.qc.join(', ')}`,
  );
});
