// Reader accounts: scrypt hashes, first admin, roles, lock-out after repeated failures (recorded),
// and sign-off: password re-checked, AI and other readers' versions become the signer's own copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { hashPassword, parsePasswordHash, SCRYPT_DEFAULTS, verifyPassword } from '../../../electron/services/readers/password-hash.ts';
import { AuthError, LOCK_MINUTES, MAX_FAILED_ATTEMPTS, ReaderAccounts } from '../../../electron/services/readers/reader-accounts.ts';
import { ADJUDICATION_MEANING, adjudicate, signOff } from '../../../electron/services/readers/sign-off.ts';
import { ReaderSession, SESSION_IDLE_MINUTES } from '../../../electron/services/readers/reader-session.ts';
import { verifyAuditTrail } from '../../../electron/services/audit/verify-audit-trail.ts';
import { READ_SIGNATURE_MEANING } from '../../../shared/domain/reader.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { acknowledgeBlockingQc, TEST_PASSWORD } from '../../support/test-readers.ts';

async function withAccounts(fn: (store: CaseStore, accounts: ReaderAccounts) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lb-readers-'));
  const store = CaseStore.open(dir);
  try {
    await fn(store, new ReaderAccounts(store.db, store.audit));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const reason = (r: AuthError['reason']) => (e: unknown) => e instanceof AuthError && e.reason === r && e.code === 'unauthorized';

test('passwords are stored as salted scrypt hashes with their parameters (N = 2^15, r = 8, p = 1)', async () => {
  const a = await hashPassword(TEST_PASSWORD);
  const b = await hashPassword(TEST_PASSWORD);
  assert.notEqual(a, b, 'fresh salt per hash');
  assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.ok(!a.includes(TEST_PASSWORD));
  const p = parsePasswordHash(a);
  assert.deepEqual(
    { N: p.params.N, r: p.params.r, p: p.params.p, keyLength: p.params.keyLength, saltLength: p.params.saltLength },
    SCRYPT_DEFAULTS,
  );
  assert.equal(await verifyPassword(TEST_PASSWORD, a), true);
  assert.equal(await verifyPassword(`${TEST_PASSWORD} `, a), false);
  assert.equal(await verifyPassword('', a), false);
  assert.throws(() => parsePasswordHash('md5$abc'), /not a scrypt/);
});

test('the first account must be an admin; later ones are made by an admin only', async () => {
  await withAccounts(async (_store, accounts) => {
    await assert.rejects(
      accounts.create({ login: 'ann', displayName: 'Dr Ann', role: 'reader', password: TEST_PASSWORD }, null),
      reason('forbidden'),
    );
    await assert.rejects(
      accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: 'short' }, null),
      reason('weak-password'),
    );
    const admin = await accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: TEST_PASSWORD }, null);
    await assert.rejects(
      accounts.create({ login: 'x2', displayName: 'Second admin', role: 'admin', password: TEST_PASSWORD }, null),
      reason('forbidden'),
    );
    const ann = await accounts.create({ login: 'ann', displayName: 'Dr Ann', role: 'reader', password: TEST_PASSWORD }, admin);
    await assert.rejects(
      accounts.create({ login: 'ANN', displayName: 'again', role: 'reader', password: TEST_PASSWORD }, admin),
      reason('exists'),
    );
    await assert.rejects(
      accounts.create({ login: 'bob', displayName: 'Bob', role: 'reader', password: TEST_PASSWORD }, ann),
      reason('forbidden'),
    );
    assert.deepEqual(
      accounts.list().map((r) => [r.login, r.role]),
      [
        ['ann', 'reader'],
        ['root', 'admin'],
      ],
    );
    assert.equal((await accounts.authenticate('Ann', TEST_PASSWORD)).id, ann.id, 'logins are case-insensitive');
    await assert.rejects(accounts.authenticate('nobody', TEST_PASSWORD), reason('invalid-credentials'));
  });
});

