/**
 * Writes each real series of `../shared/data/chest-ct` with its classical lung mask for the
 * learned lung mask's training and evaluation (`models/training/lungburden/lungnet`):
 * `<out>/<id>.i16` (HU, Int16), `<out>/<id>.u8` (0 outside, 1 right, 2 left) and `<out>/<id>.json`
 * (size [i, j, k], spacingMm, direction). Voxel order is the Volume's (i fastest), i.e. numpy
 * `[k, j, i]`; the series are LPS-aligned, so rows run anterior → posterior and columns
 * patient right → left (radiological display). Usage:
 * `node --import tsx scripts/lungnet-dump-series.ts [out-dir]` (default models/training/cache/lungnet).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentLungs } from '../shared/imaging/lung-mask.ts';
import { CHEST_CT_SERIES, loadChestCtSeries } from '../test/support/chest-ct-series.ts';

const out = process.argv[2] ?? join('models', 'training', 'cache', 'lungnet');
mkdirSync(out, { recursive: true });
for (const series of CHEST_CT_SERIES) {
  const volume = await loadChestCtSeries(series);
  if (!volume) {
    console.error(`no team data: ${series.id} skipped`);
    continue;
  }
  const res = segmentLungs(volume);
  const { data, ...geometry } = volume;
  writeFileSync(join(out, `${series.id}.i16`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  writeFileSync(join(out, `${series.id}.u8`), res.labels.data);
  writeFileSync(
    join(out, `${series.id}.json`),
    JSON.stringify({ ...geometry, rightVolumeMl: res.rightVolumeMl, leftVolumeMl: res.leftVolumeMl }),
  );
  console.log(`${series.id}: ${geometry.size.join('x')} lung ${((res.rightVolumeMl + res.leftVolumeMl) / 1000).toFixed(2)} L`);
}
