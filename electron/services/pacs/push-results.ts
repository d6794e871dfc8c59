import type { CaseId } from '../../../shared/domain/ids.ts';
import type { PacsPushResult } from '../../../shared/contracts/pacs.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { buildCaseResults } from './case-results.ts';
import type { DicomWebClient } from './dicomweb-client.ts';
import { PacsError } from './pacs-error.ts';

/**
 * Stores a case's result on a DICOMweb node with one STOW-RS request into the source study: the
 * DICOM SEG, the TID 1500 Measurement Report SR and the PDF report as Encapsulated PDF. Without
 * `preliminary` only a signed version is sent (final); with it the latest version is sent and,
 * when unsigned, marked preliminary (SR UNVERIFIED/PARTIAL, "preliminary" in the descriptions).
 * Every object must be acknowledged by the PACS, else it throws `rejected`.
 */
export async function pushCaseResults(
  client: DicomWebClient,
  store: CaseStore,
  caseId: CaseId,
  o: { preliminary: boolean; signal?: AbortSignal },
): Promise<PacsPushResult> {
  const r = await buildCaseResults(store, caseId, { preliminary: o.preliminary }, { withPdf: true });
  const objects = [
    { kind: 'seg' as const, obj: r.seg },
    { kind: 'sr' as const, obj: r.sr },
    ...(r.pdf ? [{ kind: 'pdf' as const, obj: r.pdf }] : []),
  ];
  const study = store.seriesMetadata(caseId).studyInstanceUid;
  const { stored } = await client.store(
    objects.map((x) => x.obj.bytes),
    o.signal,
    study,
  );
  const missing = objects.filter((x) => !stored.includes(x.obj.sopInstanceUid));
  if (missing.length)
    throw new PacsError('rejected', `the PACS did not acknowledge the ${missing.map((m) => m.kind.toUpperCase()).join(', ')}`);
  return {
    caseId,
    labelVersion: r.version.version,
    state: r.state,
    stored: objects.map((x) => ({ kind: x.kind, sopInstanceUid: x.obj.sopInstanceUid, seriesInstanceUid: x.obj.seriesInstanceUid })),
  };
}
