// A read is signed with the lung version its reader read with: their own or the algorithm's,
// never the lung mask another reader edited (hidden from them under a blinded double read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';
import { readStudyFixture } from './read-study-fixture.ts';

test("reader 2's signature binds the algorithm's lung, not reader 1's edited lung", async () => {
  const f = await readStudyFixture();
  try {
    const lungOf = async (): Promise<LabelVersionInfo> => {
      const d = (await f.call('cases.get', [f.caseId])) as CaseDetail;
      const lungs = d.labelVersions.filter((v) => v.kind === 'lung');
      return lungs[lungs.length - 1]!;
    };
    await f.as('alice');
    const algorithmLung = await lungOf();
    const bytes = ((await f.call('cases.labelBytes', [algorithmLung.id])) as Uint8Array).slice();
    bytes.fill(0, 0, 400);
    const aliceLung = (await f.call('cases.saveLungLabels', [f.caseId, bytes, algorithmLung.id, 'effusion excluded'])) as LabelVersionInfo;
    assert.notEqual(aliceLung.sha256, algorithmLung.sha256);

    await f.as('bob');
    assert.equal((await lungOf()).id, algorithmLung.id, 'bob sees the algorithm lung only');
    const signed = (await f.call('cases.signOff', [f.caseId, f.aiVersion, TEST_PASSWORD])) as LabelVersionInfo;
    assert.equal(signed.signature?.lungSha256, algorithmLung.sha256);

    await f.as('alice');
    const aliceSigned = (await f.call('cases.signOff', [f.caseId, f.aiVersion, TEST_PASSWORD])) as LabelVersionInfo;
    assert.equal(aliceSigned.signature?.lungSha256, aliceLung.sha256, 'alice signs with her own lung edit');
  } finally {
    await f.close();
  }
});
