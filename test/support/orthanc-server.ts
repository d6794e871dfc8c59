import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-data.ts';

/**
 * A private Orthanc (Debian packages `orthanc` + `orthanc-dicomweb`) for the PACS tests: its own
 * free loopback port, a temporary storage folder and the committed config template
 * `test/support/orthanc/orthanc.json`. It never touches a system Orthanc on 8042/4242.
 */
export interface OrthancServer {
  /** `http://127.0.0.1:<port>` (the REST root). */
  readonly url: string;
  /** `http://127.0.0.1:<port>/dicom-web` (the DICOMweb root). */
  readonly dicomWebRoot: string;
  readonly port: number;
  /** Basic-auth credentials when started with `auth: true`. */
  readonly credentials: { readonly user: string; readonly password: string } | null;
  /** Uploads DICOM files through the REST `/instances` endpoint; returns how many were stored. */
  upload(files: readonly string[]): Promise<number>;
  /** REST GET (JSON), authenticated as configured. */
  rest<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

const PLUGIN_CANDIDATES = [
  '/usr/share/orthanc/plugins/libOrthancDicomWeb.so',
  '/usr/lib/orthanc/plugins/libOrthancDicomWeb.so',
  '/usr/local/share/orthanc/plugins/libOrthancDicomWeb.so',
];

/** Why Orthanc cannot run here (binary or DICOMweb plugin missing), or null when it can. */
export function orthancUnavailable(): string | null {
  if (!orthancBinary()) return 'the Orthanc binary is not installed (apt-get install orthanc orthanc-dicomweb; see scripts/bootstrap.sh)';
  if (!dicomWebPlugin()) return 'the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)';
  return null;
}

function orthancBinary(): string | null {
  for (const p of ['/usr/sbin/Orthanc', '/usr/bin/Orthanc', '/usr/local/bin/Orthanc']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v Orthanc'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

function dicomWebPlugin(): string | null {
  return PLUGIN_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Every regular file under `dir` (recursively), sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Starts a private Orthanc and waits until `/system` answers (at most `timeoutMs`). */
export async function startOrthanc(opts: { auth?: boolean; timeoutMs?: number } = {}): Promise<OrthancServer> {
  const bin = orthancBinary();
  const plugin = dicomWebPlugin();
  if (!bin || !plugin) throw new Error(orthancUnavailable() ?? 'Orthanc unavailable');
  const dir = mkdtempSync(join(tmpdir(), 'lb-orthanc-'));
  const port = await freePort();
  const dicomPort = await freePort();
  const credentials = opts.auth ? { user: 'reader', password: `pw-${process.pid}-${port}` } : null;
  const template = readFileSync(join(REPO_ROOT, 'test', 'support', 'orthanc', 'orthanc.json'), 'utf8');
  const config = template
    .replaceAll('${STORAGE}', join(dir, 'db'))
    .replaceAll('${PLUGIN}', plugin)
    .replaceAll('${HTTP_PORT}', String(port))
    .replaceAll('${DICOM_PORT}', String(dicomPort))
    .replaceAll('${AUTH_ENABLED}', credentials ? 'true' : 'false')
    .replaceAll('${USERS}', JSON.stringify(credentials ? { [credentials.user]: credentials.password } : {}));
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(configPath, config);
  const logPath = join(dir, 'orthanc.log');
  const child: ChildProcess = spawn(bin, [`--logfile=${logPath}`, configPath], { stdio: 'ignore' });
  let exited = false as boolean; // set by the exit listener
  child.once('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const authHeader: Record<string, string> = credentials
    ? { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` }
    : {};
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-2000) : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Orthanc exited during start-up: ${log}`);
    }
    try {
      const r = await fetch(`${url}/system`, { headers: authHeader });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error('Orthanc did not answer /system in time');
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const stop = async (): Promise<void> => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url,
    dicomWebRoot: `${url}/dicom-web`,
    port,
    credentials,
    upload: async (files) => {
      let n = 0;
      for (const f of files) {
        const r = await fetch(`${url}/instances`, {
          method: 'POST',
          headers: { ...authHeader, 'content-type': 'application/dicom' },
          body: readFileSync(f),
        });
        if (r.ok) n++;
        else await r.arrayBuffer();
      }
      return n;
    },
    rest: async <T>(path: string): Promise<T> => {
      const r = await fetch(`${url}${path}`, { headers: authHeader });
      if (!r.ok) throw new Error(`Orthanc ${path}: HTTP ${r.status}`);
      return (await r.json()) as T;
    },
    stop,
  };
}
