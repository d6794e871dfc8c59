import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutosavePolicy } from '../../../shared/autosave/autosave-policy.ts';
import { AutosaveScheduler, type AutosaveClock } from '../../../shared/autosave/autosave-scheduler.ts';
import { decodeAutosave, encodeAutosave, AutosaveFormatError } from '../../../electron/services/autosave/autosave-record.ts';
import { AutosaveStore } from '../../../electron/services/autosave/autosave-store.ts';
import { asCaseId, asLabelVersionId } from '../../../shared/domain/ids.ts';

/** A manual clock: timers fire only when `advance` passes their time. */
function fakeClock(): AutosaveClock & { advance(ms: number): void; pending(): number } {
  let t = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    pending: () => timers.size,
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        t = due[1].at;
        due[1].fn();
      }
      t = end;
    },
  };
}

const withDir = (fn: (dir: string) => void | Promise<void>) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-autosave-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('policy: due after idleMs of no edits, or maxDelayMs of continuous editing; an edit during a save keeps it dirty', () => {
  const p = new AutosavePolicy({ idleMs: 5000, maxDelayMs: 30000 });
  assert.equal(p.dirty, false);
  assert.equal(p.msUntilDue(0), null);
  p.noteEdit(1000);
  assert.equal(p.due(5999), false);
  assert.equal(p.msUntilDue(2000), 4000);
  assert.equal(p.due(6000), true);
  // Continuous editing every second: due at first-edit + 30 s even though never idle.
  for (let t = 2000; t <= 31000; t += 1000) p.noteEdit(t);
  assert.equal(p.due(30999), false);
  assert.equal(p.due(31000), true);
  const seq = p.editSeq;
  p.noteEdit(31500); // edit while the save of `seq` is being written
  p.noteSaved(seq, 31600);
  assert.equal(p.dirty, true);
  p.noteSaved(p.editSeq, 40000);
  assert.equal(p.dirty, false);
  assert.equal(p.due(99999), false);
});

test('record codec round-trips and rejects torn, foreign or inconsistent files', () => {
  const header = {
    format: 1 as const,
    caseId: 3,
    parentVersionId: 7,
    savedAt: '2024-01-01T00:00:00.000Z',
    byteLength: 4,
    sha256: 'a'.repeat(64),
    encoding: 'deflate-u8' as const,
  };
  const bytes = encodeAutosave(header, Uint8Array.of(1, 2, 3));
  const back = decodeAutosave(bytes);
  assert.deepEqual(back.header, header);
  assert.deepEqual([...back.payload], [1, 2, 3]);
  for (const bad of [
    new Uint8Array(0),
    bytes.subarray(0, 20),
    new TextEncoder().encode('{"format":1}'),
    encodeAutosave({ ...header, caseId: -1 }, new Uint8Array(1)),
    encodeAutosave({ ...header, sha256: 'zz' }, new Uint8Array(1)),
  ]) {
    assert.throws(() => decodeAutosave(bad), AutosaveFormatError);
  }
});

