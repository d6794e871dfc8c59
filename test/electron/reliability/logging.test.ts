import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { createRedactor } from '../../../electron/services/logging/redact.ts';
import { RotatingLogFile } from '../../../electron/services/logging/rotating-log-file.ts';
import { createLogger } from '../../../electron/services/logging/logger.ts';
import { LOG_SALT_FILE, loadOrCreateLogSalt } from '../../../electron/services/logging/log-salt.ts';
import { exportDiagnostics } from '../../../electron/services/logging/export-diagnostics.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';

const SALT = 'test-salt-0123456789abcdef';

const withDir = (fn: (dir: string) => void | Promise<void>) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-log-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('redact: PHI keys become stable salted tokens; other values stay readable', () => {
  const r = createRedactor(SALT);
  const out = r({
    patientName: 'Doe^Jane',
    patientId: 'MRN-0042',
    patientBirthDate: '19600101',
    metadata: { studyInstanceUid: '1.2.3.4', accessionNumber: 'A77', transferSyntaxUid: '1.2.840.10008.1.2.1', modality: 'CT' },
    sourcePath: '/home/jane/scans/CT1',
    caseId: 12,
    sliceCount: 300,
    readerName: 'Dr Who',
  }) as Record<string, unknown>;
  const text = JSON.stringify(out);
  for (const phi of ['Doe', 'Jane', 'MRN-0042', '19600101', '1.2.3.4', 'A77', '/home', 'Dr Who'])
    assert.ok(!text.includes(phi), `${phi} removed: ${text}`);
  assert.equal(out['caseId'], 12);
  assert.equal(out['sliceCount'], 300);
  assert.match(String(out['patientName']), /^⟨h:[0-9a-f]{12}⟩$/);
  assert.equal(out['patientName'], r.hash('Doe^Jane'), 'same value, same token');
  assert.notEqual(createRedactor('another-salt-0123456789')('Doe^Jane'), r({ patientName: 'Doe^Jane' }), 'salt changes the token');
  const meta = out['metadata'] as Record<string, unknown>;
  assert.equal(meta['transferSyntaxUid'], '1.2.840.10008.1.2.1', 'standard UIDs stay');
  assert.equal(meta['modality'], 'CT');
  assert.throws(() => createRedactor('short'), /salt/);
});

test('redact: free text loses paths (POSIX, Windows, UNC, ~), DICOM person names and remembered PHI', () => {
  const r = createRedactor(SALT);
  r.rememberPhi('Smith^John^Q', 'PID-998877', null, '');
  const s = r.text(
    'reading /data/patients/Smith_John/IM0001.dcm and C:\\Users\\jsmith\\ct.nii.gz, \\\\srv\\share\\x, ~/scans/a; patient Smith^John, John Smith (PID-998877) ok; ratio 1/2 https://example.org/a',
  );
  for (const phi of ['/data/patients', 'Smith', 'John', 'jsmith', 'PID-998877', '\\\\srv', '~/scans'])
    assert.ok(!s.includes(phi), `${phi} removed: ${s}`);
  assert.match(s, /⟨path:h:[0-9a-f]{12}\.dcm⟩/, 'extension kept');
  assert.match(s, /⟨path:h:[0-9a-f]{12}\.nii\.gz⟩/);
  assert.ok(s.includes('ratio 1/2'), 'fractions are not paths');
  const e = Object.assign(new Error('cannot read /secret/Smith/file.dcm'), { code: 'EACCES' });
  const re = r({ error: e }) as { error: { name: string; message: string; code: string; stack: string } };
  assert.equal(re.error.code, 'EACCES');
  assert.ok(!re.error.message.includes('/secret'));
  assert.ok(!re.error.stack.includes('/work/'), 'stack paths redacted');
});

