// Blinded double read, enforced on the main side: through the same typed contract the renderer
// uses, a reader assigned to a case whose reads are open gets only the AI output (or nothing when
// the study hides it) and their own versions, on every path that shows a read; once both reads
// are signed the agreement is computed and the case routed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseDetail, CaseSummary, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { AuditEntryView } from '../../../shared/contracts/audit.ts';
import type { BurdenView } from '../../../shared/contracts/workstation.ts';
import type { CaseReadView } from '../../../shared/domain/read-study.ts';
import type { SubjectTimeline } from '../../../shared/trial/change-from-baseline.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';
import { readStudyFixture, study, type ReadStudyFixture } from './read-study-fixture.ts';
import { encodeLabelPatch } from '../../../shared/imaging/label-patch-format.ts';

const refusedBlind = (e: Error): boolean => /read blind|blinded reads are open|not available|once both reads are signed/.test(e.message);

/** Saves `bytes` edited by `edit` as the signed-in reader's version (parent: the AI version); waits for its burden. */
async function saveEdit(f: ReadStudyFixture, edit: (labels: Uint8Array) => void): Promise<LabelVersionInfo> {
  const labels = (await f.call('cases.labelBytes', [f.aiVersion])) as Uint8Array;
  const copy = labels.slice();
  edit(copy);
  const v = (await f.call('cases.saveLesionLabels', [f.caseId, copy, f.aiVersion, 'my read'])) as LabelVersionInfo;
  await f.call('cases.burden', [f.caseId]);
  return v;
}

const row = async (f: ReadStudyFixture): Promise<CaseSummary> =>
  ((await f.call('cases.list', [])) as CaseSummary[]).find((c) => c.id === f.caseId)!;

