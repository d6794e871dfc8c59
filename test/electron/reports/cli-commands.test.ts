import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runReportCommand } from '../../../electron/cli/report-command.ts';
import { runRocCommand } from '../../../electron/cli/roc-command.ts';
import { burdenCsv, failedCohortRow } from '../../../shared/export/burden-csv.ts';
import { CohortLabelsError } from '../../../shared/export/join-cohort-labels.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';

const dir = mkdtempSync(join(tmpdir(), 'lb-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('roc command: joins cohort and labels on source, writes json/csv/png, matches the hand example', async () => {
  const scores = [0.9, 0.8, 0.7, 0.7, 0.6, 0.4, 0.3, 0.2];
  const truth = [1, 1, 0, 1, 1, 0, 0, 0];
  const cohort = join(dir, 'cohort.csv');
  writeFileSync(
    cohort,
    burdenCsv([...scores.map((s, i) => ({ source: `c${i}`, status: 'ok', burden_percent: s })), failedCohortRow('broken', 'x')]),
  );
  const labels = join(dir, 'labels.csv');
  writeFileSync(labels, `source,covid\n${truth.map((t, i) => `c${i},${t ? 'positive' : 'negative'}`).join('\n')}\nbroken,1\n`);
  const lines: string[] = [];
  const r = await runRocCommand({
    cohortCsv: cohort,
    labelsCsv: labels,
    column: 'covid',
    out: join(dir, 'roc'),
    threshold: 0.7,
    log: (m) => lines.push(m),
  });
  assert.equal(r.auroc, 14.5 / 16);
  assert.equal(r.keyColumn, 'source');
  assert.deepEqual(r.unmatched, ['broken']);
  assert.equal(r.atTargetSensitivity.threshold, 0.6);
  assert.equal(r.atTargetSensitivity.specificity, 0.75);
  assert.equal(r.atThreshold?.sensitivity, 0.75);
  for (const f of ['roc.json', 'roc-points.csv', 'roc.png']) assert.ok(existsSync(join(dir, 'roc', f)), f);
  assert.equal((JSON.parse(readFileSync(join(dir, 'roc', 'roc.json'), 'utf8')) as { auroc: number }).auroc, 0.90625);
  assert.ok(lines.some((l) => l.includes('AUROC 0.9063')));
  await assert.rejects(runRocCommand({ cohortCsv: cohort, labelsCsv: labels, column: 'nope', out: join(dir, 'roc2') }), CohortLabelsError);
});

test('report command: a NIfTI path is imported, analysed (no model) and reported', async () => {
  const nii = join(dir, 'chest.nii.gz');
  writeFileSync(nii, writeNifti(syntheticChest([48, 44, 16], [6, 6, 12]).volume));
  const files = await runReportCommand({
    target: nii,
    out: join(dir, 'reports'),
    dataDir: join(dir, 'store'),
    log: () => {},
    noModel: true,
  });
  assert.match(files.pdfPath, /case-1\.pdf$/);
  assert.ok(existsSync(files.pdfPath) && existsSync(files.jsonPath) && existsSync(files.csvPath));
  assert.ok(files.data.burden.lungVolumeMl > 0);
  assert.equal(files.data.provenance.lesion, null);
  // The case id form reuses the stored analysis.
  const again = await runReportCommand({
    target: '1',
    out: join(dir, 'again.pdf'),
    dataDir: join(dir, 'store'),
    log: () => {},
    noModel: true,
  });
  assert.equal(again.data.burden.lungVolumeMl, files.data.burden.lungVolumeMl);
});
