import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Background work (an AI run, import decoding, lung masks) yields the CPU to what a reader waits
 * for: lowers the calling thread's scheduling priority by `delta` nice steps (at most 19). Linux
 * only, where a nice value is per thread (set through the thread id, `/proc/thread-self`); threads
 * this one starts afterwards (onnxruntime's pool) inherit it. Elsewhere, or when refused, nothing
 * changes. Returns the nice value set, or null.
 */
export function lowerThreadPriority(delta: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    const next = Math.min(19, getPriority(tid) + delta);
    setPriority(tid, next);
    return next;
  } catch {
    return null;
  }
}
