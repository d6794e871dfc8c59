import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { compareSlices, decodeLabelPng } from '../../../electron/cli/compare-slices-command.ts';

/** An 8-bit palette PNG (colour type 3), as the MedSeg/Inf-Net ground truth is stored; pngjs writes none. */
function palettePng(width: number, height: number, indices: number[], palette: [number, number, number][]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = indices[y * width + x]!;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function greyPng(width: number, height: number, values: number[]): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(values);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
}

const PALETTE: [number, number, number][] = [
  [0, 0, 0],
  [128, 0, 0],
  [0, 128, 0],
  [128, 128, 0],
];

test('palette label PNGs decode to their palette indices, grey ones to their grey values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-cmp-'));
  try {
    writeFileSync(join(dir, 'p.png'), palettePng(4, 2, [0, 1, 2, 1, 0, 0, 2, 3], PALETTE));
    writeFileSync(join(dir, 'g.png'), greyPng(4, 2, [0, 1, 1, 1, 0, 0, 2, 0]));
    assert.deepEqual([...decodeLabelPng(join(dir, 'p.png')).labels], [0, 1, 2, 1, 0, 0, 2, 3]);
    assert.deepEqual([...decodeLabelPng(join(dir, 'g.png')).labels], [0, 1, 1, 1, 0, 0, 2, 0]);
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    assert.throws(() => decodeLabelPng(join(dir, 'bad.png')), /bad\.png: not a readable PNG/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare-slices: per-class Dice per image, mean and pooled; missing and mismatched images are reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-cmp-'));
  try {
    const [t, r] = [join(dir, 'test'), join(dir, 'ref')];
    mkdirSync(t);
    mkdirSync(r);
    writeFileSync(join(r, '7.png'), palettePng(4, 2, [0, 1, 2, 1, 0, 0, 2, 2], PALETTE));
    writeFileSync(join(t, '7.png'), greyPng(4, 2, [0, 1, 1, 1, 0, 0, 2, 0]));
    writeFileSync(join(r, '8.png'), palettePng(2, 1, [0, 0], PALETTE)); // empty vs empty
    writeFileSync(join(t, '8.png'), greyPng(2, 1, [0, 0]));
    writeFileSync(join(r, '9.png'), palettePng(2, 1, [1, 0], PALETTE)); // no prediction for it
    const logs: string[] = [];
    const res = compareSlices({ testDir: t, referenceDir: r, csvOut: join(dir, 'rows.csv'), log: (m) => logs.push(m) });
    assert.equal(res.n, 2);
    assert.deepEqual(res.missingInTest, ['9.png']);
    assert.match(logs.join('\n'), /1 reference image\(s\) have no test labels: 9\.png/);
    const [seven, eight] = res.rows;
    assert.ok(Math.abs(seven!.dice.ggo! - 0.8) < 1e-12 && Math.abs(seven!.dice.highOpacity! - 0.5) < 1e-12);
    assert.ok(Math.abs(seven!.dice.lesion! - 8 / 9) < 1e-12);
    assert.equal(eight!.dice.ggo, null);
    assert.ok(Math.abs(res.classes.ggo.meanDice - 0.9) < 1e-12, 'empty-vs-empty counts as 1 in the mean');
    assert.equal(res.classes.ggo.emptyBoth, 1);
    assert.ok(Math.abs(res.classes.ggo.pooledDice - 0.8) < 1e-12);
    assert.match(readFileSync(join(dir, 'rows.csv'), 'utf8'), /^image,dice_ggo,dice_high_opacity,dice_lesion\r?\n7,0\.8,0\.5,0\.888/);

    writeFileSync(join(t, '9.png'), greyPng(1, 1, [0]));
    assert.throws(() => compareSlices({ testDir: t, referenceDir: r, log: () => {} }), /9\.png: reference is 2×1, test is 1×1/);
    assert.throws(() => compareSlices({ testDir: join(dir, 'nope'), referenceDir: r, log: () => {} }), /not a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
