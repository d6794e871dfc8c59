import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, test } from '@playwright/test';
import { createClient, preloadInvoke, type Invoke } from '../../renderer/api/client.ts';
import { workstationContract } from '../../shared/contracts/workstation.ts';
import { REPO_ROOT } from '../support/shared-data.ts';
import { reviewFlow } from './support/review-day-flow.ts';
import { signIn } from './support/review-flow.ts';

/**
 * Path of the Electron binary, or why it cannot run here. Reads `node_modules/electron/path.txt`
 * directly: requiring the `electron` package would try to download a missing binary.
 */
function electronBinary(): { bin: string } | { why: string } {
  const pkg = join(REPO_ROOT, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return { why: 'the Electron binary is not installed (node_modules/electron has no path.txt/dist)' };
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(bin)) return { why: `the Electron binary ${bin} is missing` };
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return { why: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  if (!existsSync(join(REPO_ROOT, '.vite', 'build', 'main.js')))
    return { why: 'the main process is not built (.vite/build/main.js): run npm run build' };
  return { bin };
}

test('Electron app: same review flow over the preload contract', async () => {
  const found = electronBinary();
  test.skip('why' in found, `Electron cannot start here: ${'why' in found ? found.why : ''}`);
  if (!('bin' in found)) return;
  const userData = mkdtempSync(join(tmpdir(), 'lung-burden-electron-'));
  // Chromium refuses to start its sandbox as root (containers, CI): --no-sandbox only then
  const asRoot = process.getuid?.() === 0;
  const app = await electron.launch({
    executablePath: found.bin,
    args: [...(asRoot ? ['--no-sandbox'] : []), REPO_ROOT, `--user-data-dir=${userData}`],
    cwd: REPO_ROOT,
  });
  try {
    const page = await app.firstWindow();
    await page.setViewportSize({ width: 1600, height: 950 });
    // Checks go through the same preload bridge the renderer uses (window.lungBurden.call).
    const invoke: Invoke = preloadInvoke({
      call: (channel, args) =>
        page.evaluate(([c, a]) => (window as unknown as { lungBurden: { call: Invoke } }).lungBurden.call(c, a), [channel, args] as const),
    });
    await signIn(page, { api: createClient(workstationContract, invoke), reload: () => page.reload() });
    await reviewFlow(page, createClient(workstationContract, invoke), 'electron-');
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