test('redact: bounded output for huge, deep, binary and hostile values', () => {
  const r = createRedactor(SALT);
  let deep: Record<string, unknown> = { v: 1 };
  for (let i = 0; i < 50; i++) deep = { d: deep };
  const hostile = JSON.parse('{"__proto__":{"polluted":true},"constructor":1}') as unknown;
  const out = r({
    big: 'x'.repeat(100_000),
    arr: new Array(10_000).fill(1),
    deep,
    bytes: new Uint8Array(10),
    hostile,
    n: Number.NaN,
    f: () => 1,
  });
  const text = JSON.stringify(out);
  assert.ok(text.length < 20_000, `${text.length} chars`);
  assert.ok(text.includes('[depth limit]'));
  assert.ok(text.includes('[Uint8Array 10 bytes]'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.ok(text.includes('"___proto__"'));
});

test(
  'rotating log: size-based rotation keeps N files, each under the size bound, newest first',
  withDir((dir) => {
    const log = new RotatingLogFile({ dir, maxBytes: 2048, maxFiles: 3 });
    for (let i = 0; i < 200; i++) log.write(JSON.stringify({ i, pad: 'p'.repeat(40) }));
    log.close();
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['lung-burden.1.log', 'lung-burden.2.log', 'lung-burden.log']);
    for (const f of files) assert.ok(statSync(join(dir, f)).size <= 2048, f);
    const newest = readFileSync(join(dir, 'lung-burden.log'), 'utf8').trim().split('\n');
    assert.equal((JSON.parse(newest[newest.length - 1]!) as { i: number }).i, 199);
    const older = readFileSync(join(dir, 'lung-burden.2.log'), 'utf8').trim().split('\n');
    assert.ok((JSON.parse(older[0]!) as { i: number }).i < (JSON.parse(newest[0]!) as { i: number }).i);
    // Reopening appends to the current file.
    const again = new RotatingLogFile({ dir, maxBytes: 2048, maxFiles: 3 });
    again.write('{"i":200}');
    again.close();
    assert.ok(readFileSync(join(dir, 'lung-burden.log'), 'utf8').trim().endsWith('{"i":200}'));
    assert.throws(() => new RotatingLogFile({ dir, baseName: '../evil' }), /base name/);
  }),
);

test(
  'logger: JSON lines without PHI, salt persisted and reused',
  withDir((dir) => {
    const logger = createLogger({ dataDir: dir, maxBytes: 4096, maxFiles: 2 });
    logger.redact.rememberPhi('Doe^Jane');
    logger.info('import finished for Jane Doe from /mnt/usb/DOE_JANE', {
      caseId: 3,
      patientName: 'Doe^Jane',
      sourcePath: '/mnt/usb/DOE_JANE',
    });
    logger.error('import failed', { error: new Error('no such file /mnt/usb/DOE_JANE/x.dcm') });
    logger.debug('not written at info level');
    logger.close();
    const lines = readFileSync(join(dir, 'logs', 'lung-burden.log'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(first['level'], 'info');
    assert.equal(first['caseId'], 3);
    assert.match(String(first['t']), /^\d{4}-\d\d-\d\dT/);
    const all = lines.join('\n');
    for (const phi of ['Jane', 'Doe', 'DOE_JANE', '/mnt/usb']) assert.ok(!all.includes(phi), `${phi}: ${all}`);
    const salt = loadOrCreateLogSalt(join(dir, 'logs'));
    assert.equal(salt.length, 32);
    const again = createLogger({ dataDir: dir });
    assert.equal(again.redact.hash('x'), logger.redact.hash('x'), 'tokens stable across restarts');
    again.close();
  }),
);

test(
  'exportDiagnostics: zip or folder with logs, versions, settings and DB integrity, no PHI, no salt',
  withDir((dir) => {
    const dataDir = join(dir, 'data');
    const store = CaseStore.open(dataDir);
    try {
      store.addSeries({
        metadata: seriesMetadata({ patientName: 'Roe^Richard', patientId: 'RR-1' }),
        volume: syntheticVolume(),
        sourcePath: '/scans/Roe_Richard',
        sourceKind: 'dicom',
        issues: [],
      });
      store.setSetting('reader.name', 'Dr Alice Reader');
      store.setSetting('models.active', 'covid-convlstm@1.0.0');
      const logger = createLogger({ dataDir });
      logger.redact.rememberPhi('Roe^Richard', 'RR-1', 'Dr Alice Reader');
      logger.info('imported Roe^Richard (RR-1) from /scans/Roe_Richard');
      const pkg = join(process.cwd(), 'package.json');
      const zipPath = join(dir, 'out', 'diagnostics.zip');
      const res = exportDiagnostics(zipPath, { db: store.db, log: logger.file, redact: logger.redact, packageJsonPath: pkg });
      assert.equal(res.integrity, 'ok');
      const zip = unzipSync(new Uint8Array(readFileSync(zipPath)));
      assert.deepEqual(Object.keys(zip).sort(), [
        'database.json',
        'logs/lung-burden.log',
        'manifest.json',
        'settings.json',
        'versions.json',
      ]);
      const all = Object.values(zip)
        .map((b) => new TextDecoder().decode(b))
        .join('\n');
      for (const phi of ['Roe', 'Richard', 'RR-1', 'Alice', '/scans']) assert.ok(!all.includes(phi), `${phi} leaked`);
      const salt = readFileSync(join(dataDir, 'logs', LOG_SALT_FILE));
      assert.ok(
        !Buffer.from(Object.values(zip).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0))).includes(salt),
        'salt not exported',
      );
      const db = JSON.parse(new TextDecoder().decode(zip['database.json'])) as { integrityCheck: string; rows: Record<string, number> };
      assert.equal(db.integrityCheck, 'ok');
      assert.equal(db.rows['cases'], 1);
      const versions = JSON.parse(new TextDecoder().decode(zip['versions.json'])) as {
        app: { name: string };
        node: string;
        sqlite: string;
      };
      assert.equal(versions.app.name, 'lung-burden');
      assert.match(versions.sqlite, /^3\./);
      const settings = JSON.parse(new TextDecoder().decode(zip['settings.json'])) as Record<string, string>;
      assert.equal(settings['models.active'], 'covid-convlstm@1.0.0');
      assert.match(settings['reader.name'] ?? '', /^⟨h:/);
      const folder = exportDiagnostics(join(dir, 'out-dir'), { db: store.db, log: logger.file, redact: logger.redact });
      assert.ok(existsSync(join(folder.path, 'logs', 'lung-burden.log')));
      assert.ok(existsSync(join(folder.path, 'versions.json')));
      logger.close();
    } finally {
      store.close();
    }
  }),
);
