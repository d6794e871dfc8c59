/**
 * Renders the app icon set from build/icon.svg (hand-written vector) with the system Chromium
 * (headless, through Playwright; no ImageMagick needed):
 * build/icon.png (1024 px: electron-builder derives the .ico and .icns from it) and
 * build/icons/<N>x<N>.png for the Linux targets (AppImage, deb).
 *   node --import tsx scripts/make-icons.ts
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const svg = readFileSync(join(ROOT, 'build', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  mkdirSync(join(ROOT, 'build', 'icons'), { recursive: true });
  for (const n of SIZES) {
    const page = await browser.newPage({ viewport: { width: n, height: n }, deviceScaleFactor: 1 });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${n}px;height:${n}px" `)}</body></html>`,
    );
    const out = n === 1024 ? join(ROOT, 'build', 'icon.png') : join(ROOT, 'build', 'icons', `${n}x${n}.png`);
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: n, height: n } });
    await page.close();
    console.log(out);
  }
} finally {
  await browser.close();
}
