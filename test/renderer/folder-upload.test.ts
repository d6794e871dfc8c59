import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesOfDrop, uploadPath } from '../../renderer/features/imports/folder-upload.ts';
import { UploadPathSchema } from '../../shared/contracts/imports.ts';

test('browser paths become upload paths the contract accepts, or are skipped', () => {
  assert.equal(uploadPath('study A/series 2/IM0001.dcm'), 'study A/series 2/IM0001.dcm');
  assert.equal(uploadPath('/leading//double/./x.dcm'), 'leading/double/x.dcm');
  assert.equal(uploadPath('odd\\name\u0007.dcm'), 'odd_name_.dcm');
  assert.equal(uploadPath('a/../b'), null);
  assert.equal(uploadPath(''), null);
  assert.equal(uploadPath(Array.from({ length: 33 }, () => 'd').join('/')), null);
  for (const raw of ['study A/series 2/IM0001.dcm', '/leading//double/./x.dcm', 'odd\\name\u0007.dcm', 'DICOMDIR', 'ä/ö/ü.dcm']) {
    const p = uploadPath(raw);
    assert.ok(p !== null && UploadPathSchema.safeParse(p).success, raw);
  }
});

/** A fake of the browser's FileSystemEntry tree (what `webkitGetAsEntry` returns for a dropped folder). */
function fakeDir(fullPath: string, children: unknown[], batch = 2): unknown {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader: () => {
      let at = 0;
      // readEntries hands out the children in batches, then an empty batch.
      return {
        readEntries: (ok: (b: unknown[]) => void) => {
          const b = children.slice(at, at + batch);
          at += batch;
          setTimeout(() => ok(b), 0);
        },
      };
    },
  };
}
const fakeFile = (fullPath: string, text: string): unknown => ({
  isFile: true,
  isDirectory: false,
  fullPath,
  file: (ok: (f: File) => void) => setTimeout(() => ok(new File([text], fullPath.split('/').pop()!)), 0),
});

test('a dropped folder is walked to every file, batches of readEntries included', async () => {
  const tree = fakeDir('/study', [
    fakeFile('/study/a.dcm', 'A'),
    fakeDir('/study/s2', [fakeFile('/study/s2/1.dcm', '1'), fakeFile('/study/s2/2.dcm', '22'), fakeFile('/study/s2/3.dcm', '333')]),
    fakeFile('/study/b.dcm', 'BB'),
  ]);
  const items = [{ webkitGetAsEntry: () => tree }, { webkitGetAsEntry: () => null }] as unknown as DataTransferItemList;
  const files = await filesOfDrop(items);
  assert.deepEqual(
    files.map((f) => [f.path, f.file.size]),
    [
      ['study/a.dcm', 1],
      ['study/s2/1.dcm', 1],
      ['study/s2/2.dcm', 2],
      ['study/s2/3.dcm', 3],
      ['study/b.dcm', 2],
    ],
  );
});
