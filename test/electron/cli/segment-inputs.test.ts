// What `segment` accepts: one volume, one image folder, or image files; never two images onto one output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGray8, segmentInputs } from '../../../electron/cli/segment-command.ts';
import { UsageError } from '../../../electron/cli/cli-usage.ts';

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lb-seg-inputs-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('segment inputs: a folder gives its images sorted; files give themselves; a volume gives no images', () => {
  withDir((dir) => {
    for (const f of ['b.jpg', 'a.png', 'notes.txt']) writeFileSync(join(dir, f), 'x');
    assert.deepEqual(segmentInputs([dir]).images, [join(dir, 'a.png'), join(dir, 'b.jpg')]);
    assert.deepEqual(segmentInputs([join(dir, 'b.jpg'), join(dir, 'a.png')]).images, [join(dir, 'b.jpg'), join(dir, 'a.png')]);
    writeFileSync(join(dir, 'scan.nii.gz'), 'x');
    assert.deepEqual(segmentInputs([join(dir, 'scan.nii.gz')]), { input: join(dir, 'scan.nii.gz'), images: [] });
  });
});

test('segment inputs: images that would write the same output are refused before anything runs', () => {
  withDir((dir) => {
    writeFileSync(join(dir, '7.png'), 'x');
    writeFileSync(join(dir, '7.JPG'), 'x');
    assert.throws(
      () => segmentInputs([dir]),
      (e: unknown) => e instanceof UsageError && /7\.JPG and .*7\.png → 7\.png/.test(e.message),
    );
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', '7.png'), 'x');
    assert.throws(() => segmentInputs([join(dir, '7.png'), join(dir, 'other', '7.png')]), UsageError);
    writeFileSync(join(dir, 'other', 'B.png'), 'x');
    writeFileSync(join(dir, 'b.png'), 'x');
    assert.throws(() => segmentInputs([join(dir, 'b.png'), join(dir, 'other', 'B.png')]), /one label map would overwrite another/);
  });
});

test('segment inputs: several arguments must all be image files; a missing one is named', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'a.png'), 'x');
    mkdirSync(join(dir, 'series'));
    assert.throws(() => segmentInputs([join(dir, 'a.png'), join(dir, 'series')]), /series is not a PNG\/JPEG file/);
    assert.throws(() => segmentInputs([join(dir, 'a.png'), join(dir, 'gone.png')]), /no such file or folder: .*gone\.png/);
    assert.throws(() => segmentInputs([]), UsageError);
    writeFileSync(join(dir, 'slice.tif'), 'x');
    assert.throws(() => segmentInputs([join(dir, 'slice.tif')]), /\.tif images are not read; save the slices as PNG or JPEG/);
  });
});

test('decodeGray8: a PNG header declaring an absurd size is refused before its pixels are decoded', () => {
  withDir((dir) => {
    const ihdr = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(ihdr, 0);
    ihdr.writeUInt32BE(13, 8);
    ihdr.write('IHDR', 12, 'latin1');
    ihdr.writeUInt32BE(20000, 16);
    ihdr.writeUInt32BE(20000, 20);
    writeFileSync(join(dir, 'huge.png'), ihdr);
    assert.throws(
      () => decodeGray8(join(dir, 'huge.png')),
      (e: unknown) => e instanceof Error && e.message === 'huge.png: 20000×20000 pixels is not a CT slice (at most 8192 per side)',
    );
  });
});
