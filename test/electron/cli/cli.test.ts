// The `lung-burden` command as a user runs it (child processes, real files, the shipped model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readNiftiLabels } from '../../../shared/nifti/read-nifti-labels.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');
const cli = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 240_000,
  });

test('analyze --json prints one object with the documented fields; errors have exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-cli-'));
  try {
    const r = cli(['analyze', SAMPLE, '--json'], join(dir, 'data'));
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['lungVolumeMl', 'ggoVolumeMl', 'highOpacityVolumeMl', 'burdenPercent']) assert.equal(typeof out[k], 'number', k);
    assert.ok((out['lungVolumeMl'] as number) > 1000);
    const again = cli(['list', '--json'], join(dir, 'data'));
    assert.equal((JSON.parse(again.stdout) as unknown[]).length, 1);
    assert.equal(cli(['analyze', join(dir, 'missing')], join(dir, 'data')).status, 3);
    assert.equal(cli(['frobnicate'], join(dir, 'data')).status, 2);
    writeFileSync(join(dir, 'x.nii.gz'), 'not a nifti');
    const bad = cli(['analyze', join(dir, 'x.nii.gz')], join(dir, 'data'));
    assert.equal(bad.status, 3, bad.stderr);
    assert.match(bad.stderr, /lung-burden: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segment: 8-bit PNG → PNG of the same size with values 0/1/2; NIfTI → labels, lung, burden', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-seg-'));
  try {
    const w = 120;
    const h = 90;
    const png = new PNG({ width: w, height: h });
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inBody = ((x - 60) / 55) ** 2 + ((y - 45) / 40) ** 2 < 1;
        const inLung = ((Math.abs(x - 60) - 25) / 18) ** 2 + ((y - 45) / 28) ** 2 < 1;
        const v = !inBody ? 0 : inLung ? 40 : 170;
        const o = (y * w + x) * 4;
        png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
        png.data[o + 3] = 255;
      }
    }
    const input = join(dir, 'slices');
    spawnSync('mkdir', ['-p', input]);
    writeFileSync(join(input, 'slice-007.png'), PNG.sync.write(png));
    const r = cli(['segment', input, '--out', join(dir, 'out-png')], join(dir, 'data'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /by lung-burden-convlstm-fast \d/, 'the default: the first valid bundle, named');
    const accurate = cli(['segment', input, '--out', join(dir, 'out-tta'), '--model', 'lung-burden-convlstm-tta'], join(dir, 'data'));
    assert.equal(accurate.status, 0, accurate.stderr);
    assert.match(accurate.stderr + accurate.stdout, /by lung-burden-convlstm-tta \d/, '--model selects the accurate bundle');
    const missing = cli(['segment', input, '--out', join(dir, 'out-x'), '--model', 'no-such-model'], join(dir, 'data'));
    assert.equal(missing.status, 4, 'an unknown --model is refused (exit 4), never replaced by another bundle');
    const ignored = cli(['report', SAMPLE, '--out', join(dir, 'r.pdf'), '--model', 'lung-burden-convlstm-tta'], join(dir, 'data'));
    assert.equal(ignored.status, 2, '--model on a command that has no such option is a usage error, not silently ignored');
    writeFileSync(join(input, 'slice-008.png'), PNG.sync.write(png));
    const glob = cli(
      ['segment', join(input, 'slice-007.png'), join(input, 'slice-008.png'), '--out', join(dir, 'out-glob')],
      join(dir, 'data'),
    );
    assert.equal(glob.status, 0, glob.stderr);
    assert.match(glob.stderr, /segment: 2 image\(s\)/, 'a shell glob of images: every file is segmented, not the first alone');
    assert.ok(existsSync(join(dir, 'out-glob', 'slice-007.png')) && existsSync(join(dir, 'out-glob', 'slice-008.png')));
    writeFileSync(join(input, 'slice-009.png'), PNG.sync.write(png).subarray(0, 200));
    const oneBad = cli(['segment', input, '--out', join(dir, 'out-bad')], join(dir, 'data'));
    assert.equal(oneBad.status, 3, 'an unreadable image is bad input (exit 3)');
    assert.match(oneBad.stderr, /skipped slice-009\.png: not a readable PNG\/JPEG image/);
    assert.match(oneBad.stderr, /1 of 3 image\(s\) could not be read/);
    assert.ok(existsSync(join(dir, 'out-bad', 'slice-008.png')), 'the images after the bad one are still segmented');
    assert.ok(!existsSync(join(dir, 'out-bad', 'slice-009.png')));
    rmSync(join(input, 'slice-009.png'));
    const mixed = cli(['segment', join(input, 'slice-007.png'), SAMPLE, '--out', join(dir, 'out-mixed')], join(dir, 'data'));
    assert.equal(mixed.status, 2, 'an image and a volume together are a usage error');
    assert.match(mixed.stderr, /sample-chest-ct\.nii\.gz is not a PNG\/JPEG file/);
    const extra = cli(['analyze', SAMPLE, join(input, 'slice-007.png')], join(dir, 'data'));
    assert.equal(extra.status, 2, 'a second argument to analyze is refused, not silently ignored');
    assert.match(extra.stderr, /analyze takes one argument; unexpected: .*slice-007\.png/);
    const out = PNG.sync.read(readFileSync(join(dir, 'out-png', 'slice-007.png')));
    assert.equal(out.width, w);
    assert.equal(out.height, h);
    for (let p = 0; p < w * h; p++) assert.ok(out.data[p * 4]! <= 2, 'values are 0/1/2');

    const v = cli(['segment', SAMPLE, '--out', join(dir, 'out-vol')], join(dir, 'data'));
    assert.equal(v.status, 0, v.stderr);
    for (const f of ['labels.nii.gz', 'lung.nii.gz', 'burden.json']) assert.ok(existsSync(join(dir, 'out-vol', f)), f);
    const labels = readNiftiLabels(new Uint8Array(readFileSync(join(dir, 'out-vol', 'labels.nii.gz'))));
    assert.ok(labels.data.every((x) => x <= 2));
    const burden = JSON.parse(readFileSync(join(dir, 'out-vol', 'burden.json'), 'utf8')) as {
      lungVolumeMl: number;
      model: { name: string };
    };
    assert.ok(burden.lungVolumeMl > 1000);
    assert.equal(burden.model.name, 'lung-burden-convlstm-fast');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segment: a transposed 8-bit slice is segmented in display orientation and written back transposed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-seg-t-'));
  try {
    const w = 150;
    const h = 110;
    const gray = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inBody = ((x - 75) / 70) ** 2 + ((y - 55) / 48) ** 2 < 1;
        const inLung = ((Math.abs(x - 75) - 33) / 24) ** 2 + ((y - 52) / 34) ** 2 < 1;
        const inSpine = ((x - 75) / 9) ** 2 + ((y - 88) / 8) ** 2 < 1;
        const haze = inLung && ((x - 40) / 10) ** 2 + ((y - 60) / 12) ** 2 < 1;
        gray[y * w + x] = !inBody ? 0 : inSpine ? 250 : haze ? 120 : inLung ? 40 : 170;
      }
    }
    const toPng = (g: Uint8Array, cols: number, rows: number) => {
      const png = new PNG({ width: cols, height: rows });
      for (let p = 0; p < cols * rows; p++) {
        png.data[p * 4] = png.data[p * 4 + 1] = png.data[p * 4 + 2] = g[p]!;
        png.data[p * 4 + 3] = 255;
      }
      return PNG.sync.write(png);
    };
    const transposed = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) transposed[x * h + y] = gray[y * w + x]!;
    const input = join(dir, 'slices');
    spawnSync('mkdir', ['-p', input]);
    writeFileSync(join(input, 'a-display.png'), toPng(gray, w, h));
    writeFileSync(join(input, 'b-transposed.png'), toPng(transposed, h, w));
    const r = cli(['segment', input, '--out', join(dir, 'out')], join(dir, 'data'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /b-transposed\.png: transposed(\+mirrored)? orientation/);
    assert.match(r.stderr + r.stdout, /1 segmented as transposed/);
    const a = PNG.sync.read(readFileSync(join(dir, 'out', 'a-display.png')));
    const b = PNG.sync.read(readFileSync(join(dir, 'out', 'b-transposed.png')));
    assert.deepEqual([b.width, b.height], [h, w], 'output keeps the input orientation');
    let same = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (a.data[(y * w + x) * 4] === b.data[(x * h + y) * 4]) same++;
    assert.ok(same / (w * h) > 0.999, `labels of the transposed input equal the transposed labels (${same} / ${w * h})`);

    const forced = cli(
      ['segment', join(input, 'b-transposed.png'), '--out', join(dir, 'forced'), '--orientation', 'display'],
      join(dir, 'data'),
    );
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stderr + forced.stdout, /0 segmented as transposed/);
    assert.equal(cli(['segment', input, '--out', join(dir, 'x'), '--orientation', 'sideways'], join(dir, 'data')).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diagnostics writes a support bundle without patient data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-diag-'));
  try {
    const r = cli(['diagnostics', '--out', join(dir, 'diag.zip')], join(dir, 'data'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /database integrity: ok/);
    assert.ok(existsSync(join(dir, 'diag.zip')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze --csv prints the cohort CSV row (units in the headers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-csv-'));
  try {
    const r = cli(['analyze', SAMPLE, '--csv', '--no-model'], join(dir, 'data'));
    assert.equal(r.status, 0, r.stderr);
    const [header, row, extra] = r.stdout.trim().split('\n');
    assert.equal(extra, undefined);
    const cols = header!.split(',');
    for (const c of ['lung_volume_ml', 'ggo_volume_ml', 'high_opacity_volume_ml', 'burden_percent']) assert.ok(cols.includes(c), c);
    assert.ok(Number(row!.split(',')[cols.indexOf('lung_volume_ml')]) > 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
