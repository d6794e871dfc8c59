import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { PacsSeries, PacsStudy, PacsStudyFilter } from '../../../shared/contracts/pacs.ts';
import { PacsError, errorOfStatus } from './pacs-error.ts';
import { buildMultipartRelated, MultipartError, newBoundary, parseMultipartRelated } from './multipart-related.ts';
import { jsonText, parseDicomJsonArray, seriesOf, studyOf, TAG, type DicomJsonDataset } from './qido-results.ts';
import type { DicomWebClientOptions, HttpResult } from './dicomweb-options.ts';
import { sleep, uidPath } from './dicomweb-net.ts';
import { httpExchangeOnce } from './http-exchange-once.ts';

export type { DicomWebAuth, DicomWebClientOptions } from './dicomweb-options.ts';

/** The Accept header of a WADO-RS instance retrieve: DICOM Part-10 parts in their stored transfer syntax. */
export const ACCEPT_DICOM = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/**
 * A small DICOMweb (PS3.18) client over node:http/https: QIDO-RS (studies, series, instances),
 * WADO-RS (one instance at a time, so a retrieve can resume and report progress per instance),
 * STOW-RS. Why not the `dicomweb-client` package: it is built on XMLHttpRequest (absent in Node),
 * buffers without a way to plug in a TLS CA, and has no retries or per-request idle timeout.
 *
 * Transient failures (connection refused/reset, truncated bodies, idle timeouts, 5xx, 429) are
 * retried with exponential back-off; 4xx are not. Errors are {@link PacsError}s that name the
 * cause (401/403/404/5xx/unreachable/interrupted/tls).
 */