test(`${MAX_FAILED_ATTEMPTS} wrong passwords lock the account for ${LOCK_MINUTES} min, recorded in the audit trail`, async () => {
  await withAccounts(async (store, accounts) => {
    const admin = await accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: TEST_PASSWORD }, null);
    await accounts.create({ login: 'ann', displayName: 'Dr Ann', role: 'reader', password: TEST_PASSWORD }, admin);
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++)
      await assert.rejects(accounts.authenticate('ann', `wrong ${i}`), reason('invalid-credentials'));
    const t0 = Date.now();
    await assert.rejects(accounts.authenticate('ann', 'wrong again'), reason('locked'));
    const locked = accounts.byLogin('ann')!;
    assert.ok(locked.lockedUntil);
    const minutes = (Date.parse(locked.lockedUntil) - t0) / 60_000;
    assert.ok(Math.abs(minutes - LOCK_MINUTES) < 0.1, `${minutes} min`);
    // the right password is refused while locked
    await assert.rejects(accounts.authenticate('ann', TEST_PASSWORD), reason('locked'));
    const actions = store.audit.entries().map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'account.login-failed').length, MAX_FAILED_ATTEMPTS + 1);
    assert.equal(actions.filter((a) => a === 'account.locked').length, 1);
    // an admin unlocks; then the right password works and failures restart from zero
    await assert.rejects(async () => accounts.unlock('ann', accounts.byLogin('ann')!), reason('forbidden'));
    accounts.unlock('ann', admin);
    assert.equal((await accounts.authenticate('ann', TEST_PASSWORD)).failedAttempts, 0);
    // the lock also ends by itself after its time
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await assert.rejects(accounts.authenticate('ann', 'nope'));
    store.db.prepare('UPDATE readers SET locked_until = ? WHERE login = ?').run(new Date(Date.now() - 1000).toISOString(), 'ann');
    assert.equal((await accounts.authenticate('ann', TEST_PASSWORD)).login, 'ann');
    assert.ok(verifyAuditTrail(store.db, store.audit).ok);
  });
});

test("signing: password re-checked; the AI version and another reader's version are signed as the signer's own copy", async () => {
  await withAccounts(async (store, accounts) => {
    const admin = await accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: TEST_PASSWORD }, null);
    const ann = await accounts.create({ login: 'ann', displayName: 'Dr Ann', role: 'reader', password: TEST_PASSWORD }, admin);
    const bob = await accounts.create({ login: 'bob', displayName: 'Dr Bob', role: 'reader', password: TEST_PASSWORD }, admin);
    const n = 16 * 12 * 8;
    const { caseId } = store.addSeries({
      metadata: seriesMetadata(),
      volume: syntheticVolume([16, 12, 8]),
      sourcePath: '/x',
      sourceKind: 'dicom',
      issues: [],
    });
    const ai0 = store.saveLabelVersion(caseId, 'lesion', new Uint8Array(n).fill(1), {
      kind: 'model',
      name: 'm 1',
      modelName: 'm',
      modelVersion: '1',
    });
    await assert.rejects(signOff({ store, accounts }, ann, caseId, ai0.id, TEST_PASSWORD), /no lung mask/);
    const lung = store.saveLabelVersion(caseId, 'lung', new Uint8Array(n).fill(1), { kind: 'algorithm', name: 'lung mask' });
    await assert.rejects(
      signOff({ store, accounts }, ann, caseId, ai0.id, TEST_PASSWORD),
      /blocking QC flag/,
      'the scan QC hold comes before the password',
    );
    acknowledgeBlockingQc(store, caseId);
    await assert.rejects(signOff({ store, accounts }, ann, caseId, ai0.id, 'not my password'), reason('invalid-credentials'));
    await assert.rejects(signOff({ store, accounts }, ann, caseId, lung.id, TEST_PASSWORD), /lesion version/);
    assert.equal(store.listLabelVersions(caseId, 'lesion').length, 1, 'nothing saved by refused signatures');

    const first = await signOff({ store, accounts }, ann, caseId, ai0.id, TEST_PASSWORD);
    assert.equal(first.copiedFrom?.id, ai0.id);
    assert.equal(first.version.version, 2);
    assert.deepEqual(first.version.author, { kind: 'reader', name: 'Dr Ann', readerId: ann.id });
    assert.equal(first.version.parentId, ai0.id);
    assert.equal(first.version.sha256, ai0.sha256, 'an unchanged copy');
    assert.equal(store.labelVersion(ai0.id).signed, false, 'the AI output itself is never signed');
    assert.equal(first.signature.meaning, READ_SIGNATURE_MEANING);
    assert.equal(first.signature.readerRole, 'reader');
    assert.equal(first.signature.lungSha256, lung.sha256);
    assert.deepEqual(store.caseResult(caseId)?.lesionVersion, 2);
    await assert.rejects(signOff({ store, accounts }, bob, caseId, first.version.id, TEST_PASSWORD), /already signed/);

    // Bob's own edit signed as is; Ann signing Bob's unsigned version signs her own copy.
    const bobs = store.saveLabelVersion(
      caseId,
      'lesion',
      new Uint8Array(n).fill(2),
      { kind: 'reader', name: 'Dr Bob', readerId: bob.id },
      { parentId: first.version.id },
    );
    const annOnBob = await signOff({ store, accounts }, ann, caseId, bobs.id, TEST_PASSWORD);
    assert.equal(annOnBob.copiedFrom?.id, bobs.id);
    assert.equal(annOnBob.version.author.readerId, ann.id);
    assert.equal(store.labelVersion(bobs.id).signed, false);
    assert.equal(store.caseResult(caseId)?.lesionVersion, annOnBob.version.version, 'the newest signature is the result');
    assert.equal(store.getCase(caseId).status, 'signed');
    assert.ok(verifyAuditTrail(store.db, store.audit).ok);
  });
});

