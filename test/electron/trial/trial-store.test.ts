import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { getTrialInfo, listTrialInfo, setTrialInfo } from '../../../electron/services/trial/trial-store.ts';
import { subjectTimelineOf } from '../../../electron/services/trial/subject-timeline.ts';
import { verifyAuditTrail } from '../../../electron/services/audit/verify-audit-trail.ts';
import { EMPTY_TRIAL_FIELDS, type TrialFields } from '../../../shared/trial/trial-info.ts';
import { makeResultCase } from '../../support/result-case.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signAs } from '../../support/test-readers.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';

const ADMIN = { name: 'admin', role: 'admin' };
const fields = (o: Partial<TrialFields>): TrialFields => ({
  ...EMPTY_TRIAL_FIELDS,
  protocolId: 'COV-301',
  siteId: 'S07',
  subjectId: '07-0042',
  ...o,
});

function withStore(fn: (store: CaseStore) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lb-trial-'));
  const store = CaseStore.open(dir);
  try {
    fn(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an import with DICOM Clinical Trial attributes stores them (source dicom) with an audit entry in the same transaction', () => {
  withStore((store) => {
    const meta = seriesMetadata({
      studyDate: '20240105',
      clinicalTrial: {
        sponsorName: 'Acme',
        protocolId: 'COV-301',
        protocolName: '',
        siteId: 'S07',
        siteName: '',
        subjectId: '07-0042',
        timePointId: 'BL',
        timePointDescription: 'Baseline',
      },
    });
    const { caseId } = store.addSeries({
      metadata: meta,
      volume: syntheticVolume([8, 8, 4], 3),
      sourcePath: '/x',
      sourceKind: 'dicom',
      issues: [],
    });
    const t = getTrialInfo(store.db, caseId);
    assert.equal(t?.source, 'dicom');
    assert.equal(t.visitLabel, 'BL');
    assert.equal(t.visitOrder, 0);
    assert.equal(t.visitDate, '2024-01-05');
    assert.equal(t.sponsorName, 'Acme');
    const e = store.audit.entries({ caseId }).find((x) => x.action === 'trial.set');
    assert.equal(e?.details['source'], 'dicom');
    // A series without trial attributes stores nothing.
    const other = store.addSeries({
      metadata: seriesMetadata(),
      volume: syntheticVolume([8, 8, 4], 4),
      sourcePath: '/y',
      sourceKind: 'dicom',
      issues: [],
    });
    assert.equal(getTrialInfo(store.db, other.caseId), null);
    assert.equal(verifyAuditTrail(store.db, store.audit).ok, true);
  });
});

test('edits are audited with before/after per field; an unchanged set writes nothing; rows are never deleted', () => {
  withStore((store) => {
    const { caseId } = makeResultCase(store, { sign: false, seed: 1 });
    setTrialInfo(store.db, store.audit, caseId, fields({ visitLabel: 'baseline', visitOrder: 0 }), { actor: ADMIN, source: 'import' });
    const n = store.audit.count();
    setTrialInfo(store.db, store.audit, caseId, fields({ visitLabel: 'baseline', visitOrder: 0 }), { actor: ADMIN, source: 'edit' });
    assert.equal(store.audit.count(), n, 'no change, no entry');
    const after = setTrialInfo(store.db, store.audit, caseId, fields({ siteId: 'S08', visitLabel: 'baseline', visitOrder: 0 }), {
      actor: { name: 'jane', role: 'reader' },
      source: 'edit',
    });
    assert.equal(after.updatedBy, 'jane (reader)');
    assert.equal(after.source, 'edit');
    const e = store.audit
      .entries({ caseId })
      .filter((x) => x.action === 'trial.set')
      .at(-1);
    assert.deepEqual(e?.details['changes'], { siteId: ['S07', 'S08'] });
    assert.equal(e.actor, 'jane');
    assert.match(e.entitySha256, /^[0-9a-f]{64}$/);
    assert.throws(() => store.db.prepare('DELETE FROM case_trial_info WHERE case_id = ?').run(caseId), /never deleted/);
    assert.throws(() => setTrialInfo(store.db, store.audit, 9999, fields({}), { actor: ADMIN, source: 'edit' }), /does not exist/);
    assert.equal(listTrialInfo(store.db).length, 1);
  });
});

test('a signed case: trial information changes only with a reason, which the audit trail records', () => {
  withStore((store) => {
    const { caseId } = makeResultCase(store, { sign: true, seed: 2 });
    assert.throws(
      () => setTrialInfo(store.db, store.audit, caseId, fields({ visitOrder: 1 }), { actor: ADMIN, source: 'edit' }),
      /signed: .*reason/,
    );
    assert.throws(
      () => setTrialInfo(store.db, store.audit, caseId, fields({ visitOrder: 1 }), { actor: ADMIN, source: 'edit', reason: '  ' }),
      /reason/,
    );
    assert.equal(getTrialInfo(store.db, caseId), null, 'nothing stored by a refused change');
    setTrialInfo(store.db, store.audit, caseId, fields({ visitOrder: 1 }), {
      actor: ADMIN,
      source: 'edit',
      reason: 'site sent the wrong subject id (query 12)',
    });
    const e = store.audit
      .entries({ caseId })
      .filter((x) => x.action === 'trial.set')
      .at(-1);
    assert.equal(e?.details['reason'], 'site sent the wrong subject id (query 12)');
    assert.equal(e.details['caseSigned'], true);
    assert.equal(verifyAuditTrail(store.db, store.audit).ok, true);
  });
});

test('the subject timeline uses each case result (signed version), flags unsigned ones, and ignores other subjects', () => {
  withStore((store) => {
    const base = makeResultCase(store, { sign: true, seed: 11 });
    const fu1 = makeResultCase(store, { sign: false, seed: 12 });
    const other = makeResultCase(store, { sign: false, seed: 13 });
    setTrialInfo(store.db, store.audit, base.caseId, fields({ visitLabel: 'baseline', visitOrder: 0, visitDate: '2024-01-05' }), {
      actor: ADMIN,
      source: 'edit',
      reason: 'enrolment record',
    });
    setTrialInfo(store.db, store.audit, fu1.caseId, fields({ visitLabel: 'follow-up 1', visitOrder: 1, visitDate: '2024-03-01' }), {
      actor: ADMIN,
      source: 'edit',
    });
    setTrialInfo(store.db, store.audit, other.caseId, fields({ subjectId: '07-0043', visitOrder: 0 }), { actor: ADMIN, source: 'edit' });
    const t = subjectTimelineOf(store, fu1.caseId);
    assert.ok(t);
    assert.deepEqual(
      t.timepoints.map((p) => p.caseId),
      [base.caseId, fu1.caseId],
    );
    assert.equal(t.baselineCaseId, base.caseId);
    const [b, f] = t.timepoints;
    assert.equal(b?.resultState, 'signed');
    assert.equal(f?.resultState, 'unsigned');
    assert.equal(f.provisional, true);
    // each timepoint carries how its series was reconstructed; alike here, so no comparability note
    assert.deepEqual(f.acquisition, { kernel: 'LUNG', sliceSpacingMm: 2.5 });
    assert.ok(!f.notes.some((n) => /kernel|slices .* apart/.test(n)), f.notes.join('; '));
    // The signed result's burden is the one of the signed version v2, not a later draft.
    const signedBurden = store.burdenOf(base.caseId, asLabelVersionId(base.v2), store.caseResult(base.caseId)!.signature.lungVersionId)
      ?.burden.burdenPercent;
    assert.equal(b.burdenPercent, signedBurden);
    assert.ok(f.changeBurdenPp !== null && Math.abs(f.changeBurdenPp - ((f.burdenPercent ?? 0) - b.burdenPercent)) < 1e-12);
    // Once the follow-up is signed, its timepoint shows the signed result.
    signAs(store, fu1.caseId, asLabelVersionId(fu1.v2), 'Jane Reader');
    assert.equal(subjectTimelineOf(store, fu1.caseId)?.timepoints[1]?.resultState, 'signed');
    assert.equal(subjectTimelineOf(store, 99999), null);
  });
});
