/**
 * Robustness of the lung mask on real scans: prints ONE JSON object (and the same table as
 * Markdown on stderr).
 *
 *   npm run bench -- robustness
 *   node_modules/.bin/node --import tsx test/bench/robustness.bench.ts [--series id,…] [--variants name,…]
 *
 * Input: every DICOM series of `../shared/data/chest-ct` (imported with the project's importer,
 * {@link CHEST_CT_SERIES}) and, for each, every artifact variant of
 * `test/support/lung-artifacts.ts` (blanket folds, tubing, ECG, mattress, field-of-view cuts,
 * arms, dense lungs, effusion, emphysema, post-surgery, all combined) painted into it.
 *
 * Per row: lung volume of the classical mask (`segmentLungs`), the expected volume (clean
 * series: `lungvol_L` of its hu_check.txt, an independent air-only reference; variant: the clean
 * series' own mask, less what the variant removes), the difference in %, right/left volumes,
 * mask warnings, and `ok` (within ±10 % of the expected volume; ±12 % for the clean series
 * against hu_check, whose air-only volume leaves out the vessels and dense lung our mask holds).
 *
 * Burden and QC flags are not in this table: the burden needs the lesion model (minutes per
 * series on 2 CPU cores, times 4 × 15 rows), and no QC module exists on main yet. Skips with a
 * message when the team data is absent.
 */
import { parseArgs } from 'node:util';
import { segmentLungs } from '../../shared/imaging/lung-mask.ts';
import { reorientToLps } from '../../shared/imaging/geometry.ts';
import { CHEST_CT_SERIES, loadChestCtSeries, referenceLungMl } from '../support/chest-ct-series.ts';
import { ARTIFACT_VARIANTS } from '../support/lung-artifacts.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../support/shared-data.ts';

const { values: args } = parseArgs({
  options: { series: { type: 'string' }, variants: { type: 'string' } },
});
const seriesFilter = args.series?.split(',');
const variantFilter = args.variants?.split(',');

interface Row {
  series: string;
  variant: string;
  lungMl: number;
  expectedMl: number | null;
  expectedFrom: 'hu_check.txt' | 'clean mask';
  deltaPercent: number | null;
  rightMl: number;
  leftMl: number;
  ok: boolean | null;
  maskMs: number;
  warnings: string[];
}

const r0 = (x: number): number => Math.round(x);

async function main(): Promise<void> {
  if (!sharedDataDir()) {
    console.log(JSON.stringify({ skipped: SHARED_DATA_MISSING }));
    return;
  }
  const rows: Row[] = [];
  for (const s of CHEST_CT_SERIES) {
    if (seriesFilter && !seriesFilter.includes(s.id)) continue;
    process.stderr.write(`robustness: ${s.id} …\n`);
    const loaded = await loadChestCtSeries(s);
    if (!loaded) continue;
    const v = reorientToLps(loaded);
    const t0 = performance.now();
    const clean = segmentLungs(v);
    const cleanMs = performance.now() - t0;
    const cleanMl = clean.rightVolumeMl + clean.leftVolumeMl;
    const ref = referenceLungMl(s);
    const refDelta = ref ? (100 * (cleanMl - ref)) / ref : null;
    rows.push({
      series: s.id,
      variant: 'clean',
      lungMl: r0(cleanMl),
      expectedMl: ref,
      expectedFrom: 'hu_check.txt',
      deltaPercent: refDelta === null ? null : +refDelta.toFixed(1),
      rightMl: r0(clean.rightVolumeMl),
      leftMl: r0(clean.leftVolumeMl),
      ok: refDelta === null ? null : Math.abs(refDelta) <= 12,
      maskMs: r0(cleanMs),
      warnings: [...clean.warnings],
    });
    for (const a of ARTIFACT_VARIANTS) {
      if (variantFilter && !variantFilter.includes(a.name)) continue;
      const made = a.apply(v, clean.labels);
      const t1 = performance.now();
      const m = segmentLungs(made.volume);
      const ms = performance.now() - t1;
      const ml = m.rightVolumeMl + m.leftVolumeMl;
      const delta = (100 * (ml - made.expectedLungMl)) / made.expectedLungMl;
      rows.push({
        series: s.id,
        variant: a.name,
        lungMl: r0(ml),
        expectedMl: r0(made.expectedLungMl),
        expectedFrom: 'clean mask',
        deltaPercent: +delta.toFixed(1),
        rightMl: r0(m.rightVolumeMl),
        leftMl: r0(m.leftVolumeMl),
        ok: Math.abs(delta) <= 10,
        maskMs: r0(ms),
        warnings: [...m.warnings],
      });
      process.stderr.write(`  ${a.name}: ${r0(ml)} mL (${delta.toFixed(1)} %)\n`);
    }
  }
  const variants = [...new Set(rows.map((r) => r.variant))];
  const series = [...new Set(rows.map((r) => r.series))];
  const cell = (r: Row | undefined): string =>
    r ? `${(r.lungMl / 1000).toFixed(2)} L (${r.deltaPercent === null ? '–' : `${r.deltaPercent > 0 ? '+' : ''}${r.deltaPercent} %`})${r.ok === false ? ' ✗' : ''}` : '';
  const table = [
    `| variant | ${series.join(' | ')} |`,
    `|---|${series.map(() => '---').join('|')}|`,
    ...variants.map(
      (vn) => `| ${vn} | ${series.map((sn) => cell(rows.find((r) => r.series === sn && r.variant === vn))).join(' | ')} |`,
    ),
  ];
  process.stderr.write(`${table.join('\n')}\n`);
  const failed = rows.filter((r) => r.ok === false).map((r) => `${r.series}/${r.variant}`);
  console.log(
    JSON.stringify({
      tolerance: { variantPercent: 10, cleanVsHuCheckPercent: 12 },
      burden: 'not computed (lesion model: minutes per series on 2 CPU cores); lung volume only',
      qc: 'no shared/qc module on main when this bench was written',
      rows,
      failed,
      table,
    }),
  );
}

await main();
