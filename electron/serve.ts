import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workstationContract } from '../shared/contracts/workstation.ts';
import { createWorkstation, type Workstation } from './app/workstation.ts';
import { APP_ROOT, defaultDataDir } from './app/paths.ts';
import { createDispatcher } from './ipc/dispatcher.ts';
import { startHttpBridge } from './ipc/http-bridge.ts';
import { internalErrorFields } from './services/logging/user-error.ts';

export interface WorkstationServer {
  /** One-time launch URL: its token is exchanged for a browser session on first use. */
  readonly url: string;
  /** API token for non-browser clients (`x-lb-token` header). */
  readonly token: string;
  /** A new one-time launch URL (another browser). */
  newLaunchUrl(): string;
  readonly workstation: Workstation;
  close(): Promise<void>;
}

/** Folder of the built renderer (`npm run build`). */
export const RENDERER_DIR = join(APP_ROOT, '.vite', 'renderer');

/**
 * Browser mode: the real services behind the loopback bridge (127.0.0.1 only, token required).
 * Used by `npm run serve`, by `npm start` where Electron cannot start, and by the e2e tests.
 */
export async function startWorkstationServer(
  opts: { dataDir?: string; port?: number; token?: string; seedSample?: boolean } = {},
): Promise<WorkstationServer> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIR} missing): run \`npm run build\` first`);
  }
  const workstation = await createWorkstation({
    dataDir: opts.dataDir ?? defaultDataDir(),
    ...(opts.seedSample !== undefined ? { seedSample: opts.seedSample } : {}),
  });
  const bridge = await startHttpBridge({
    dispatch: createDispatcher(workstationContract, workstation.api, {
      onInternalError: (channel, e) => workstation.log.error(`${channel}: internal error`, internalErrorFields(e)),
    }),
    rendererDir: RENDERER_DIR,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.token !== undefined ? { token: opts.token } : {}),
  });
  return {
    url: bridge.url,
    token: bridge.token,
    newLaunchUrl: () => bridge.newLaunchUrl(),
    workstation,
    close: async () => {
      await bridge.close();
      await workstation.close();
    },
  };
}

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : undefined;
  const server = await startWorkstationServer({ ...(port !== undefined ? { port } : {}) });
  console.log(`Lung Burden (browser mode) at ${server.url}`);
  console.log('(a one-time link: it opens one browser session; press Enter here for a new link)');
  console.log(`data folder: ${server.workstation.store.dataDir}   (Ctrl+C to stop)`);
  if (process.stdin.isTTY) process.stdin.on('data', () => console.log(`new one-time link: ${server.newLaunchUrl()}`));
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(`lung-burden serve: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