/** Lets the scheduler's deferred save run (its promise chain) after a timer fired. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test(
  'scheduler + store: writes once after idle, recovers the latest state on the next start, drops the slot on commit',
  withDir(async (dir) => {
    const clock = fakeClock();
    const store = new AutosaveStore(dir);
    const caseId = asCaseId(4);
    const labels = new Uint8Array(1000);
    let snapshots = 0;
    const sched = new AutosaveScheduler(
      async () => {
        snapshots++;
        store.write({ caseId, labels: labels.slice(), parentVersionId: asLabelVersionId(11) });
      },
      { idleMs: 5000, maxDelayMs: 60000, clock },
    );
    for (let i = 0; i < 3; i++) {
      labels[i * 10] = 1 + (i % 2);
      sched.edited();
      clock.advance(1000);
    }
    await settle();
    assert.equal(sched.writes, 0, 'not while the reader is active');
    assert.equal(snapshots, 0, 'the state is taken lazily');
    clock.advance(3999); // last edit at t = 2 s; now t = 6.999 s
    await settle();
    assert.equal(sched.writes, 0);
    clock.advance(1); // 5 s after the last edit
    await settle();
    assert.equal(sched.writes, 1);
    assert.equal(sched.dirty, false);
    clock.advance(60000);
    await settle();
    assert.equal(sched.writes, 1, 'nothing more while clean');
    assert.equal(clock.pending(), 0);
    sched.dispose();

    // "Next start": a new store over the same folder.
    const again = new AutosaveStore(dir);
    assert.deepEqual(again.list(), [caseId]);
    const r = again.recover(caseId);
    assert.equal(r.kind, 'recovered');
    assert.deepEqual(r.record.labels, labels);
    assert.equal(r.record.parentVersionId, 11);
    assert.equal(r.record.caseId, caseId);
    assert.match(r.record.savedAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(again.recover(asCaseId(5)).kind, 'none');
    again.discard(caseId);
    assert.deepEqual(again.list(), []);
    assert.equal(again.recover(caseId).kind, 'none');
  }),
);

test('scheduler: flush saves at once; a failing save is retried later, not in a loop', async () => {
  const clock = fakeClock();
  const errors: unknown[] = [];
  let fail = true;
  let saved = 0;
  const sched = new AutosaveScheduler(
    async () => {
      if (fail) throw new Error('disk full');
      saved++;
    },
    { idleMs: 2000, maxDelayMs: 60000, clock, onError: (e) => errors.push(e) },
  );
  sched.edited();
  clock.advance(2000);
  await settle();
  assert.equal(errors.length, 1);
  assert.equal(sched.dirty, true);
  clock.advance(1500);
  await settle();
  assert.equal(errors.length, 1, 'waits before retrying');
  fail = false;
  clock.advance(1000);
  await settle();
  assert.equal(sched.writes, 1);
  assert.equal(sched.dirty, false);
  sched.edited();
  await sched.flush();
  assert.equal(saved, 2);
  assert.equal(sched.dirty, false);
  sched.dispose();
});

test('a reader who paints without pause for 60 s is autosaved at least every maxDelayMs (simulated clock)', async () => {
  const clock = fakeClock();
  const savedAt: number[] = [];
  const sched = new AutosaveScheduler(async () => void savedAt.push(clock.now()), { idleMs: 3000, maxDelayMs: 10000, clock });
  // a brush piece every 50 ms for 60 s: never 3 s idle
  for (let t = 0; t < 60000; t += 50) {
    sched.edited();
    clock.advance(50);
    await settle();
  }
  assert.ok(savedAt.length >= 5, `saved ${savedAt.length} times in 60 s`);
  const gaps = savedAt.map((t, i) => t - (i ? savedAt[i - 1]! : 0));
  assert.ok(Math.max(...gaps) <= 10000 + 50, `longest stretch without a save: ${Math.max(...gaps)} ms`);
  // the last edits are saved once the reader stops
  clock.advance(3000);
  await settle();
  assert.equal(sched.dirty, false);
  sched.dispose();
});

test('an edit made while a save is in flight is saved by the next one', async () => {
  const clock = fakeClock();
  let release: () => void = () => undefined;
  let calls = 0;
  const sched = new AutosaveScheduler(
    () => {
      calls++;
      return new Promise<void>((r) => (release = r));
    },
    { idleMs: 1000, maxDelayMs: 5000, clock },
  );
  sched.edited();
  clock.advance(1000);
  await settle();
  assert.equal(calls, 1);
  sched.edited(); // during the save
  release();
  await settle();
  assert.equal(sched.dirty, true);
  clock.advance(1000);
  await settle();
  assert.equal(calls, 2);
  release();
  await settle();
  assert.equal(sched.dirty, false);
  sched.dispose();
});

test(
  'store: a corrupt slot is quarantined with a reason, a leftover temp file is ignored',
  withDir((dir) => {
    const store = new AutosaveStore(dir);
    const caseId = asCaseId(9);
    store.write({ caseId, labels: new Uint8Array(500).fill(1), parentVersionId: null });
    const slot = store.slotPath(caseId);
    writeFileSync(`${slot}.12345.tmp`, 'half-written');
    const good = store.recover(caseId);
    assert.equal(good.kind, 'recovered');
    const bytes = readFileSync(slot);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff; // flip payload bits
    writeFileSync(slot, bytes);
    const bad = store.recover(caseId);
    assert.equal(bad.kind, 'corrupt');
    assert.match(bad.reason, /sha256|inflate/);
    assert.equal(store.recover(caseId).kind, 'none');
    assert.ok(
      readdirSync(store.dir).some((f) => f.includes('.corrupt-')),
      'kept aside, not deleted',
    );
    assert.throws(() => store.slotPath(asCaseId(-1)), RangeError);
  }),
);