describe('a blinded reader never gets the other read (reader 1 signed, reader 2 reading)', () => {
  let f: ReadStudyFixture;
  let aliceRead: LabelVersionInfo;
  let aliceBurden: number;
  let aiBurden: number;
  before(async () => {
    f = await readStudyFixture();
    await f.call('trial.set', [
      f.caseId,
      {
        protocolId: 'LB-TRIAL-01',
        sponsorName: '',
        siteId: 'S1',
        subjectId: '001',
        visitLabel: 'baseline',
        visitDescription: '',
        visitOrder: 0,
        visitDate: '2024-01-05',
      },
      null,
      'edit',
    ]);
    await f.as('alice');
    aliceRead = await saveEdit(f, (l) => l.fill(0, 0, 600));
    aliceBurden = ((await f.call('cases.burden', [f.caseId])) as BurdenView).burdenPercent;
    await f.call('autosave.stage', [f.caseId, (await f.call('cases.labelBytes', [aliceRead.id])) as Uint8Array, aliceRead.id]);
    await f.call('cases.signOff', [f.caseId, aliceRead.id, TEST_PASSWORD]);
    aiBurden = f.ws.store.burdenOf(f.caseId, f.aiVersion as never, f.ws.store.latestLabelVersion(f.caseId, 'lung')!.id)!.burden
      .burdenPercent;
    assert.notEqual(aiBurden, aliceBurden);
    await f.as('bob');
  });
  after(async () => f.close());

  test('cases.get (review screen, history panel): the AI version and the lung mask only; no signature, no result', async () => {
    const d = (await f.call('cases.get', [f.caseId])) as CaseDetail;
    assert.deepEqual(
      d.labelVersions.filter((v) => v.kind === 'lesion').map((v) => v.author.kind),
      ['model'],
    );
    assert.ok(d.labelVersions.every((v) => v.signature === null || v.signature === undefined));
    assert.equal(d.result, null);
    assert.equal(d.status, 'ai-done');
  });
  test('cases.list (worklist): the AI burden, no result, no last reader, not "signed"', async () => {
    const r = await row(f);
    assert.equal(r.burdenPercent, aiBurden);
    assert.equal(r.result, null);
    assert.equal(r.lastReader, null);
    assert.equal(r.status, 'ai-done');
  });
  test('cases.burden (burden panel): the AI burden', async () => {
    assert.equal(((await f.call('cases.burden', [f.caseId])) as BurdenView).burdenPercent, aiBurden);
  });
  test("trial.timeline (subject timeline): the AI burden, unsigned, not reader 1's", async () => {
    const tl = (await f.call('trial.timeline', [f.caseId])) as SubjectTimeline;
    assert.deepEqual(
      tl.timepoints.map((t) => [t.caseId, t.burdenPercent, t.resultState]),
      [[f.caseId, aiBurden, 'unsigned']],
    );
  });
  test('cases.labelBytes and cases.compareVersions refuse the other read', async () => {
    await assert.rejects(f.call('cases.labelBytes', [aliceRead.id]), refusedBlind);
    await assert.rejects(f.call('cases.compareVersions', [f.aiVersion, aliceRead.id]), refusedBlind);
  });
  test('cases.signOff and cases.saveLesionLabels cannot sign or derive from the other read', async () => {
    await assert.rejects(f.call('cases.signOff', [f.caseId, aliceRead.id, TEST_PASSWORD]), refusedBlind);
    await assert.rejects(f.call('cases.saveLesionLabels', [f.caseId, new Uint8Array(16 * 12 * 9), aliceRead.id, '']), refusedBlind);
  });
  test('labelPatches: refused alike while blinded (whether reader 1 saved is not told); the other read is not a parent', async () => {
    const bytes = encodeLabelPatch([], new Uint8Array(0));
    const sha = 'ab'.repeat(32);
    await assert.rejects(f.call('labelPatches.saveLesionPatch', [f.caseId, bytes, aliceRead.id, sha, '']), refusedBlind);
    for (const call of [
      ['saveLesionPatch', [f.caseId, bytes, f.aiVersion, sha, '']],
      ['stageLesionPatch', [f.caseId, bytes, f.aiVersion, sha]],
      ['saveLungPatch', [f.caseId, bytes, null, sha, '']],
      ['stageLungPatch', [f.caseId, bytes, null, sha]],
    ] as const) {
      await assert.rejects(
        f.call(`labelPatches.${call[0]}`, [...call[1]]),
        (e: Error & { code?: string }) =>
          e.code === 'stale-parent' && /open blinded read/.test(e.message) && !/alice|version 2/i.test(e.message),
      );
    }
  });
  test('exports.run (report, NIfTI), pacs.pushResults and readStudies.caseAgreement are refused', async () => {
    await assert.rejects(f.call('exports.run', [f.caseId, { format: 'report-csv', deidentify: false }]), refusedBlind);
    await assert.rejects(f.call('exports.run', [f.caseId, { format: 'nifti', deidentify: false }]), refusedBlind);
    await assert.rejects(f.call('pacs.pushResults', ['node-1', f.caseId, { preliminary: true }]), refusedBlind);
    await assert.rejects(f.call('readStudies.caseAgreement', [f.caseId]), refusedBlind);
  });
  test('audit.entries (audit view, one case and all): nothing reader 1 did, no signature, no status change, not who reads', async () => {
    const audit = (await f.call('audit.entries', [f.caseId])) as AuditEntryView[];
    assert.ok(audit.length > 0);
    assert.ok(
      audit.every(
        (e) =>
          e.actor !== 'alice' && e.action !== 'signature' && e.action !== 'status.change' && !JSON.stringify(e.details).includes('alice'),
      ),
      JSON.stringify(audit.map((e) => [e.actor, e.action])),
    );
    const all = (await f.call('audit.entries', [null])) as AuditEntryView[];
    assert.ok(all.filter((e) => e.caseId === f.caseId).every((e) => e.actor !== 'alice'));
  });
  test("autosave: reader 1's unsaved edits are not offered, listed or discarded by reader 2", async () => {
    assert.deepEqual(await f.call('autosave.recover', [f.caseId]), { kind: 'none' });
    await assert.rejects(f.call('autosave.recoveredBytes', [f.caseId]), /no autosaved edits of yours/);
    await assert.rejects(f.call('autosave.discard', [f.caseId]), /not yours to discard/);
    assert.ok(!((await f.call('autosave.pending', [])) as number[]).includes(f.caseId));
  });
  test('readStudies.caseStates (worklist): awaiting reads, blinded, own slot only', async () => {
    const states = (await f.call('readStudies.caseStates', [])) as CaseReadView[];
    assert.deepEqual(
      states.map((s) => [s.caseId, s.state, s.blinded, s.mySlots]),
      [[f.caseId, 'awaiting-reads', true, ['read2']]],
    );
  });
  test('an admin holding no slot sees everything; an unassigned reader is blinded and cannot sign a read', async () => {
    await f.as('admin');
    assert.ok(((await f.call('cases.get', [f.caseId])) as CaseDetail).labelVersions.some((v) => v.id === aliceRead.id));
    await f.as('dave');
    assert.ok(!((await f.call('cases.get', [f.caseId])) as CaseDetail).labelVersions.some((v) => v.id === aliceRead.id));
    await assert.rejects(f.call('cases.signOff', [f.caseId, f.aiVersion, TEST_PASSWORD]), /only they sign its reads/);
    await f.as('bob');
  });
});