export class DicomWebClient {
  private readonly root: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly opts: DicomWebClientOptions) {
    let u: URL;
    try {
      u = new URL(opts.url.replace(/\/+$/, ''));
    } catch {
      throw new PacsError('bad-request', `"${opts.url.slice(0, 200)}" is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new PacsError('bad-request', 'the DICOMweb root must be an http or https URL');
    if (u.username || u.password) throw new PacsError('bad-request', 'put credentials in the node settings, not in the URL');
    this.root = u;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 250;
    this.agent =
      u.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, maxSockets: 4, ...(opts.caPem ? { ca: opts.caPem } : {}) })
        : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  /** Releases the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** The root URL without credentials or query (safe to log). */
  get displayUrl(): string {
    return `${this.root.origin}${this.root.pathname}`;
  }

  private url(path: string, query?: Readonly<Record<string, string | undefined>>): URL {
    const u = new URL(this.root.href);
    u.pathname = `${this.root.pathname.replace(/\/+$/, '')}${path}`;
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.append(k, v);
    return u;
  }

  private authHeader(): Record<string, string> {
    const a = this.opts.auth ?? { kind: 'none' };
    if (a.kind === 'basic') return { authorization: `Basic ${Buffer.from(`${a.user}:${a.password}`, 'utf8').toString('base64')}` };
    if (a.kind === 'bearer') return { authorization: `Bearer ${a.token}` };
    return {};
  }

  /** One HTTP exchange with the node's credentials (see {@link httpExchangeOnce}). */
  private once(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | null,
    signal: AbortSignal | undefined,
    what: string,
    onBytes?: (n: number) => void,
  ): Promise<HttpResult> {
    return httpExchangeOnce(
      { agent: this.agent, timeoutMs: this.timeoutMs },
      method,
      url,
      { ...headers, ...this.authHeader() },
      body,
      signal,
      what,
      onBytes,
    );
  }

  /** An exchange with retries: a 2xx result, or the last error. `check` may refuse a 2xx body (then retried when retryable). */
  private async exchange<T>(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | null,
    signal: AbortSignal | undefined,
    what: string,
    check: (r: HttpResult) => T,
    onBytes?: (n: number) => void,
  ): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        const r = await this.once(method, url, headers, body, signal, what, onBytes);
        if (r.status < 200 || r.status >= 300)
          throw errorOfStatus(r.status, what, r.body.toString('utf8', 0, Math.min(r.body.length, 400)));
        return check(r);
      } catch (e) {
        const err = e instanceof PacsError ? e : new PacsError('bad-response', `${what}: ${e instanceof Error ? e.message : String(e)}`);
        if (!err.retryable || attempt >= this.retries || signal?.aborted) throw err;
        attempt++;
        this.opts.onRetry?.(what, attempt, err);
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await sleep(Math.min(delay, 30_000), signal);
      }
    }
  }

  private async getJson(
    path: string,
    query: Record<string, string | undefined>,
    what: string,
    signal?: AbortSignal,
  ): Promise<DicomJsonDataset[]> {
    return this.exchange('GET', this.url(path, query), { accept: 'application/dicom+json, application/json' }, null, signal, what, (r) =>
      r.status === 204 ? [] : parseDicomJsonArray(r.body.toString('utf8')),
    );
  }

  /** QIDO-RS `/studies` with the reader's filters (PS3.18 §10.6). */
  async searchStudies(q: PacsStudyFilter, signal?: AbortSignal): Promise<PacsStudy[]> {
    // DA range matching (PS3.4 C.2.2.2.5): `from-to`, `from-`, `-to`; one day as a single value
    const date =
      q.studyDateFrom && q.studyDateFrom === q.studyDateTo
        ? q.studyDateFrom
        : q.studyDateFrom || q.studyDateTo
          ? `${q.studyDateFrom ?? ''}-${q.studyDateTo ?? ''}`
          : undefined;
    const rows = await this.getJson(
      '/studies',
      {
        PatientID: q.patientId,
        PatientName: q.patientName,
        AccessionNumber: q.accessionNumber,
        StudyDate: date,
        ModalitiesInStudy: q.modality,
        limit: q.limit !== undefined ? String(q.limit) : undefined,
        includefield: '00081030,00201206,00201208',
      },
      'study search',
      signal,
    );
    return rows.map(studyOf).filter((s) => s.studyInstanceUid !== '');
  }

  /** QIDO-RS `/studies/{uid}/series`. */
  async searchSeries(studyInstanceUid: string, signal?: AbortSignal): Promise<PacsSeries[]> {
    const rows = await this.getJson(
      `/studies/${uidPath(studyInstanceUid)}/series`,
      { includefield: '0008103E,00201209' },
      `series search of study ${studyInstanceUid}`,
      signal,
    );
    return rows.map((r) => seriesOf(r, studyInstanceUid)).filter((s) => s.seriesInstanceUid !== '');
  }

  /** QIDO-RS `/series?SeriesInstanceUID=` across studies: the series with this UID, or null. */
  async findSeries(seriesInstanceUid: string, signal?: AbortSignal): Promise<PacsSeries | null> {
    const rows = await this.getJson(
      '/series',
      { SeriesInstanceUID: uidPath(seriesInstanceUid), includefield: '0020000D,0008103E,00201209' },
      `lookup of series ${seriesInstanceUid}`,
      signal,
    );
    const s = rows.map((r) => seriesOf(r, '')).find((x) => x.seriesInstanceUid === seriesInstanceUid);
    return s && s.studyInstanceUid ? s : null;
  }

  /** QIDO-RS `/studies/{uid}/series/{uid}/instances`: SOP Instance UIDs (sorted by Instance Number where given). */
  async searchInstances(studyInstanceUid: string, seriesInstanceUid: string, signal?: AbortSignal): Promise<string[]> {
    const rows = await this.getJson(
      `/studies/${uidPath(studyInstanceUid)}/series/${uidPath(seriesInstanceUid)}/instances`,
      {},
      `instance list of series ${seriesInstanceUid}`,
      signal,
    );
    return rows
      .map((r) => ({ uid: jsonText(r, TAG.sopInstanceUid), n: Number(jsonText(r, TAG.instanceNumber)) }))
      .filter((r) => r.uid !== '')
      .sort((a, b) => (Number.isFinite(a.n) && Number.isFinite(b.n) ? a.n - b.n : 0))
      .map((r) => r.uid);
  }

  /**
   * WADO-RS retrieve of one instance as DICOM Part 10 (multipart/related; application/dicom).
   * The body must be complete (closing delimiter) and hold exactly one DICOM file.
   */
  async retrieveInstance(
    studyInstanceUid: string,
    seriesInstanceUid: string,
    sopInstanceUid: string,
    signal?: AbortSignal,
    onBytes?: (n: number) => void,
  ): Promise<Uint8Array> {
    const what = `retrieve of instance ${sopInstanceUid}`;
    return this.exchange(
      'GET',
      this.url(`/studies/${uidPath(studyInstanceUid)}/series/${uidPath(seriesInstanceUid)}/instances/${uidPath(sopInstanceUid)}`),
      { accept: ACCEPT_DICOM },
      null,
      signal,
      what,
      (r) => {
        let parts;
        try {
          parts = parseMultipartRelated(r.body, r.headers['content-type'] ?? '');
        } catch (e) {
          if (e instanceof MultipartError)
            throw new PacsError(e.code === 'truncated' ? 'interrupted' : 'bad-response', `${what}: ${e.message}`);
          throw e;
        }
        const part = parts[0];
        if (parts.length !== 1 || !part) throw new PacsError('bad-response', `${what}: expected one DICOM part, got ${parts.length}`);
        const b = part.body;
        if (b.length < 132 || b[128] !== 0x44 || b[129] !== 0x49 || b[130] !== 0x43 || b[131] !== 0x4d) {
          throw new PacsError('bad-response', `${what}: the part is not a DICOM Part-10 file`);
        }
        return b;
      },
      onBytes,
    );
  }

  /**
   * STOW-RS: stores Part-10 files (PS3.18 §10.5) in one request. Resolves with the stored SOP
   * Instance UIDs; throws `rejected` when the PACS reports failures (HTTP 202/409 with a
   * FailedSOPSequence).
   */
  async store(files: readonly Uint8Array[], signal?: AbortSignal, studyInstanceUid?: string): Promise<{ stored: string[] }> {
    const { body, contentType } = buildMultipartRelated(files, newBoundary(randomBytes(12)));
    const path = studyInstanceUid ? `/studies/${uidPath(studyInstanceUid)}` : '/studies';
    const what = `store of ${files.length} object(s)`;
    const url = this.url(path);
    let result: HttpResult;
    try {
      result = await this.exchange(
        'POST',
        url,
        { 'content-type': contentType, accept: 'application/dicom+json, application/json' },
        body,
        signal,
        what,
        (r) => r,
      );
    } catch (e) {
      if (e instanceof PacsError && e.status === 409)
        throw new PacsError('rejected', `${what}: the PACS rejected every object (HTTP 409)`, 409);
      throw e;
    }
    const text = result.body.toString('utf8');
    const ds = (text.trim() ? JSON.parse(text) : {}) as DicomJsonDataset;
    const seqOf = (tag: string): DicomJsonDataset[] => (ds[tag]?.Value ?? []) as DicomJsonDataset[];
    const failed = seqOf(TAG.failedSopSequence);
    if (result.status === 202 || failed.length > 0) {
      const reasons = failed.map((f) => `${jsonText(f, TAG.referencedSopInstanceUid)} reason ${jsonText(f, TAG.failureReason) || '?'}`);
      throw new PacsError(
        'rejected',
        `${what}: the PACS refused ${failed.length} object(s): ${reasons.join('; ').slice(0, 300)}`,
        result.status,
      );
    }
    return { stored: seqOf(TAG.referencedSopSequence).map((r) => jsonText(r, TAG.referencedSopInstanceUid)) };
  }
}
