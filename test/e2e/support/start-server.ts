import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { startWorkstationServer, type WorkstationServer } from '../../../electron/serve.ts';
import { chestPhantom } from './chest-phantom.ts';

/** A running real workstation (bridge + services) on a throw-away data folder. */
export interface TestServer {
  readonly server: WorkstationServer;
  readonly dataDir: string;
  /** A synthetic chest CT NIfTI written beside the data folder (for import tests). */
  readonly phantomPath: string;
  stop(): Promise<void>;
}

/** Starts the real services behind the loopback bridge on a temporary data folder. */
export async function startTestServer(
  opts: {
    phantomSize?: [number, number, number];
    phantomSpacingMm?: [number, number, number];
    seedSample?: boolean;
    dataDir?: string;
  } = {},
): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'lung-burden-e2e-'));
  const dataDir = opts.dataDir ?? join(root, 'data');
  const phantomPath = join(root, 'phantom-chest.nii.gz');
  writeFileSync(
    phantomPath,
    writeNifti(chestPhantom(opts.phantomSize, opts.phantomSpacingMm), { level: 1, description: 'lung-burden e2e phantom' }),
  );
  const server = await startWorkstationServer({ dataDir, ...(opts.seedSample !== undefined ? { seedSample: opts.seedSample } : {}) });
  return {
    server,
    dataDir,
    phantomPath,
    stop: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// `node --import tsx test/e2e/support/start-server.ts [--data-dir DIR]` starts a dev server and prints
// its URL (a given data folder is kept: a test restarts a killed server on it).
if (process.argv[1]?.endsWith('start-server.ts')) {
  const at = process.argv.indexOf('--data-dir');
  const s = await startTestServer({ ...(at > 0 && process.argv[at + 1] ? { dataDir: process.argv[at + 1] } : {}) });
  console.log(JSON.stringify({ url: s.server.url, token: s.server.token, phantomPath: s.phantomPath, dataDir: s.dataDir }));
  const stop = (): void => void s.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
