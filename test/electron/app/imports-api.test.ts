import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createImportsApi } from '../../../electron/app/api/imports-api.ts';
import { createWorkstation } from '../../../electron/app/workstation.ts';
import { createNativeDialogs, type DialogModule } from '../../../electron/windows/native-dialogs.ts';
import { UploadPathSchema } from '../../../shared/contracts/imports.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { makeCtDicom, ramp } from '../../shared/dicom/make-dicom.ts';

const root = mkdtempSync(join(tmpdir(), 'lb-imports-api-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Five slices of a small CT series, as a browser would upload them (relative paths). */
function series(): { path: string; bytes: Uint8Array }[] {
  return Array.from({ length: 5 }, (_, k) => ({
    path: `study-A/series 2/IM${k + 1}.dcm`,
    bytes: makeCtDicom(ramp(16, 16, k * 100), 16, 16, {
      InstanceNumber: k + 1,
      ImagePositionPatient: [0, 0, 2 * k],
      SOPInstanceUID: `1.2.826.0.1.3680043.8.498.55.${k + 1}`,
    }),
  }));
}

test('an uploaded folder is imported by the workstation, then its staging folder is removed', async () => {
  const dataDir = join(root, 'ws');
  const ws = await createWorkstation({ dataDir, seedSample: false });
  try {
    const files = series();
    const { uploadId } = await ws.api.imports.beginUpload({ files: files.length, bytes: files.reduce((a, f) => a + f.bytes.length, 0) });
    for (const f of files) await ws.api.imports.uploadFile(uploadId, f.path, new Uint8Array(f.bytes));
    const job = await ws.api.imports.finishUpload(uploadId);
    const done = await ws.jobs.wait(job.id);
    assert.equal(done.state, 'done', done.error ?? '');
    assert.equal(done.caseIds.length, 1);
    assert.equal(ws.store.getCase(done.caseIds[0]!).geometry.size[2], 5);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(join(dataDir, 'uploads')), [], 'staging removed');
    assert.deepEqual(await ws.api.imports.chooseFolder(), { kind: 'unsupported' }, 'no native dialog in browser mode');
  } finally {
    await ws.close();
  }
});

test('uploads are bounded by their plan, paths stay inside, and an abort removes everything', async () => {
  const started: string[] = [];
  const api = createImportsApi({
    dataDir: join(root, 'bounded'),
    startImport: (p) => (
      started.push(p),
      { id: 'j1', kind: 'import', state: 'running', done: 0, total: 1, etaS: null, message: '', caseIds: [], error: null } satisfies JobInfo
    ),
    waitJob: async (id) => ({ id, kind: 'import', state: 'done', done: 1, total: 1, etaS: null, message: '', caseIds: [], error: null }),
    maxOpenUploads: 2,
  });
  const { uploadId } = await api.beginUpload({ files: 2, bytes: 10 });
  await api.uploadFile(uploadId, 'a/b.dcm', new Uint8Array(6));
  await assert.rejects(api.uploadFile(uploadId, 'a/b.dcm', new Uint8Array(1)), /uploaded already/);
  await assert.rejects(api.uploadFile(uploadId, 'a/c.dcm', new Uint8Array(5)), /more bytes than the 10 announced/);
  await api.uploadFile(uploadId, 'a/c.dcm', new Uint8Array(4));
  await assert.rejects(api.uploadFile(uploadId, 'a/d.dcm', new Uint8Array(0)), /more files than the 2 announced/);
  const second = await api.beginUpload({ files: 1, bytes: 1 });
  await assert.rejects(api.beginUpload({ files: 1, bytes: 1 }), /too many folder uploads/);
  await api.abortUpload(second.uploadId);
  assert.ok(!existsSync(join(root, 'bounded', 'uploads', second.uploadId)));
  await assert.rejects(api.uploadFile(second.uploadId, 'x.dcm', new Uint8Array(1)), /not open/);
  const job = await api.finishUpload(uploadId);
  assert.equal(job.id, 'j1');
  assert.deepEqual(started, [join(root, 'bounded', 'uploads', uploadId)]);
  // The contract refuses paths that could leave the staging folder before any code runs.
  for (const bad of ['../x.dcm', 'a/../../x', '/etc/passwd', 'C:/x', 'a//b', 'a/./b', 'a\\..\\b', 'a\u0000b', '']) {
    assert.equal(UploadPathSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(UploadPathSchema.safeParse('study A/séries 1/IM 0001.dcm').success, true);
});

test('Electron dialogs: folder and save dialogs map to Electron options; cancel or odd answers are null', async () => {
  const calls: unknown[] = [];
  let reply: { canceled: boolean; filePaths: string[]; filePath?: string } = {
    canceled: false,
    filePaths: ['/data/ct/study1'],
    filePath: '/out/r.pdf',
  };
  const fake: DialogModule = {
    showOpenDialog: async (w, o) => (calls.push(['open', w, o]), reply),
    showSaveDialog: async (w, o) => (calls.push(['save', w, o]), reply),
  };
  const d = createNativeDialogs(fake, () => 'win');
  assert.equal(await d.chooseImportFolder(), '/data/ct/study1');
  assert.equal(await d.chooseSaveFile('r.pdf', { name: 'PDF', extension: 'pdf' }), '/out/r.pdf');
  assert.deepEqual(calls[0], [
    'open',
    'win',
    { title: 'Import a DICOM folder', buttonLabel: 'Import', properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] },
  ]);
  assert.deepEqual((calls[1] as unknown[])[2], {
    title: 'Save r.pdf',
    defaultPath: 'r.pdf',
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  reply = { canceled: true, filePaths: [] };
  assert.equal(await d.chooseExportFolder('x'), null);
  reply = { canceled: false, filePaths: ['relative/path'], filePath: 'rel.pdf' };
  assert.equal(await d.chooseImportFolder(), null);
  assert.equal(await d.chooseSaveFile('r.pdf', { name: 'PDF', extension: 'pdf' }), null);
});

test('leftover staging folders of a crashed process are swept at start; fresh ones (another process) are kept', async () => {
  const { mkdirSync, utimesSync } = await import('node:fs');
  const { sweepStale } = await import('../../../electron/app/api/sweep-stale.ts');
  const dir = join(root, 'sweep');
  mkdirSync(join(dir, 'old', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'fresh'), { recursive: true });
  const dayAgo = (Date.now() - 25 * 3600_000) / 1000;
  utimesSync(join(dir, 'old'), dayAgo, dayAgo);
  assert.equal(sweepStale(dir, 24 * 3600_000), 1);
  assert.deepEqual(readdirSync(dir), ['fresh']);
  assert.equal(sweepStale(join(root, 'no-such-folder'), 1), 0);
});
