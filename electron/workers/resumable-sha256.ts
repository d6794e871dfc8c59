import { createHash, type Hash } from 'node:crypto';

/** Bytes between two kept hash states (1 MiB: 75 states for a 512×512×300 label map). */
const STEP = 1 << 20;
/** Label maps whose states are kept (per worker thread). */
const KEPT = 4;

/** The SHA-256 states of recently hashed label maps, by their digest: states[i] = after i × STEP bytes. */
const kept = new Map<string, readonly Hash[]>();

/**
 * SHA-256 (hex) of `bytes`, exactly `createHash('sha256').update(bytes)`, but resumed where it can
 * be: when `base` names a map hashed earlier in this thread whose bytes equal these up to
 * `base.firstChange`, hashing restarts from the last state kept before that offset instead of
 * from byte 0 (a save that changed slice k of K hashes about (K − k)/K of the map). The states of
 * this map are kept for the next call. A miss (another thread, an evicted map) only costs a full hash.
 */
export function resumableSha256(bytes: Uint8Array, base: { readonly digest: string; readonly firstChange: number } | null = null): string {
  const prior = base ? kept.get(base.digest) : undefined;
  const states: Hash[] = [];
  let h: Hash;
  let start = 0;
  if (prior && base && prior.length > 0) {
    const c = Math.max(0, Math.min(Math.floor(base.firstChange / STEP), prior.length - 1));
    states.push(...prior.slice(0, c + 1));
    h = (prior[c] as Hash).copy();
    start = c * STEP;
  } else {
    h = createHash('sha256');
    states.push(h.copy());
  }
  for (let p = start; p < bytes.length; p += STEP) {
    h.update(bytes.subarray(p, Math.min(bytes.length, p + STEP)));
    if (p + STEP < bytes.length) states.push(h.copy());
  }
  const digest = h.digest('hex');
  kept.delete(digest);
  kept.set(digest, states);
  while (kept.size > KEPT) {
    const oldest = kept.keys().next();
    if (oldest.done) break;
    kept.delete(oldest.value);
  }
  return digest;
}
