// The audit chain catches tampering done directly on the SQLite file with the triggers dropped:
// an edited, a deleted and an inserted row, a changed signature and changed signed labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { entryHash } from '../../../electron/services/audit/audit-trail.ts';
import { canonicalJson } from '../../../electron/services/audit/canonical-json.ts';
import { verifyAuditTrail } from '../../../electron/services/audit/verify-audit-trail.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signAs } from '../../support/test-readers.ts';

const N = 16 * 12 * 8;

/** A store with one imported, analysed, edited and signed case; returns its folder (closed). */
function signedStore(): { dir: string; verify(): ReturnType<typeof verifyAuditTrail>; raw(): Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'lb-audit-'));
  const store = CaseStore.open(dir);
  const { caseId } = store.addSeries({
    metadata: seriesMetadata(),
    volume: syntheticVolume([16, 12, 8]),
    sourcePath: '/x',
    sourceKind: 'dicom',
    issues: [],
  });
  store.saveLabelVersion(
    caseId,
    'lung',
    Uint8Array.from({ length: N }, (_, i) => (i % 16 < 8 ? 1 : 2)),
    { kind: 'algorithm', name: 'lung mask' },
  );
  const ai = store.saveLabelVersion(
    caseId,
    'lesion',
    Uint8Array.from({ length: N }, (_, i) => (i % 5 === 0 ? 1 : 0)),
    { kind: 'model', name: 'm 1', modelName: 'm', modelVersion: '1' },
  );
  const mine = store.saveLabelVersion(
    caseId,
    'lesion',
    Uint8Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 1 : 0)),
    { kind: 'reader', name: 'Dr A' },
    { parentId: ai.id },
  );
  signAs(store, caseId, mine.id, 'Dr A');
  store.close();
  return {
    dir,
    verify: () => {
      const s = CaseStore.open(dir);
      try {
        return verifyAuditTrail(s.db, s.audit);
      } finally {
        s.close();
      }
    },
    raw: () => new Database(join(dir, 'cases.sqlite')),
  };
}

