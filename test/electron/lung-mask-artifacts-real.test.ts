/**
 * The classical lung mask on real chest CT with everyday artifacts painted in
 * (test/support/lung-artifacts.ts: blanket and gown folds, oxygen tubing, ECG leads, mattress and
 * table, a circular field of view cutting the body with mapped or raw padding, arms down, emphysema,
 * a post-surgery small lung, all combined). Series: LIDC-IDRI-0001 and RIDER 1225316081, imported
 * with the project's DICOM importer. Each variant's lung volume must stay within ±10 % of the clean
 * series' mask (less what the variant removes).
 *
 * Not asserted here (measured by `npm run bench -- robustness`, listed in the README as known
 * limits): `dense-lower-lobes` and `effusion` (a 40–60 mm dense dependent band over the lower half
 * of both lungs: −10 to −18 %, the lowest slices hold no aerated lung for the pleural step to
 * start from) and `fov-cut-lung` (a field of view that opens both lungs).
 *
 * Skips with a message when ../shared/data is absent.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reorientToLps } from '../../shared/imaging/geometry.ts';
import { segmentLungs } from '../../shared/imaging/lung-mask.ts';
import { CHEST_CT_SERIES, loadChestCtSeries } from '../support/chest-ct-series.ts';
import { ARTIFACT_VARIANTS } from '../support/lung-artifacts.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../support/shared-data.ts';

const KNOWN_LIMITS = new Set(['dense-lower-lobes', 'effusion', 'fov-cut-lung']);

for (const id of ['lidc-idri-0001', 'rider-1225316081']) {
  test(`${id}: lung volume within ±10 % under every everyday artifact`, async (t) => {
    if (!sharedDataDir()) {
      t.skip(SHARED_DATA_MISSING);
      return;
    }
    const series = CHEST_CT_SERIES.find((s) => s.id === id);
    assert.ok(series);
    const loaded = await loadChestCtSeries(series);
    assert.ok(loaded);
    const v = reorientToLps(loaded);
    const clean = segmentLungs(v);
    const failures: string[] = [];
    for (const variant of ARTIFACT_VARIANTS) {
      if (KNOWN_LIMITS.has(variant.name)) continue;
      const made = variant.apply(v, clean.labels);
      const m = segmentLungs(made.volume);
      const ml = m.rightVolumeMl + m.leftVolumeMl;
      const rel = (ml - made.expectedLungMl) / made.expectedLungMl;
      const sidesOk = m.rightVolumeMl > 0.5 * made.expectedRightMl && m.leftVolumeMl > 0.5 * made.expectedLeftMl;
      if (Math.abs(rel) > 0.1 || !sidesOk)
        failures.push(`${variant.name}: ${ml.toFixed(0)} mL vs ${made.expectedLungMl.toFixed(0)} mL (${(100 * rel).toFixed(1)} %)`);
    }
    assert.deepEqual(failures, []);
  });
}
