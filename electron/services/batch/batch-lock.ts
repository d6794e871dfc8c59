import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Lock file of a batch output folder. */
export const BATCH_LOCK_FILE = '.batch.lock';

/** Thrown when another live batch process holds the output folder. */
export class BatchLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchLockError';
  }
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of a batch output folder: `<outDir>/.batch.lock`, created exclusively ('wx'), so
 * two batch processes never analyse the same cases into one folder. A second process is refused
 * with a message naming the holder; a lock left by a process that no longer runs (same host) is
 * taken over. Returns the release function (removes the lock if it is still ours).
 */
export function acquireBatchLock(outDir: string): () => void {
  const path = join(outDir, BATCH_LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if (readFileSync(path, 'utf8') === text) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: string;
    try {
      held = readFileSync(path, 'utf8');
    } catch {
      continue; // released meanwhile: try again
    }
    let owner: LockOwner | null = null;
    try {
      owner = JSON.parse(held) as LockOwner;
    } catch {
      owner = null;
    }
    if (owner && (owner.host !== me.host || alive(owner.pid))) {
      throw new BatchLockError(
        `another batch (process ${owner.pid} on ${owner.host}, started ${owner.startedAt}) is writing to ${outDir}: wait for it to finish, or use another --out (if it is not running, delete ${path})`,
      );
    }
    if (!owner && attempt > 0) throw new BatchLockError(`${path} is not a batch lock: delete it or use another --out`);
    // Left by a process that no longer runs (or unreadable): remove it if unchanged and retry once.
    try {
      if (readFileSync(path, 'utf8') === held) unlinkSync(path);
    } catch {
      // removed by someone else meanwhile
    }
  }
  throw new BatchLockError(`could not lock ${outDir} (another batch started at the same moment?): try again`);
}
