// The review screen's lesion save (renderer/features/review/save-lesion-labels.ts): the edit
// session marks every change (edits, undo, redo), the save sends the patch of those blocks with the
// sha256 of the full map; a refused patch falls back to the full map; a failed save keeps the marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EditSession } from '../../renderer/tools/edit-session.ts';
import { saveLesionLabels, stageLesionLabels } from '../../renderer/features/review/save-lesion-labels.ts';
import type { WorkstationApi } from '../../renderer/app/api.ts';
import { ContractError } from '../../shared/contracts/contract.ts';
import { applyLabelPatch } from '../../shared/imaging/label-patch-format.ts';
import type { CaseDetail, LabelVersionInfo } from '../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [64, 16, 4], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const n = 64 * 16 * 4;
const caseId = 1 as CaseId;
const version = (id: number): LabelVersionInfo =>
  ({ id: id as LabelVersionId, kind: 'lesion', version: id }) as unknown as LabelVersionInfo;
const detail = (...ids: number[]): CaseDetail => ({ labelVersions: ids.map(version) }) as unknown as CaseDetail;

function paint(s: EditSession, from: number, to: number, v: number): void {
  const indices = Uint32Array.from({ length: to - from }, (_, k) => from + k);
  const before = s.labels.data.slice(from, to);
  s.labels.data.fill(v, from, to);
  s.commit('paint', { indices, before, after: new Uint8Array(to - from).fill(v) });
}

type Sent = { channel: string; args: unknown[] };
function fakeApi(
  sent: Sent[],
  patchReply: (args: unknown[]) => Promise<LabelVersionInfo>,
  fullReply: () => Promise<LabelVersionInfo> = async () => version(9),
): WorkstationApi {
  return {
    labelPatches: {
      saveLesionPatch: (...args: unknown[]) => {
        sent.push({ channel: 'patch', args });
        return patchReply(args);
      },
    },
    cases: {
      saveLesionLabels: (...args: unknown[]) => {
        sent.push({ channel: 'full', args });
        return fullReply();
      },
    },
  } as unknown as WorkstationApi;
}

test('only the changed blocks are sent, with the sha256 of the full map; applied to the saved labels they give the labels on screen', async () => {
  const saved = new Uint8Array(n).fill(1, 0, 30);
  const s = new EditSession({ ...g, data: saved.slice() }, true);
  paint(s, 100, 140, 2);
  paint(s, 3000, 3010, 1);
  s.undo();
  s.redo();
  paint(s, 600, 610, 2);
  s.undo(); // marked, values back: still exact
  const sent: Sent[] = [];
  const r = await saveLesionLabels(
    fakeApi(sent, async () => version(6)),
    { caseId, session: s, parent: version(5), detail: detail(4, 5), note: 'n' },
  );
  assert.deepEqual([r.via, r.version.id, r.refused], ['patch', 6, null]);
  const [c, patch, parentId, digest, note] = sent[0]!.args as [CaseId, Uint8Array, number, string, string];
  assert.deepEqual([c, parentId, note], [caseId, 5, 'n']);
  assert.ok(patch.length < 4 * 512 + 64, `a few blocks, not the map (${patch.length} bytes)`);
  const rebuilt = saved.slice();
  applyLabelPatch(rebuilt, patch);
  assert.deepEqual(rebuilt, s.labels.data);
  assert.equal(digest, createHash('sha256').update(s.labels.data).digest('hex'));
  assert.equal(s.changedSinceSave.count, 0, 'the next save starts from this one');
});

test('a refused patch (stale parent) falls back to the full map; a parent that is not the latest goes full at once', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(n) }, true);
  paint(s, 10, 20, 1);
  const sent: Sent[] = [];
  const stale = async (): Promise<LabelVersionInfo> => {
    throw new ContractError('conflict', 'newer version', 'stale-parent');
  };
  const r = await saveLesionLabels(fakeApi(sent, stale), { caseId, session: s, parent: version(5), detail: detail(5), note: '' });
  assert.deepEqual([r.via, r.refused, sent.map((x) => x.channel)], ['full', 'stale-parent', ['patch', 'full']]);
  assert.equal(sent[1]!.args[1], s.labels.data, 'the full map');
  sent.length = 0;
  paint(s, 30, 40, 2);
  const older = await saveLesionLabels(fakeApi(sent, stale), { caseId, session: s, parent: version(5), detail: detail(5, 7), note: '' });
  assert.deepEqual([older.via, older.refused, sent.map((x) => x.channel)], ['full', null, ['full']]);
});

test('a failed save keeps the marks (nothing lost); edits made while a save runs go with the next one', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(n) }, true);
  paint(s, 10, 20, 1);
  const sent: Sent[] = [];
  const down = async (): Promise<LabelVersionInfo> => {
    throw new ContractError('failed', 'disk full');
  };
  await assert.rejects(
    saveLesionLabels(fakeApi(sent, down), { caseId, session: s, parent: null, detail: detail(), note: '' }),
    /disk full/,
  );
  assert.equal(s.changedSinceSave.count, 1);
  let release = (): void => undefined;
  const slow = (): Promise<LabelVersionInfo> =>
    new Promise((resolve) => {
      release = () => resolve(version(1));
    });
  const pending = saveLesionLabels(fakeApi(sent, slow), { caseId, session: s, parent: null, detail: detail(), note: '' });
  await new Promise((r) => setTimeout(r, 20));
  paint(s, 2000, 2005, 2); // while the save is in flight
  release();
  assert.equal((await pending).via, 'patch');
  assert.deepEqual(s.changedSinceSave.runs(), [{ start: 1536, length: 512 }]);
});

test('the autosave stages the changed blocks since the parent and keeps the marks for the save; a refusal stages the full map', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(n) }, true);
  paint(s, 10, 20, 1);
  const sent: Sent[] = [];
  const api = (patchReply: () => Promise<{ savedAt: string }>) =>
    ({
      labelPatches: {
        stageLesionPatch: (...args: unknown[]) => {
          sent.push({ channel: 'patch', args });
          return patchReply();
        },
      },
      autosave: {
        stage: (...args: unknown[]) => {
          sent.push({ channel: 'full', args });
          return Promise.resolve({ savedAt: 'full' });
        },
      },
    }) as unknown as WorkstationApi;
  const r = await stageLesionLabels(
    api(async () => ({ savedAt: 'p' })),
    caseId,
    s,
    5 as LabelVersionId,
  );
  assert.deepEqual([r.via, r.savedAt], ['patch', 'p']);
  const [, patch, parentId, digest] = sent[0]!.args as [CaseId, Uint8Array, number, string];
  assert.equal(parentId, 5);
  const rebuilt = new Uint8Array(n);
  applyLabelPatch(rebuilt, patch);
  assert.deepEqual(rebuilt, s.labels.data);
  assert.equal(digest, createHash('sha256').update(s.labels.data).digest('hex'));
  assert.equal(s.changedSinceSave.count, 1, 'the marks stay for the save');
  const mismatch = await stageLesionLabels(
    api(async () => {
      throw new ContractError('conflict', 'x', 'patch-mismatch');
    }),
    caseId,
    s,
    5 as LabelVersionId,
  );
  assert.deepEqual([mismatch.via, sent.at(-1)!.channel], ['full', 'full']);
  await assert.rejects(
    stageLesionLabels(
      api(async () => {
        throw new ContractError('failed', 'disk full');
      }),
      caseId,
      s,
      null,
    ),
    /disk full/,
  );
});
