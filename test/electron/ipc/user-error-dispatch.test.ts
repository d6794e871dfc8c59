import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ContractError, method } from '../../../shared/contracts/contract.ts';
import { UserError } from '../../../shared/errors/user-error.ts';
import { DicomError } from '../../../shared/dicom/dicom-error.ts';
import { createDispatcher, toErrorBody } from '../../../electron/ipc/dispatcher.ts';
import { CaseStoreError } from '../../../electron/services/cases/case-store.ts';
import { ExportError } from '../../../electron/services/exports/export-error.ts';
import { PacsError } from '../../../electron/services/pacs/pacs-error.ts';
import { AuthError } from '../../../electron/services/readers/reader-accounts.ts';
import { QcBlockedError } from '../../../electron/services/qc/qc-store.ts';
import { createClient, preloadInvoke } from '../../../renderer/api/client.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';

test('each coded UserError maps once to its wire code, keeps its stable code as reason and its sentence', () => {
  const cases: [unknown, string, string | undefined][] = [
    [new CaseStoreError('not-found', 'case 7 does not exist'), 'not-found', 'not-found'],
    [new CaseStoreError('invalid', 'autosave has 3 voxels, the case has 8'), 'invalid-arguments', 'invalid'],
    [new CaseStoreError('conflict', 'lesion version 2 is already signed'), 'conflict', 'conflict'],
    [new QcBlockedError(7 as CaseId, ['hu-scale'], ['the HU scale is wrong.']), 'conflict', 'conflict'],
    [new ExportError('not-signed', 'case 7 has no signed lesion version: sign it off first'), 'failed', 'not-signed'],
    [new PacsError('not-found', 'no PACS node "x" is configured'), 'not-found', 'not-found'],
    [new PacsError('unreachable', 'the PACS did not answer'), 'failed', 'unreachable'],
    [new DicomError('truncated', 'the file ends inside a data element'), 'failed', 'truncated'],
    [new UserError('not-found', 'not-found', 'job abc does not exist'), 'not-found', 'not-found'],
    [new AuthError('not-signed-in', 'sign in first'), 'unauthorized', 'not-signed-in'],
  ];
  for (const [e, code, reason] of cases) {
    const body = toErrorBody(e);
    assert.equal(body.code, code, String(e));
    assert.equal(body.reason, reason, String(e));
    assert.equal(body.message, (e as Error).message);
  }
});

test('anything that is not a UserError is internal: a clear sentence, no reason, no duck-typed code', () => {
  const engine = toErrorBody(new TypeError("Cannot read properties of undefined (reading 'x')"));
  assert.equal(engine.code, 'failed');
  assert.equal(engine.reason, undefined);
  assert.match(engine.message, /^internal error: .*details are in the log$/);
  // a plain Error carrying a code property is not trusted as a refusal any more
  const ducked = toErrorBody(Object.assign(new Error('ENOENT: no such file'), { code: 'not-found' }));
  assert.equal(ducked.code, 'failed');
  assert.equal(ducked.reason, undefined);
});

const contract = {
  fake: {
    open: method(z.tuple([z.number()])).returns<string>(),
    crash: method(z.tuple([])).returns<null>(),
  },
} as const;

/** A fake main process: the dispatcher behind the same envelope electron-ipc.ts sends. */
function fakeElectron() {
  const internal: string[] = [];
  const dispatch = createDispatcher(
    contract,
    {
      fake: {
        open: async (id: number) => {
          throw new CaseStoreError('not-found', `case ${id} does not exist`);
        },
        crash: async () => {
          throw new RangeError('Invalid typed array length: -1');
        },
      },
    },
    { onInternalError: (channel) => internal.push(channel) },
  );
  const call = async (channel: string, args: unknown[]) => {
    try {
      return { ok: true, result: await dispatch(channel, args) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e) };
    }
  };
  return { client: createClient(contract, preloadInvoke({ call })), internal };
}

test('over fake calls the renderer receives a ContractError with the code, the reason and the sentence', async () => {
  const { client, internal } = fakeElectron();
  await assert.rejects(client.fake.open(7), (e: unknown) => {
    assert.ok(e instanceof ContractError);
    assert.equal(e.code, 'not-found');
    assert.equal(e.reason, 'not-found');
    assert.equal(e.message, 'case 7 does not exist');
    return true;
  });
  await assert.rejects(client.fake.crash(), (e: unknown) => {
    assert.ok(e instanceof ContractError);
    assert.equal(e.code, 'failed');
    assert.equal(e.reason, undefined);
    assert.doesNotMatch(e.message, /typed array/);
    return true;
  });
  // a refusal is not logged as internal; the engine error is
  assert.deepEqual(internal, ['fake.crash']);
  await assert.rejects(
    client.fake.open(-1 as never).then(() => client.fake.open('x' as never)),
    (e: unknown) => e instanceof ContractError,
  );
  await assert.rejects(
    createClient(
      { ...contract, nope: { x: method(z.tuple([])).returns<null>() } },
      preloadInvoke({ call: async () => ({ ok: false, error: { code: 'unknown-channel', message: 'unknown channel nope.x' } }) }),
    ).nope.x(),
    (e: unknown) => e instanceof ContractError && e.code === 'unknown-channel',
  );
});
