import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ComputePool } from '../../../electron/services/compute/compute-pool.ts';
import { toErrorBody } from '../../../electron/ipc/dispatcher.ts';
import { UserError } from '../../../shared/errors/user-error.ts';

const pool = new ComputePool({ bulkThreads: 1, interactiveThreads: 1 });
after(async () => {
  await pool.close();
});

test('a UserError thrown in a compute worker arrives as a UserError of the same kind, name, code and sentence', async () => {
  const stored = { data: new Uint8Array([1, 2, 3, 4]), sha256: '0'.repeat(64), byteLength: 8 };
  await assert.rejects(pool.run('decodeLabels', { stored, what: 'lesion version 3' }, { lane: 'interactive' }), (e: unknown) => {
    assert.ok(e instanceof UserError, 'rebuilt as a UserError');
    assert.equal(e.name, 'LabelIntegrityError');
    assert.equal(e.kind, 'conflict');
    assert.equal(e.code, 'conflict');
    assert.equal(e.message, 'lesion version 3 is corrupt (cannot be inflated)');
    assert.deepEqual(toErrorBody(e), { code: 'conflict', message: e.message, reason: 'conflict' });
    return true;
  });
});