test(`a session ends after ${SESSION_IDLE_MINUTES} idle minutes (audited); use keeps it alive`, async () => {
  await withAccounts(async (store, accounts) => {
    const admin = await accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: TEST_PASSWORD }, null);
    let now = 1_000_000;
    const session = new ReaderSession(accounts, store.audit, SESSION_IDLE_MINUTES * 60_000, () => now);
    assert.throws(() => session.require(), reason('not-signed-in'));
    session.start(admin);
    now += (SESSION_IDLE_MINUTES - 1) * 60_000;
    assert.equal(session.require().login, 'root');
    now += (SESSION_IDLE_MINUTES - 1) * 60_000;
    assert.equal(session.current()?.login, 'root', 'each call restarts the idle time');
    now += SESSION_IDLE_MINUTES * 60_000 + 1;
    assert.equal(session.current(), null);
    assert.throws(() => session.require(), reason('not-signed-in'));
    const last = store.audit.entries().at(-1);
    assert.equal(last?.action, 'account.logout');
    assert.equal(last.details['reason'], 'idle');
  });
});

test('adjudication: two different signed reads, an adjudicator who read neither, a reason; it becomes the result', async () => {
  await withAccounts(async (store, accounts) => {
    const admin = await accounts.create({ login: 'root', displayName: 'Admin', role: 'admin', password: TEST_PASSWORD }, null);
    const ann = await accounts.create({ login: 'ann', displayName: 'Dr Ann', role: 'reader', password: TEST_PASSWORD }, admin);
    const bob = await accounts.create({ login: 'bob', displayName: 'Dr Bob', role: 'reader', password: TEST_PASSWORD }, admin);
    const cat = await accounts.create({ login: 'cat', displayName: 'Dr Cat', role: 'adjudicator', password: TEST_PASSWORD }, admin);
    const n = 16 * 12 * 8;
    const { caseId } = store.addSeries({
      metadata: seriesMetadata(),
      volume: syntheticVolume([16, 12, 8]),
      sourcePath: '/x',
      sourceKind: 'dicom',
      issues: [],
    });
    store.saveLabelVersion(caseId, 'lung', new Uint8Array(n).fill(1), { kind: 'algorithm', name: 'lung mask' });
    acknowledgeBlockingQc(store, caseId);
    const va = store.saveLabelVersion(
      caseId,
      'lesion',
      Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0)),
      { kind: 'reader', name: 'Dr Ann', readerId: ann.id },
    );
    const a = await signOff({ store, accounts }, ann, caseId, va.id, TEST_PASSWORD);
    await assert.rejects(adjudicate({ store, accounts }, cat, caseId, va.id, TEST_PASSWORD, 'x'), /adjudication needs two/);
    const vb = store.saveLabelVersion(
      caseId,
      'lesion',
      Uint8Array.from({ length: n }, (_, i) => (i % 3 ? 0 : 2)),
      { kind: 'reader', name: 'Dr Bob', readerId: bob.id },
    );
    const b = await signOff({ store, accounts }, bob, caseId, vb.id, TEST_PASSWORD);
    assert.equal(store.caseResult(caseId)?.signature.id, b.signature.id);
    await assert.rejects(adjudicate({ store, accounts }, bob, caseId, va.id, TEST_PASSWORD, 'mine is better'), reason('forbidden'));
    await assert.rejects(adjudicate({ store, accounts }, cat, caseId, va.id, TEST_PASSWORD, '  '), /reason/);
    await assert.rejects(
      adjudicate({ store, accounts }, cat, caseId, va.id, 'wrong password', 'A is right'),
      reason('invalid-credentials'),
    );
    const adj = await adjudicate({ store, accounts }, cat, caseId, a.version.id, TEST_PASSWORD, 'A outlines the consolidation correctly');
    assert.equal(adj.signature.kind, 'adjudication');
    assert.equal(adj.signature.meaning, ADJUDICATION_MEANING);
    assert.equal(adj.signature.reason, 'A outlines the consolidation correctly');
    assert.equal(adj.signature.readerRole, 'adjudicator');
    assert.equal(adj.version.sha256, a.version.sha256, "the picked read, unchanged, as the adjudicator's own version");
    assert.equal(adj.copiedFrom?.id, a.version.id);
    assert.equal(store.caseResult(caseId)?.signature.id, adj.signature.id, 'the adjudication is the result');
    // a later read signature does not displace an adjudication
    const vc = store.saveLabelVersion(caseId, 'lesion', new Uint8Array(n), { kind: 'reader', name: 'Dr Ann', readerId: ann.id });
    await signOff({ store, accounts }, ann, caseId, vc.id, TEST_PASSWORD);
    assert.equal(store.caseResult(caseId)?.signature.id, adj.signature.id);
    assert.ok(verifyAuditTrail(store.db, store.audit).ok);
    assert.ok(store.audit.entries({ caseId }).some((e) => e.action === 'adjudication' && e.actor === 'cat'));
  });
});