function withSigned(fn: (s: ReturnType<typeof signedStore>) => void): void {
  const s = signedStore();
  try {
    fn(s);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
}

test('an untouched trail verifies; entries name who, what, and the sha256 of what', () => {
  withSigned((s) => {
    const v = s.verify();
    assert.deepEqual(v.problems, []);
    assert.ok(v.ok);
    const db = s.raw();
    const actions = (db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
    assert.deepEqual(actions, [
      'audit.start',
      'case.import',
      'label.save',
      'label.save',
      'status.change',
      'label.save',
      'status.change',
      'signature',
      'status.change',
    ]);
    const sig = db.prepare(`SELECT * FROM audit_log WHERE action = 'signature'`).get() as {
      actor: string;
      actor_role: string;
      entity_sha256: string;
    };
    assert.equal(sig.actor, 'dr.a');
    assert.equal(sig.actor_role, 'reader');
    assert.match(sig.entity_sha256, /^[0-9a-f]{64}$/);
    db.close();
    assert.equal(v.head?.seq, 9);
    assert.equal(v.anchor?.hash, v.head.hash);
  });
});

test('the triggers refuse changes to the trail and to signatures', () => {
  withSigned((s) => {
    const db = s.raw();
    assert.throws(() => db.prepare(`UPDATE audit_log SET actor = 'x' WHERE seq = 2`).run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run(), /append-only/);
    assert.throws(() => db.prepare(`UPDATE signatures SET meaning = 'x'`).run(), /immutable/);
    assert.throws(() => db.prepare('DELETE FROM signatures').run(), /never deleted/);
    db.close();
  });
});

test('an edited row (triggers dropped) is named as the first broken entry', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`).run();
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.equal(v.problems[0]?.seq, 3);
    assert.match(v.problems[0].problem, /entry modified/);
  });
});

test('a deleted row (triggers dropped) is caught at the gap', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.equal(v.problems[0]?.seq, 5, JSON.stringify(v.problems));
    assert.match(v.problems[0].problem, /sequence number 5 where 4/);
    assert.equal(v.problems.filter((p) => /sequence number/.test(p.problem)).length, 1, 'only the gap is reported');
    assert.ok(
      v.problems.some((p) => /no audit entry/.test(p.problem)),
      'the label version it covered is now uncovered',
    );
  });
});

test('the newest row deleted: the anchor beside the database catches it', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)').run();
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.match(v.problems[0]!.problem, /deleted/);
  });
});

test('an inserted row with a correctly recomputed chain is caught by the anchor', () => {
  withSigned((s) => {
    const db = s.raw();
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const forged = {
      seq: last.seq + 1,
      at: new Date().toISOString(),
      actor: 'mallory',
      actorRole: 'admin',
      action: 'signature',
      caseId: 1,
      entity: 'case:1',
      entitySha256: '',
      details: {},
      prevHash: last.hash,
    };
    db.prepare(
      'INSERT INTO audit_log (seq, at, actor, actor_role, action, case_id, entity, entity_sha256, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      forged.seq,
      forged.at,
      forged.actor,
      forged.actorRole,
      forged.action,
      forged.caseId,
      forged.entity,
      forged.entitySha256,
      canonicalJson(forged.details),
      forged.prevHash,
      entryHash(forged),
    );
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.equal(v.problems[0]?.seq, last.seq + 1);
    assert.match(v.problems[0].problem, /inserted/);
  });
});

test('a row inserted in the middle breaks the sequence', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER audit_log_no_update');
    // make room at seq 3 by renumbering, as someone editing the file would have to
    const rows = db.prepare('SELECT seq FROM audit_log WHERE seq >= 3 ORDER BY seq DESC').all() as { seq: number }[];
    for (const r of rows) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(r.seq + 1, r.seq);
    const prev = db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string };
    const e = {
      seq: 3,
      at: new Date().toISOString(),
      actor: 'mallory',
      actorRole: 'admin',
      action: 'export',
      caseId: 1,
      entity: 'case:1',
      entitySha256: '',
      details: {},
      prevHash: prev.hash,
    };
    db.prepare(
      'INSERT INTO audit_log (seq, at, actor, actor_role, action, case_id, entity, entity_sha256, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(e.seq, e.at, e.actor, e.actorRole, e.action, e.caseId, e.entity, e.entitySha256, '{}', e.prevHash, entryHash(e));
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.equal(v.problems[0]?.seq, 4);
  });
});

test('a signature row changed (triggers dropped) no longer matches its entry', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER signatures_no_update');
    db.prepare(`UPDATE signatures SET reader_name = 'Dr Somebody Else'`).run();
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.match(v.problems[0]!.problem, /signature record differs/);
    assert.equal(v.problems[0]?.seq, 8);
  });
});

test('signed labels swapped (data and sha256 rewritten, triggers dropped) are caught', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER label_versions_no_update');
    const other = new Uint8Array(N).fill(2);
    const sha = createHash('sha256').update(other).digest('hex');
    db.prepare(`UPDATE label_versions SET data = ?, sha256 = ? WHERE signed = 1`).run(deflateSync(other), sha);
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.ok(
      v.problems.some((p) => /differs from the signed one/.test(p.problem)),
      JSON.stringify(v.problems),
    );
    assert.ok(v.problems.some((p) => /differs from the one saved/.test(p.problem)));
  });
});

test('a signature deleted (triggers dropped) is caught', () => {
  withSigned((s) => {
    const db = s.raw();
    db.exec('DROP TRIGGER signatures_no_delete');
    db.prepare('DELETE FROM signatures').run();
    db.close();
    const v = s.verify();
    assert.equal(v.ok, false);
    assert.ok(v.problems.some((p) => /no longer exists/.test(p.problem)));
  });
});
