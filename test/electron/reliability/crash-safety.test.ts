import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { VoxelCache } from '../../../electron/services/cases/voxel-cache.ts';
import { asCaseId, asLabelVersionId } from '../../../shared/domain/ids.ts';
import { crashOpLabels, CRASH_VOLUME_SIZE } from './crash-ops.ts';
import { mulberry32 } from '../../../shared/util/mulberry32.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TOTAL_OPS = 1000;
const KILL_ROUNDS = 12;
/**
 * Most operations one killed round may run. A kill round's child runs at most this many operations
 * and then waits to be killed (`hold`), and a timed kill that has not fired after the last of them
 * becomes a kill after it: the 12 kill rounds use at most 12 × 76 = 912 of the 1,000 operations,
 * and every kill happens whatever the machine's speed (the rounds used to let a fast child finish
 * the budget before all kills had happened).
 */
const MAX_ACKS_PER_KILL_ROUND = Math.floor((TOTAL_OPS - 1) / (KILL_ROUNDS + 1));

const rng = mulberry32;

type Ack =
  | { op: number; kind: 'import'; caseId: number; hash: string }
  | { op: number; kind: 'save'; caseId: number; versionId: number; sha256: string };

/**
 * Runs the child from op `start`; kills it with SIGKILL after `killAfterAcks` acks plus
 * `extraDelayMs` (or after `killAtMs` from spawn), or lets it finish when both are null.
 */
function runChild(
  dataDir: string,
  inputsDir: string,
  start: number,
  plan: { killAfterAcks: number | null; extraDelayMs: number; killAtMs: number | null },
): Promise<{ acks: Ack[]; killed: boolean; stderr: string }> {
  const killing = plan.killAfterAcks !== null;
  const end = killing ? Math.min(TOTAL_OPS, start + MAX_ACKS_PER_KILL_ROUND) : TOTAL_OPS;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dataDir, inputsDir, String(start), String(end), ...(killing ? ['hold'] : [])],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acks: Ack[] = [];
    let killed = false;
    let stderr = '';
    let buf = '';
    const kill = (): void => {
      if (!killed && child.exitCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const timer = plan.killAtMs !== null ? setTimeout(kill, plan.killAtMs) : null;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.stdout.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const p = line.split(' ');
        if (p[0] === 'holding') kill(); // ran its bounded share of operations without a kill: kill now
        if (p[0] !== 'ack') continue;
        const op = Number(p[1]);
        acks.push(
          p[2] === 'import'
            ? { op, kind: 'import', caseId: Number(p[3]), hash: String(p[4]) }
            : { op, kind: 'save', caseId: Number(p[3]), versionId: Number(p[4]), sha256: String(p[5]) },
        );
        if (plan.killAfterAcks !== null && acks.length === plan.killAfterAcks) {
          if (plan.extraDelayMs > 0) setTimeout(kill, plan.extraDelayMs);
          else kill();
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (!killed && (code !== 0 || signal)) reject(new Error(`child failed (${code ?? signal}): ${stderr}`));
      else resolve({ acks, killed, stderr });
    });
  });
}

/** Opens the store as a restarted app would and checks every acknowledged operation. */
function verify(dataDir: string, acks: readonly Ack[]): { integrity: string; lost: string[] } {
  const store = CaseStore.open(dataDir);
  try {
    const integrity = String(store.db.pragma('integrity_check', { simple: true }));
    const lost: string[] = [];
    const n = CRASH_VOLUME_SIZE[0] * CRASH_VOLUME_SIZE[1] * CRASH_VOLUME_SIZE[2];
    for (const a of acks) {
      try {
        if (a.kind === 'save') {
          const info = store.labelVersion(asLabelVersionId(a.versionId));
          const bytes = store.loadLabels(asLabelVersionId(a.versionId)); // verifies its sha256
          if (info.sha256 !== a.sha256 || info.caseId !== a.caseId) lost.push(`op ${a.op}: version ${a.versionId} differs`);
          else if (bytes.length !== n || Buffer.compare(Buffer.from(bytes), Buffer.from(crashOpLabels(a.op))) !== 0)
            lost.push(`op ${a.op}: label bytes differ`);
        } else {
          const v = store.loadVolume(asCaseId(a.caseId));
          if (VoxelCache.contentHash(v) !== a.hash) lost.push(`op ${a.op}: case ${a.caseId} voxels differ`);
        }
      } catch (e) {
        lost.push(`op ${a.op}: ${(e as Error).message}`);
      }
    }
    return { integrity, lost };
  } finally {
    store.close();
  }
}

