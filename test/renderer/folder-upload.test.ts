import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uploadPath } from '../../renderer/features/imports/folder-upload.ts';
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
