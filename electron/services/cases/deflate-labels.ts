import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, deflateSync } from 'node:zlib';
import { countLabels } from './label-encoding.ts';
import type { NewLabelVersion } from './insert-label-version.ts';

const deflateAsync = promisify(deflate);
const sha256 = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

/** A label map as it is stored: per-class counts, deflate-compressed bytes (level 1), sha256 of the raw bytes. */
export function deflateLabels(labels: Uint8Array): NewLabelVersion['enc'] {
  return { counts: countLabels(labels), blob: deflateSync(labels, { level: 1 }), digest: sha256(labels) };
}

/**
 * Same as {@link deflateLabels}, but compression runs on the libuv thread pool while this thread
 * hashes and counts. `labels` must not change until it resolves.
 */
export async function deflateLabelsAsync(labels: Uint8Array): Promise<NewLabelVersion['enc']> {
  // deflate on the thread pool while this thread hashes (no copy of the input) and counts
  const blob = deflateAsync(labels, { level: 1 });
  const digest = sha256(labels);
  const counts = countLabels(labels);
  return { counts, blob: await blob, digest };
}
