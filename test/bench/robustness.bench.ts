/**
 * Robustness of the lung mask and the burden on real scans: prints ONE JSON object (and the same
 * tables as Markdown on stderr).
 *
 *   npm run bench -- robustness
 *   node_modules/.bin/node --import tsx test/bench/robustness.bench.ts [--series id,…] [--variants name,…] [--no-lesions] [--classical-only]
 *
 * Input: every DICOM series of `../shared/data/chest-ct` (the project's importer,
 * {@link CHEST_CT_SERIES}) and, for each, every artifact variant of `test/support/lung-artifacts.ts`
 * painted into it. Per row, for the classical mask and for the combined mask (classical + learned,
 * `shared/imaging/combine-lung-masks.ts`, bundle `models/lung-masks/lungnet`): lung volume, its
 * difference from the expected volume (clean: `lungvol_L` of hu_check.txt, air-only; variant: the
 * clean series' classical mask less what the variant removes), `ok` (±10 %; ±12 % clean), the burden
 * of a FIXED lesion map (the shipped lesion model run once on the clean series, every slice; not
 * rerun per variant: the burden column shows what the lung mask does to the number), and the QC
 * flags an analysis would raise (the lung, field-of-view, HU, lesion and lung-mask checks; the
 * DICOM tag checks need the header and are not run here). Skips when the team data is absent.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { reorientToLps } from '../../shared/imaging/geometry.ts';
import { APP_ROOT } from '../../electron/app/paths.ts';
import { listModelBundles } from '../../electron/services/inference/model-registry.ts';
import { findLungNetBundle } from '../../electron/services/lung-net/compute-lung-mask.ts';
import { CHEST_CT_SERIES, loadChestCtSeries, referenceLungMl } from '../support/chest-ct-series.ts';
import { ARTIFACT_VARIANTS } from '../support/lung-artifacts.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../support/shared-data.ts';
import { type MaskFigures, robustnessRow } from './robustness-row.ts';
import { cleanLesionMap } from './robustness-lesions.ts';

const { values: args } = parseArgs({
  options: {
    series: { type: 'string' },
    variants: { type: 'string' },
    'no-lesions': { type: 'boolean' },
    'classical-only': { type: 'boolean' },
  },
});
const seriesFilter = args.series?.split(',');
const variantFilter = args.variants?.split(',');

interface Row {
  series: string;
  variant: string;
  expectedMl: number | null;
  expectedFrom: 'hu_check.txt' | 'clean mask';
  classical: MaskFigures & { deltaPercent: number | null; ok: boolean | null };
  combined: (MaskFigures & { deltaPercent: number | null; ok: boolean | null }) | null;
}

const withDelta = (m: MaskFigures, expected: number | null, tol: number) => {
  const d = expected ? (100 * (m.lungMl - expected)) / expected : null;
  return { ...m, deltaPercent: d === null ? null : +d.toFixed(1), ok: d === null ? null : Math.abs(d) <= tol };
};

async function main(): Promise<void> {
  if (!sharedDataDir()) {
    console.log(JSON.stringify({ skipped: SHARED_DATA_MISSING }));
    return;
  }
  const lungNet = args['classical-only'] ? null : await findLungNetBundle();
  const lesionBundle = args['no-lesions'] ? null : ((await listModelBundles({ builtinDir: join(APP_ROOT, 'models') })).bundles[0] ?? null);
  const rows: Row[] = [];
  for (const s of CHEST_CT_SERIES) {
    if (seriesFilter && !seriesFilter.includes(s.id)) continue;
    process.stderr.write(`robustness: ${s.id} …\n`);
    const loaded = await loadChestCtSeries(s);
    if (!loaded) continue;
    const v = reorientToLps(loaded);
    const lesion = lesionBundle ? await cleanLesionMap(s.id, v, lesionBundle) : null;
    const clean = await robustnessRow(v, lesion, lungNet);
    const ref = referenceLungMl(s);
    const add = (variant: string, expected: number | null, from: Row['expectedFrom'], f: typeof clean, tol: number): void => {
      rows.push({
        series: s.id,
        variant,
        expectedMl: expected === null ? null : Math.round(expected),
        expectedFrom: from,
        classical: withDelta(f.classical, expected, tol),
        combined: f.combined ? withDelta(f.combined, expected, tol) : null,
      });
      const last = rows.at(-1);
      if (last) process.stderr.write(`${markdown([last]).at(-1)}\n`);
    };
    add('clean', ref, 'hu_check.txt', clean, 12);
    const cleanLabels = { ...v, data: clean.classicalLabels };
    for (const a of ARTIFACT_VARIANTS) {
      if (variantFilter && !variantFilter.includes(a.name)) continue;
      const made = a.apply(v, cleanLabels);
      add(a.name, made.expectedLungMl, 'clean mask', await robustnessRow(made.volume, lesion, lungNet), 10);
    }
  }
  const table = markdown(rows);
  process.stderr.write(`${table.join('\n')}\n`);
  const failed = (k: 'classical' | 'combined') => rows.filter((r) => r[k]?.ok === false).map((r) => `${r.series}/${r.variant}`);
  console.log(
    JSON.stringify({
      tolerance: { variantPercent: 10, cleanVsHuCheckPercent: 12 },
      lesionModel: lesionBundle
        ? `${lesionBundle.metadata.name} ${lesionBundle.metadata.version} (run once per clean series; fixed lesion map)`
        : null,
      lungNet: lungNet ? `${lungNet.metadata.name} ${lungNet.metadata.version}` : null,
      rows,
      failedClassical: failed('classical'),
      failedCombined: failed('combined'),
      table,
    }),
  );
}

/** One Markdown table: a row per series × variant, classical and combined side by side. */
function markdown(rows: readonly Row[]): string[] {
  const vol = (m: Row['classical'] | null): string =>
    m
      ? `${(m.lungMl / 1000).toFixed(2)} L (${m.deltaPercent === null ? '–' : `${m.deltaPercent > 0 ? '+' : ''}${m.deltaPercent} %`})${m.ok === false ? ' ✗' : ''}`
      : '–';
  const bur = (m: MaskFigures | null): string => (m?.burdenPercent == null ? '–' : `${m.burdenPercent.toFixed(2)} %`);
  const qc = (m: MaskFigures | null): string => (m ? m.qc.filter((f) => !f.endsWith(':info')).join(', ') || '–' : '–');
  return [
    '| series | variant | lung, classical | lung, combined | burden, classical | burden, combined | QC, classical | QC, combined |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.series} | ${r.variant} | ${vol(r.classical)} | ${vol(r.combined)} | ${bur(r.classical)} | ${bur(r.combined)} | ${qc(r.classical)} | ${qc(r.combined)} |`,
    ),
  ];
}

await main();