test('hide AI: a blinded reader gets no model output at all', async () => {
  const f = await readStudyFixture(study({ hideAi: true }));
  try {
    await f.as('bob');
    const d = (await f.call('cases.get', [f.caseId])) as CaseDetail;
    assert.deepEqual(
      d.labelVersions.map((v) => v.kind),
      ['lung'],
    );
    assert.equal(d.modelVersion, null);
    assert.equal((await row(f)).burdenPercent, null);
    assert.equal(await f.call('cases.burden', [f.caseId]), null);
    await assert.rejects(f.call('cases.labelBytes', [f.aiVersion]), refusedBlind);
  } finally {
    await f.close();
  }
});

test('beyond the thresholds: both reads signed → agreement stored, no result, needs adjudication; the adjudicator resolves', async () => {
  const f = await readStudyFixture();
  try {
    await f.as('alice');
    const a = await saveEdit(f, (l) => l.fill(0, 0, 600));
    await f.call('cases.signOff', [f.caseId, a.id, TEST_PASSWORD]);
    await f.as('bob');
    const b = await saveEdit(f, (l) => l.fill(1, 200, 1200));
    // an adjudication before both reads are signed is refused
    await f.as('carol');
    await assert.rejects(f.call('adjudication.sign', [f.caseId, a.id, TEST_PASSWORD, 'too early']), /has an unsigned read/);
    await f.as('bob');
    await f.call('cases.signOff', [f.caseId, b.id, TEST_PASSWORD]);
    // not blinded any more: Bob now sees Alice's read
    assert.ok(((await f.call('cases.get', [f.caseId])) as CaseDetail).labelVersions.some((v) => v.id === a.id));
    const agreement = (await f.call('readStudies.caseAgreement', [f.caseId])) as {
      withinThresholds: boolean;
      exceeded: string[];
      read1: { readerLogin: string };
      read2: { readerLogin: string };
      dice: { lesion: number };
    };
    assert.equal(agreement.withinThresholds, false);
    assert.ok(agreement.exceeded.some((s) => /Dice|burden/.test(s)));
    assert.deepEqual([agreement.read1.readerLogin, agreement.read2.readerLogin], ['alice', 'bob']);
    assert.equal(f.ws.store.caseResult(f.caseId), null, 'beyond the thresholds there is no result until adjudicated');
    assert.equal(((await f.call('readStudies.caseStates', [])) as CaseReadView[])[0]!.state, 'needs-adjudication');
    assert.equal(f.ws.store.audit.entries({ caseId: f.caseId }).filter((e) => e.action === 'read.agreement').length, 1);
    // only the assigned adjudicator adjudicates
    await f.as('dave');
    await assert.rejects(f.call('adjudication.sign', [f.caseId, a.id, TEST_PASSWORD, 'x']), /adjudicat/);
    await f.as('carol');
    const v = (await f.call('adjudication.sign', [f.caseId, b.id, TEST_PASSWORD, 'read 2 covers the basal GGO'])) as LabelVersionInfo;
    const res = f.ws.store.caseResult(f.caseId)!;
    assert.equal(res.signature.kind, 'adjudication');
    assert.equal(res.signature.lesionVersionId, v.id);
    assert.equal(((await f.call('readStudies.caseStates', [])) as CaseReadView[])[0]!.state, 'adjudicated');
  } finally {
    await f.close();
  }
});

