import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DicomWebClient } from '../../../electron/services/pacs/dicomweb-client.ts';
import { PacsError } from '../../../electron/services/pacs/pacs-error.ts';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '../../support/orthanc-server.ts';

// TLS with a site CA: an HTTPS front (certificate of a throw-away CA made with openssl) before a
// real Orthanc. Without the CA the client refuses the certificate with a clear `tls` error; with
// the CA configured on the node it talks to the PACS.
const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).error === undefined;
const skip = orthancUnavailable() ?? (hasOpenssl ? false : 'openssl is not installed');

let orthanc: OrthancServer;
let front: Server;
let dir: string;
let caPem = '';
let httpsRoot = '';

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'lb-pacs-tls-'));
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Lung Burden test CA',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1']);
  const ext = join(dir, 'ext.cnf');
  spawnSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ${ext}`]);
  run([
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'srv.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  orthanc = await startOrthanc();
  const target = new URL(orthanc.url);
  front = createServer({ key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.pem')) }, (req, res) => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  httpsRoot = `https://127.0.0.1:${(front.address() as AddressInfo).port}/dicom-web`;
});
after(async () => {
  if (skip) return;
  front.closeAllConnections();
  await new Promise<void>((r) => front.close(() => r()));
  await orthanc.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('HTTPS PACS with its own CA: refused without the CA (tls), works with it', { skip }, async () => {
  const untrusted = new DicomWebClient({ url: httpsRoot, retries: 0 });
  const trusted = new DicomWebClient({ url: httpsRoot, caPem, retries: 0 });
  try {
    await assert.rejects(
      untrusted.searchStudies({}),
      (e: unknown) => e instanceof PacsError && e.code === 'tls' && /CA certificate/.test(e.message),
    );
    assert.deepEqual(await trusted.searchStudies({}), []);
  } finally {
    untrusted.close();
    trusted.close();
  }
});
