// The review screen's lung-mask save and autosave (renderer/features/review/save-lung-labels.ts):
// the lung edit session's changed blocks go with the sha256 of the full mask; a refused patch, or a
// parent that is not the latest lung version, sends the full mask; a failed save keeps the marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EditSession } from '../../renderer/tools/edit-session.ts';
import { saveLungLabels, stageLungLabels } from '../../renderer/features/review/save-lung-labels.ts';
import type { WorkstationApi } from '../../renderer/app/api.ts';
import { ContractError } from '../../shared/contracts/contract.ts';
import { applyLabelPatch } from '../../shared/imaging/label-patch-format.ts';
import type { CaseDetail, LabelVersionInfo } from '../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [64, 16, 4], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const n = 64 * 16 * 4;
const caseId = 1 as CaseId;
const version = (id: number, kind: 'lung' | 'lesion' = 'lung'): LabelVersionInfo =>
  ({ id: id as LabelVersionId, kind, version: id }) as unknown as LabelVersionInfo;
/** Lung versions `ids`, with a later lesion version (not a lung parent). */
const detail = (...ids: number[]): CaseDetail =>
  ({ labelVersions: [...ids.map((id) => version(id)), version(99, 'lesion')] }) as unknown as CaseDetail;

function erase(s: EditSession, from: number, to: number): void {
  const indices = Uint32Array.from({ length: to - from }, (_, k) => from + k);
  const before = s.labels.data.slice(from, to);
  s.labels.data.fill(0, from, to);
  s.commit('erase', { indices, before, after: new Uint8Array(to - from) });
}

type Sent = { channel: string; args: unknown[] };
function fakeApi(
  sent: Sent[],
  patchReply: () => Promise<unknown>,
  fullReply: () => Promise<unknown> = async () => version(9),
): WorkstationApi {
  const rec =
    (channel: string, reply: () => Promise<unknown>) =>
    (...args: unknown[]) => {
      sent.push({ channel, args });
      return reply();
    };
  return {
    labelPatches: { saveLungPatch: rec('patch', patchReply), stageLungPatch: rec('stage-patch', patchReply) },
    cases: { saveLungLabels: rec('full', fullReply) },
    lungAutosave: { stage: rec('stage-full', async () => ({ savedAt: 'full' })) },
  } as unknown as WorkstationApi;
}

test('a lung save sends only the changed blocks with the sha256 of the full mask; applied to the saved mask they give the mask on screen', async () => {
  const saved = new Uint8Array(n).fill(1, 0, n / 2).fill(2, n / 2);
  const s = new EditSession({ ...g, data: saved.slice() }, true);
  erase(s, 100, 140);
  erase(s, 3000, 3010);
  const sent: Sent[] = [];
  const r = await saveLungLabels(
    fakeApi(sent, async () => version(6)),
    { caseId, session: s, parent: version(5), detail: detail(4, 5), note: 'effusion' },
  );
  assert.deepEqual([r.via, r.value.id, r.refused], ['patch', 6, null]);
  const [c, patch, parentId, digest, note] = sent[0]!.args as [CaseId, Uint8Array, number, string, string];
  assert.deepEqual([sent.length, c, parentId, note], [1, caseId, 5, 'effusion']);
  assert.ok(patch.length < 2 * 512 + 64, `two blocks, not the mask (${patch.length} bytes)`);
  const rebuilt = saved.slice();
  applyLabelPatch(rebuilt, patch);
  assert.deepEqual(rebuilt, s.labels.data);
  assert.equal(digest, createHash('sha256').update(s.labels.data).digest('hex'));
  assert.equal(s.changedSinceSave.count, 0, 'the next save starts from this one');
});

test('refused, not the latest lung version, or failed: the full mask, and a failed save keeps the marks', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(n).fill(1) }, true);
  erase(s, 10, 20);
  const sent: Sent[] = [];
  const stale = async (): Promise<never> => {
    throw new ContractError('conflict', 'newer lung version', 'stale-parent');
  };
  const r = await saveLungLabels(fakeApi(sent, stale), { caseId, session: s, parent: version(5), detail: detail(5), note: '' });
  assert.deepEqual([r.via, r.refused, sent.map((x) => x.channel)], ['full', 'stale-parent', ['patch', 'full']]);
  assert.equal(sent[1]!.args[1], s.labels.data, 'the full mask');
  sent.length = 0;
  erase(s, 30, 40);
  const older = await saveLungLabels(fakeApi(sent, stale), { caseId, session: s, parent: version(5), detail: detail(5, 7), note: '' });
  assert.deepEqual([older.via, sent.map((x) => x.channel)], ['full', ['full']]);
  erase(s, 600, 610);
  const down = async (): Promise<never> => {
    throw new ContractError('failed', 'disk full');
  };
  await assert.rejects(
    saveLungLabels(fakeApi(sent, down, down), { caseId, session: s, parent: version(7), detail: detail(7), note: '' }),
    /disk full/,
  );
  assert.equal(s.changedSinceSave.count, 1, 'the edits stay marked for the next save');
  assert.equal(s.state.get().dirty, true);
});

test('the lung autosave stages the changed blocks and keeps the marks; a refusal stages the full mask', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(n).fill(2) }, true);
  erase(s, 700, 720);
  const sent: Sent[] = [];
  const r = await stageLungLabels(
    fakeApi(sent, async () => ({ savedAt: 'p' })),
    caseId,
    s,
    5 as LabelVersionId,
  );
  assert.deepEqual([r.via, r.value.savedAt, sent[0]!.channel, sent[0]!.args[2]], ['patch', 'p', 'stage-patch', 5]);
  assert.equal(s.changedSinceSave.count, 1, 'the marks stay for the save');
  const refused = await stageLungLabels(
    fakeApi(sent, async () => {
      throw new ContractError('conflict', 'x', 'patch-mismatch');
    }),
    caseId,
    s,
    5 as LabelVersionId,
  );
  assert.deepEqual([refused.via, refused.value.savedAt, sent.at(-1)!.channel], ['full', 'full', 'stage-full']);
});