test('SIGKILL at random points during 1,000 label saves and imports loses no acknowledged edit', { timeout: 360_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-crash-'));
  const dataDir = join(dir, 'data');
  const inputsDir = join(dir, 'inputs');
  mkdirSync(inputsDir, { recursive: true });
  const random = rng(0x1b8);
  const acks: Ack[] = [];
  const killPoints: string[] = [];
  let restarts = 0;
  try {
    for (let round = 0; acks.length < TOTAL_OPS; round++) {
      const next = acks.length === 0 ? 0 : (acks[acks.length - 1] as Ack).op + 1;
      const killing = round < KILL_ROUNDS;
      // Two kinds of kill points: after n acks (+0–8 ms, i.e. inside the next operation), or at a
      // random time from spawn (may land in start-up, migration or WAL recovery), bounded by
      // MAX_ACKS_PER_KILL_ROUND acks so a fast machine cannot run past the kill.
      const byTime = killing && random() < 0.25;
      const plan = !killing
        ? { killAfterAcks: null, extraDelayMs: 0, killAtMs: null }
        : byTime
          ? { killAfterAcks: MAX_ACKS_PER_KILL_ROUND, extraDelayMs: 0, killAtMs: Math.floor(200 + random() * 1200) }
          : { killAfterAcks: 1 + Math.floor(random() * MAX_ACKS_PER_KILL_ROUND), extraDelayMs: Math.floor(random() * 9), killAtMs: null };
      const r = await runChild(dataDir, inputsDir, next, plan);
      const before = acks.length;
      for (const a of r.acks) {
        assert.equal(a.op, (acks.length === 0 ? -1 : (acks[acks.length - 1] as Ack).op) + 1, 'ops are acked in order');
        acks.push(a);
      }
      if (r.killed) {
        killPoints.push(byTime ? `t=${plan.killAtMs}ms/op${next + r.acks.length}` : `op${next + r.acks.length}+${plan.extraDelayMs}ms`);
        restarts++;
      }
      // After each restart: integrity plus this round's acks; every ack again at the end.
      const done = acks.length >= TOTAL_OPS;
      const check = verify(dataDir, done ? acks : acks.slice(before));
      assert.equal(check.integrity, 'ok', `integrity after round ${round}`);
      assert.deepEqual(check.lost, [], `acknowledged operations lost after round ${round}`);
      if (killing) assert.ok(r.killed, `round ${round} was killed (acks ${r.acks.length} <= ${MAX_ACKS_PER_KILL_ROUND})`);
      assert.ok(round < KILL_ROUNDS + 3, 'the operation stream finishes');
    }
    const voxelDir = join(dataDir, 'voxels');
    const files = readdirSync(voxelDir);
    const tmpLeft = files.filter((f) => f.endsWith('.tmp')).length;
    const n = CRASH_VOLUME_SIZE[0] * CRASH_VOLUME_SIZE[1] * CRASH_VOLUME_SIZE[2];
    for (const f of files.filter((x) => x.endsWith('.i16'))) assert.equal(statSync(join(voxelDir, f)).size, n * 2, `${f} is whole`);
    const saves = acks.filter((a) => a.kind === 'save').length;
    console.log(
      `crash-safety ${JSON.stringify({ ops: acks.length, saves, imports: acks.length - saves, kills: restarts, killPoints, editsLost: 0, voxelTmpFilesLeft: tmpLeft })}`,
    );
    assert.equal(acks.length, TOTAL_OPS);
    assert.equal(restarts, KILL_ROUNDS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
