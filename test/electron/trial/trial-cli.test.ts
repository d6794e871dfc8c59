// `lung-burden import … --protocol …` and `lung-burden trial set|show` as a core-lab operator uses them,
// on a small CT series generated with dcmjs (with and without DICOM Clinical Trial attributes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { makeCtDicom, ramp, type Attributes } from '../../shared/dicom/make-dicom.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { makeResultCase } from '../../support/result-case.ts';

const cli = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 120_000,
  });

function writeSeries(dir: string, series: string, attrs: Attributes): string {
  mkdirSync(dir, { recursive: true });
  for (const z of [0, 2, 4, 6]) {
    writeFileSync(
      join(dir, `${z}.dcm`),
      makeCtDicom(ramp(4, 5, z + Number(series.slice(-2)) * 100), 4, 5, {
        ImagePositionPatient: [0, 0, z],
        StudyDate: '20240201',
        SeriesInstanceUID: series,
        ...attrs,
      }),
    );
  }
  return dir;
}

interface Shown {
  trial: {
    protocolId: string;
    siteId: string;
    subjectId: string;
    visitLabel: string;
    visitOrder: number | null;
    visitDate: string;
    source: string;
    updatedBy: string;
  } | null;
}

test('import reads the DICOM trial attributes, flags override them, trial set edits, bad flags are usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-trial-cli-'));
  const data = join(dir, 'data');
  try {
    // DICOM attributes only.
    const a = cli(
      [
        'import',
        writeSeries(join(dir, 'a'), '1.2.826.0.1.3680043.8.498.71', {
          ClinicalTrialProtocolID: 'COV-301',
          ClinicalTrialSiteID: 'S07',
          ClinicalTrialSubjectID: '07-0042',
          ClinicalTrialTimePointID: 'BL',
        }),
      ],
      data,
    );
    assert.equal(a.status, 0, a.stderr);
    const caseA = a.stdout.split('\t')[0] ?? '';
    const shownA = JSON.parse(cli(['trial', 'show', caseA, '--json'], data).stdout) as Shown;
    assert.equal(shownA.trial?.source, 'dicom');
    assert.equal(shownA.trial.visitOrder, 0);
    assert.equal(shownA.trial.visitDate, '2024-02-01', 'visit date = StudyDate');

    // Flags given at import override the DICOM values; the visit order follows the label.
    const b = cli(
      [
        'import',
        writeSeries(join(dir, 'b'), '1.2.826.0.1.3680043.8.498.72', {
          ClinicalTrialProtocolID: 'COV-301',
          ClinicalTrialSubjectID: '07-0042',
        }),
        '--visit',
        'follow-up 1',
        '--site',
        'S07',
      ],
      data,
    );
    assert.equal(b.status, 0, b.stderr);
    const caseB = b.stdout.split('\t')[0] ?? '';
    const shownB = JSON.parse(cli(['trial', 'show', caseB, '--json'], data).stdout) as Shown & {
      timeline: { baselineCaseId: number; timepoints: { caseId: number }[] };
    };
    assert.equal(shownB.trial?.source, 'import');
    assert.equal(shownB.trial.visitLabel, 'follow-up 1');
    assert.equal(shownB.trial.visitOrder, 1);
    assert.equal(shownB.trial.protocolId, 'COV-301');
    assert.equal(shownB.timeline.baselineCaseId, Number(caseA));
    assert.deepEqual(
      shownB.timeline.timepoints.map((p) => p.caseId),
      [Number(caseA), Number(caseB)],
    );

    // An edit, shown in human form with the timeline.
    const set = cli(['trial', 'set', caseB, '--visit-date', '2024-03-04', '--visit-order', '2'], data);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /visit follow-up 1 \(order 2, 2024-03-04\)/);
    assert.match(set.stdout, /baseline: case \d+/);
    const audit = cli(['audit', caseB, '--json'], data);
    assert.match(audit.stdout, /"trial\.set"/);

    // Bad values: usage error (exit 2), nothing imported or changed.
    const bad = cli(['import', join(dir, 'a'), '--visit-date', '2024-13-45'], data);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--visit-date must be a date/);
    assert.equal(cli(['trial', 'set', caseB, '--visit-order', 'first'], data).status, 2);
    assert.equal(cli(['trial', 'set', caseB], data).status, 2);
    assert.equal(cli(['trial', 'set', caseB, '--subject', 'x\\y'], data).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trial set on a signed case needs --reason (exit 1 without), which the audit trail keeps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-trial-cli-signed-'));
  try {
    const store = CaseStore.open(dir);
    const { caseId } = makeResultCase(store, { sign: true, seed: 5 });
    store.close();
    const refused = cli(['trial', 'set', String(caseId), '--subject', '07-0042', '--visit', 'baseline'], dir);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /signed: .*reason/);
    const ok = cli(
      [
        'trial',
        'set',
        String(caseId),
        '--subject',
        '07-0042',
        '--visit',
        'baseline',
        '--reason',
        'subject id from the site transmittal form',
      ],
      dir,
    );
    assert.equal(ok.status, 0, ok.stderr);
    const audit = cli(['audit', String(caseId), '--json'], dir);
    assert.match(audit.stdout, /subject id from the site transmittal form/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
