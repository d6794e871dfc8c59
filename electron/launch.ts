// `npm start`: opens the Electron app where it can start; otherwise says why in one line and
// serves the same workstation in browser mode (opening the default browser when there is one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { APP_ROOT } from './app/paths.ts';
import { startWorkstationServer } from './serve.ts';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function whyElectronCannotStart(bin: string | null): string | null {
  if (!bin) return 'the Electron binary is not installed (node_modules/electron has no dist)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return 'no display (DISPLAY/WAYLAND_DISPLAY unset)';
  return null;
}

async function main(): Promise<void> {
  if (!existsSync(join(APP_ROOT, '.vite', 'renderer', 'index.html')) || !existsSync(join(APP_ROOT, '.vite', 'build', 'main.js'))) {
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: APP_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const bin = electronBinary();
  const why = whyElectronCannotStart(bin);
  if (bin && !why) {
    // Chromium refuses to start its sandbox as root (containers): --no-sandbox only then
    const child = spawn(bin, [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), APP_ROOT], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(`Electron cannot start here (${why}); serving the workstation in browser mode instead.`);
  const server = await startWorkstationServer();
  console.log(`Lung Burden (browser mode) at ${server.url}`);
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform !== 'linux' || process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']) {
    spawn(opener, [server.url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`lung-burden start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
