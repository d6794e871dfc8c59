import type { PacsSeries } from '../../../shared/contracts/pacs.ts';
import type { DicomWebClient } from './dicomweb-client.ts';
import { PacsError } from './pacs-error.ts';

/**
 * The series a `pull <UID>` means: the series with that Series Instance UID, else every CT series
 * of the study with that Study Instance UID. Throws `not-found` when the UID names neither.
 */
export async function resolvePullTarget(client: DicomWebClient, uid: string, signal?: AbortSignal): Promise<PacsSeries[]> {
  const series = await client.findSeries(uid, signal);
  if (series) return [series];
  const inStudy = await client.searchSeries(uid, signal).catch((e: unknown) => {
    if (e instanceof PacsError && e.code === 'not-found') return [];
    throw e;
  });
  if (inStudy.length === 0) throw new PacsError('not-found', `the PACS has no series or study with UID ${uid}`);
  const ct = inStudy.filter((s) => s.modality === 'CT');
  if (ct.length === 0)
    throw new PacsError(
      'not-found',
      `study ${uid} has no CT series (modalities: ${[...new Set(inStudy.map((s) => s.modality))].join(', ')})`,
    );
  return ct;
}
