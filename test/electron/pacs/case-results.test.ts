import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { buildCaseResults } from '../../../electron/services/pacs/case-results.ts';
import { ExportError } from '../../../electron/services/exports/export-error.ts';
import { makeResultCase } from '../../support/result-case.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';

const hasDciodvfy = spawnSync('dciodvfy', ['-h'], { encoding: 'utf8' }).error === undefined;
const root = mkdtempSync(join(tmpdir(), 'lb-results-'));
after(() => rmSync(root, { recursive: true, force: true }));

function dciodvfy(bytes: Uint8Array, name: string): { errors: string[]; all: string } {
  const f = join(root, name);
  writeFileSync(f, bytes);
  const r = spawnSync('dciodvfy', [f], { encoding: 'utf8' });
  const all = `${r.stdout}${r.stderr}`;
  return { errors: all.split('\n').filter((l) => /^\s*Error/.test(l)), all };
}

type Ds = Record<string, unknown>;
const read = (bytes: Uint8Array): Ds =>
  dcmjs.data.DicomMetaDictionary.naturalizeDataset(
    dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict,
  );

test(
  'signed case: SEG, TID 1500 SR (VERIFIED/COMPLETE) and encapsulated PDF; dciodvfy finds no errors',
  { skip: hasDciodvfy ? false : 'dciodvfy (Debian dicom3tools) not installed' },
  async () => {
    const store = CaseStore.open(join(root, 'signed'));
    try {
      const { caseId, v2 } = makeResultCase(store, { sign: true });
      const r = await buildCaseResults(store, caseId, { preliminary: false }, { withPdf: true });
      assert.equal(r.version.id, v2);
      assert.equal(r.state, 'final');
      for (const [name, obj] of [
        ['seg.dcm', r.seg],
        ['sr.dcm', r.sr],
        ['pdf.dcm', r.pdf],
      ] as const) {
        assert.ok(obj);
        const { errors, all } = dciodvfy(obj.bytes, name);
        assert.deepEqual(errors, [], `${name}:\n${all}`);
      }
      const sr = read(r.sr.bytes);
      assert.equal(sr['VerificationFlag'], 'VERIFIED');
      assert.equal(sr['CompletionFlag'], 'COMPLETE');
      assert.equal(sr['PreliminaryFlag'], 'FINAL');
      const verifying = sr['VerifyingObserverSequence'] as Ds[] | Ds;
      const vo = Array.isArray(verifying) ? verifying[0] : verifying;
      assert.match(JSON.stringify(vo?.['VerifyingObserverName']), /Reader\^Jane/);
      const pdf = read((r.pdf as NonNullable<typeof r.pdf>).bytes);
      assert.equal(pdf['MIMETypeOfEncapsulatedDocument'], 'application/pdf');
      assert.equal(pdf['StudyInstanceUID'], sr['StudyInstanceUID']);
    } finally {
      store.close();
    }
  },
);

test(
  'unsigned case: refused without the preliminary flag; with it UNVERIFIED/PARTIAL/PRELIMINARY and 0 dciodvfy errors',
  { skip: hasDciodvfy ? false : 'dciodvfy (Debian dicom3tools) not installed' },
  async () => {
    const store = CaseStore.open(join(root, 'unsigned'));
    try {
      const { caseId, v2 } = makeResultCase(store, { sign: false });
      await assert.rejects(
        buildCaseResults(store, caseId, { preliminary: false }, { withPdf: false }),
        (e: unknown) => e instanceof ExportError && /not signed/.test(e.message),
      );
      const r = await buildCaseResults(store, caseId, { preliminary: true }, { withPdf: false });
      assert.equal(r.version.id, v2);
      assert.equal(r.state, 'preliminary');
      assert.equal(r.pdf, null);
      const { errors, all } = dciodvfy(r.sr.bytes, 'sr-prelim.dcm');
      assert.deepEqual(errors, [], all);
      const sr = read(r.sr.bytes);
      assert.equal(sr['VerificationFlag'], 'UNVERIFIED');
      assert.equal(sr['CompletionFlag'], 'PARTIAL');
      assert.equal(sr['PreliminaryFlag'], 'PRELIMINARY');
      assert.equal(sr['VerifyingObserverSequence'], undefined);
    } finally {
      store.close();
    }
  },
);

test('a later unsigned edit: the final result stays the signed version; preliminary sends the edit', async () => {
  const store = CaseStore.open(join(root, 'later-edit'));
  try {
    const { caseId, v2 } = makeResultCase(store, { sign: true, seed: 9 });
    const g = store.getCase(caseId).geometry;
    const edit = new Uint8Array(g.size[0] * g.size[1] * g.size[2]);
    edit[500] = 1;
    const v3 = store.saveLabelVersion(caseId, 'lesion', edit, { kind: 'reader', name: 'Jane Reader' }, { parentId: asLabelVersionId(v2) });
    const final = await buildCaseResults(store, caseId, { preliminary: false }, { withPdf: false });
    assert.equal(final.version.id, v2);
    assert.equal(final.state, 'final');
    const prelim = await buildCaseResults(store, caseId, { preliminary: true }, { withPdf: false });
    assert.equal(prelim.version.id, v3.id);
    assert.equal(prelim.state, 'preliminary');
    assert.notEqual(prelim.burden['lesionVolumeMl'], final.burden['lesionVolumeMl']);
    assert.equal(read(prelim.sr.bytes)['VerificationFlag'], 'UNVERIFIED');
  } finally {
    store.close();
  }
});
