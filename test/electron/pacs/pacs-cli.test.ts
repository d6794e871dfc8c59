import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { PacsNodes, type SecretEncryptor } from '../../../electron/services/pacs/pacs-nodes.ts';
import { PacsError } from '../../../electron/services/pacs/pacs-error.ts';
import { asCaseId } from '../../../shared/domain/ids.ts';
import { REPO_ROOT, sharedDataDir, SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { filesUnder, orthancUnavailable, startOrthanc, type OrthancServer } from '../../support/orthanc-server.ts';

const data = sharedDataDir();
const SERIES_DIR = data ? join(data, 'dicom-import', 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le') : null;
const skip = orthancUnavailable() ?? (SERIES_DIR && existsSync(SERIES_DIR) ? false : SHARED_DATA_MISSING);

let orthanc: OrthancServer;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'lb-pacs-cli-'));
  if (skip) return;
  orthanc = await startOrthanc({ auth: true });
  await orthanc.upload(filesUnder(SERIES_DIR as string));
});
after(async () => {
  if (!skip) await orthanc.stop();
  rmSync(root, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, LUNG_BURDEN_PACS_PASSWORD: '', ...env },
    timeout: 300_000,
  });
  if (process.env['LB_TIMING']) console.log(`cli ${args.slice(0, 2).join(' ')}: ${Date.now() - t0} ms`);
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test(
  'CLI: pacs query (--json), pull by Study UID prints the case id, push refuses unsigned unless --unsigned; secrets never printed',
  { skip },
  async () => {
    const dataDir = join(root, 'cli-data');
    const creds = orthanc.credentials as NonNullable<typeof orthanc.credentials>;
    const auth = ['--url', orthanc.dicomWebRoot, '--user', creds.user, '--data-dir', dataDir];
    const env = { LUNG_BURDEN_PACS_PASSWORD: creds.password };

    const noPw = cli(['pacs', 'query', ...auth]);
    assert.equal(noPw.code, 2, noPw.err);
    assert.match(noPw.err, /LUNG_BURDEN_PACS_PASSWORD/);
    const wrong = cli(['pacs', 'query', ...auth], { LUNG_BURDEN_PACS_PASSWORD: 'nope' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /401/);

    const q = cli(['pacs', 'query', ...auth, '--json'], env);
    assert.equal(q.code, 0, q.err);
    const studies = JSON.parse(q.out) as {
      studyInstanceUid: string;
      patientId: string;
      series: { seriesInstanceUid: string; modality: string }[];
    }[];
    assert.equal(studies.length, 1);
    const s = studies[0] as NonNullable<(typeof studies)[0]>;
    assert.equal(s.series[0]?.modality, 'CT');
    const byPatient = cli(['pacs', 'query', ...auth, '--patient', 'NOBODY', '--json'], env);
    assert.deepEqual(JSON.parse(byPatient.out), []);

    const pull = cli(['pacs', 'pull', s.studyInstanceUid, ...auth], env);
    assert.equal(pull.code, 0, pull.err);
    const caseId = Number(pull.out.trim().split('\t')[0]);
    assert.ok(Number.isInteger(caseId) && caseId > 0, pull.out);
    assert.match(pull.out, /\timported\t/);
    const again = cli(['pacs', 'pull', s.series[0].seriesInstanceUid, ...auth], env);
    assert.match(again.out, new RegExp(`^${caseId}\\talready imported`));

    // a model-free lesion version so the case has a result to push (lung mask by the classical algorithm)
    const store = CaseStore.open(dataDir);
    try {
      const id = asCaseId(caseId);
      const n = store.getCase(id).geometry.size.reduce((a, b) => a * b, 1);
      const lesion = new Uint8Array(n);
      for (let p = 0; p < n; p += 97) lesion[p] = 1 + (p % 2);
      store.saveLabelVersion(id, 'lesion', lesion, { kind: 'reader', name: 'Jane Reader' });
    } finally {
      store.close();
    }
    const refused = cli(['pacs', 'push', String(caseId), ...auth], env);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /not signed/);
    const pushed = cli(['pacs', 'push', String(caseId), ...auth, '--unsigned', '--json'], env);
    assert.equal(pushed.code, 0, pushed.err);
    const r = JSON.parse(pushed.out) as { state: string; stored: { kind: string }[] };
    assert.equal(r.state, 'preliminary');
    assert.deepEqual(
      r.stored.map((x) => x.kind),
      ['seg', 'sr', 'pdf'],
    );
    const series = await orthanc.rest<string[]>('/series');
    assert.equal(series.length, 4, 'CT + SEG + SR + DOC in Orthanc');
    const modalities = await Promise.all(
      series.map(async (sid) => (await orthanc.rest<{ MainDicomTags: { Modality: string } }>(`/series/${sid}`)).MainDicomTags.Modality),
    );
    assert.deepEqual(modalities.sort(), ['CT', 'DOC', 'SEG', 'SR']);

    const exported = cli(['export', String(caseId), '--format', 'sr', '--out', join(root, 'sr-out'), '--data-dir', dataDir, '--unsigned']);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /TID 1500 SR of lesion version 1 \(preliminary\)/);
    for (const x of [noPw, wrong, q, pull, refused, pushed])
      assert.ok(!`${x.out}${x.err}`.includes(creds.password), 'password never printed');
  },
);

test('node settings: without an encryptor the secret stays in memory only; with one it is stored encrypted', () => {
  const store = CaseStore.open(join(root, 'nodes'));
  try {
    const session = new PacsNodes(store);
    const id = session.save(
      { name: 'Site PACS', url: 'https://pacs.example.org/dicom-web/', auth: { kind: 'basic', user: 'reader' }, caPem: null, timeoutS: 30 },
      's3cret-pw',
    );
    assert.equal(session.get(id).secretStorage, 'session');
    assert.equal(session.get(id).hasSecret, true);
    assert.equal(session.get(id).url, 'https://pacs.example.org/dicom-web');
    const all = JSON.stringify(store.db.prepare('SELECT key, value FROM settings').all());
    assert.ok(!all.includes('s3cret-pw'), 'not persisted');
    const afterRestart = new PacsNodes(store);
    assert.equal(afterRestart.get(id).hasSecret, false);
    assert.throws(
      () => afterRestart.client(id),
      (e: unknown) => e instanceof PacsError && e.code === 'unauthorized' && /session only/.test(e.message),
    );

    const key = randomBytes(32);
    const enc: SecretEncryptor = {
      isEncryptionAvailable: () => true,
      encryptString: (s) => {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const body = Buffer.concat([c.update(s, 'utf8'), c.final()]);
        return Buffer.concat([iv, c.getAuthTag(), body]);
      },
      decryptString: (b) => {
        const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
        d.setAuthTag(b.subarray(12, 28));
        return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
      },
    };
    const persisted = new PacsNodes(store, enc);
    persisted.save(
      { id, name: 'Site PACS', url: 'https://pacs.example.org/dicom-web', auth: { kind: 'bearer' }, caPem: null, timeoutS: 30 },
      'tok-123456',
    );
    const dump = JSON.stringify(store.db.prepare('SELECT key, value FROM settings').all());
    assert.ok(!dump.includes('tok-123456'), 'stored encrypted');
    const reopened = new PacsNodes(store, enc);
    assert.equal(reopened.get(id).hasSecret, true);
    assert.equal(reopened.get(id).secretStorage, 'encrypted');
    reopened.client(id).close();
    reopened.remove(id);
    assert.deepEqual(reopened.list(), []);
  } finally {
    store.close();
  }
});