test('within the thresholds: the read1 slot’s signed read is the result, whoever signed first', async () => {
  const f = await readStudyFixture(study({ minLesionDice: 0.5, maxBurdenDiffPp: 50 }));
  try {
    await f.as('bob');
    const b = await saveEdit(f, (l) => l.fill(0, 0, 20));
    await f.call('cases.signOff', [f.caseId, b.id, TEST_PASSWORD]);
    assert.equal(f.ws.store.caseResult(f.caseId), null, 'one read signed: no result yet');
    await f.as('alice');
    const a = await saveEdit(f, (l) => l.fill(0, 0, 10));
    await f.call('cases.signOff', [f.caseId, a.id, TEST_PASSWORD]);
    const res = f.ws.store.caseResult(f.caseId)!;
    assert.equal(res.signature.readerLogin, 'alice');
    assert.equal(((await f.call('readStudies.caseStates', [])) as CaseReadView[])[0]!.state, 'agreed');
    assert.equal((await row(f)).result?.signature.readerLogin, 'alice');
  } finally {
    await f.close();
  }
});

test('study administration: admin only, audited, slots checked', async () => {
  const f = await readStudyFixture(study(), false);
  try {
    const pid = 'LB-TRIAL-01';
    await assert.rejects(f.call('readStudies.create', [study()]), /exists already/);
    await assert.rejects(f.call('readStudies.assign', [pid, f.caseId, 'adjudicator', 'alice']), /adjudicator or admin account/);
    await f.call('readStudies.assign', [pid, f.caseId, 'read1', 'alice']);
    await assert.rejects(f.call('readStudies.assign', [pid, f.caseId, 'read2', 'alice']), /three different people/);
    await f.as('alice');
    await assert.rejects(f.call('readStudies.assign', [pid, f.caseId, 'read2', 'bob']), /only an admin/);
    await assert.rejects(f.call('readStudies.create', [study({ protocolId: 'X' })]), /only an admin/);
    const actions = f.ws.store.audit.entries({}).map((e) => e.action);
    assert.ok(actions.includes('read-study.create') && actions.includes('read-study.assign'));
  } finally {
    await f.close();
  }
});

test('the adjudicator may sign a merged version they saved from both reads; it is the result as saved', async () => {
  const f = await readStudyFixture();
  try {
    await f.as('alice');
    const a = await saveEdit(f, (l) => l.fill(1, 0, 300));
    await f.call('cases.signOff', [f.caseId, a.id, TEST_PASSWORD]);
    await f.as('bob');
    const b = await saveEdit(f, (l) => l.fill(1, 700, 1000));
    await f.call('cases.signOff', [f.caseId, b.id, TEST_PASSWORD]);
    await f.as('carol');
    const la = (await f.call('cases.labelBytes', [a.id])) as Uint8Array;
    const lb = (await f.call('cases.labelBytes', [b.id])) as Uint8Array;
    const merged = la.map((x, i) => Math.max(x, lb[i] ?? 0));
    const m = (await f.call('cases.saveLesionLabels', [f.caseId, merged, a.id, 'union of both reads'])) as LabelVersionInfo;
    const signed = (await f.call('adjudication.sign', [
      f.caseId,
      m.id,
      TEST_PASSWORD,
      'both reads found real opacity',
    ])) as LabelVersionInfo;
    assert.equal(signed.id, m.id, "the adjudicator's own unsigned version is signed as is");
    const res = f.ws.store.caseResult(f.caseId);
    assert.equal(res?.signature.kind, 'adjudication');
    assert.equal(res.signature.lesionVersionId, m.id);
  } finally {
    await f.close();
  }
});
