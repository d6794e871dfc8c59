import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asCaseId } from '../../shared/domain/ids.ts';
import type { PacsStudyFilter } from '../../shared/contracts/pacs.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { DicomWebClient, type DicomWebAuth } from '../services/pacs/dicomweb-client.ts';
import { PacsError } from '../services/pacs/pacs-error.ts';
import { PacsNodes } from '../services/pacs/pacs-nodes.ts';
import { resolvePullTarget } from '../services/pacs/resolve-pull-target.ts';
import { retrieveSeries } from '../services/pacs/retrieve-series.ts';
import { pushCaseResults } from '../services/pacs/push-results.ts';
import { buildCaseResults } from '../services/pacs/case-results.ts';
import { ExportWriter } from '../services/exports/export-files.ts';

/** Options of the `pacs` commands (already parsed by the CLI's parseArgs). */
export interface PacsCommandOptions {
  readonly dataDir: string;
  readonly url?: string;
  readonly user?: string;
  /** Bearer token; `$LUNG_BURDEN_PACS_TOKEN` when absent. */
  readonly token?: string;
  /** PEM file of extra CA certificates. */
  readonly ca?: string;
  readonly timeoutS?: number;
  readonly patient?: string;
  readonly json: boolean;
  readonly unsigned: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** A `pacs` command whose input is wrong (exit code 2). */
export class PacsUsageError extends Error {
  override readonly name = 'PacsUsageError';
}

export const PACS_USAGE = `  pacs query --url <dicomweb-root> [--patient ID] [--json]      QIDO-RS study search (with each study's series)
  pacs pull  <StudyInstanceUID|SeriesInstanceUID> --url <root>   WADO-RS retrieve into the store; prints the case id(s)
  pacs push  <case-id> --url <root> [--unsigned]                  STOW-RS: SEG + TID 1500 SR + PDF of the signed version
            (--unsigned: the latest version, marked preliminary)
            auth: --user U with $LUNG_BURDEN_PACS_PASSWORD, or --token T / $LUNG_BURDEN_PACS_TOKEN; --ca <pem>; --timeout S;
            --url defaults to the first PACS node configured in the workstation`;

/** The client of the command line: URL from the flag or the first configured node; never logs the secret. */
function clientOf(o: PacsCommandOptions, store: CaseStore): DicomWebClient {
  let url = o.url;
  let user = o.user;
  let caPem: string | null = o.ca ? readFileSync(resolve(o.ca), 'utf8') : null;
  let timeoutS = o.timeoutS ?? 60;
  if (!url) {
    const node = new PacsNodes(store).list()[0];
    if (!node) throw new PacsUsageError('no --url given and no PACS node is configured in the workstation');
    url = node.url;
    if (!user && node.auth.kind === 'basic') user = node.auth.user;
    caPem ??= node.caPem;
    timeoutS = o.timeoutS ?? node.timeoutS;
  }
  const token = o.token ?? o.env['LUNG_BURDEN_PACS_TOKEN'];
  let auth: DicomWebAuth = { kind: 'none' };
  if (user) {
    const password = o.env['LUNG_BURDEN_PACS_PASSWORD'];
    if (!password) throw new PacsUsageError('--user needs the password in $LUNG_BURDEN_PACS_PASSWORD (never on the command line)');
    auth = { kind: 'basic', user, password };
  } else if (token) auth = { kind: 'bearer', token };
  return new DicomWebClient({
    url,
    auth,
    caPem,
    timeoutMs: timeoutS * 1000,
    onRetry: (what, attempt, e) => o.log(`pacs: ${what}: ${e.code}${e.status ? ` (HTTP ${e.status})` : ''}, retry ${attempt}`),
  });
}

/** `lung-burden pacs query|pull|push …`; returns the exit code. */
export async function runPacsCommand(sub: string | undefined, args: readonly string[], o: PacsCommandOptions): Promise<number> {
  const store = CaseStore.open(o.dataDir);
  let client: DicomWebClient | null = null;
  try {
    if (sub !== 'query' && sub !== 'pull' && sub !== 'push')
      throw new PacsUsageError(`pacs needs query, pull or push (got ${sub ?? 'nothing'})`);
    client = clientOf(o, store);
    if (sub === 'query') {
      const q: PacsStudyFilter = o.patient ? { patientId: o.patient } : {};
      const studies = await client.searchStudies(q, o.signal);
      const rows = [];
      for (const s of studies) rows.push({ ...s, series: await client.searchSeries(s.studyInstanceUid, o.signal) });
      if (o.json) o.out(JSON.stringify(rows, null, 2));
      else {
        o.out('patient\tdate\taccession\tdescription\tstudy UID');
        for (const s of rows) {
          o.out(`${s.patientId}\t${s.studyDate}\t${s.accessionNumber}\t${s.studyDescription}\t${s.studyInstanceUid}`);
          for (const se of s.series)
            o.out(
              `  series ${se.seriesNumber}\t${se.modality}\t${se.instanceCount ?? '?'} instances\t${se.seriesDescription}\t${se.seriesInstanceUid}`,
            );
        }
      }
      return 0;
    }
    if (sub === 'pull') {
      const uid = args[0];
      if (!uid) throw new PacsUsageError('pacs pull needs a Study or Series Instance UID');
      const targets = await resolvePullTarget(client, uid, o.signal);
      for (const t of targets) {
        const r = await retrieveSeries(
          client,
          store,
          { dataDir: o.dataDir, studyInstanceUid: t.studyInstanceUid, seriesInstanceUid: t.seriesInstanceUid },
          {
            ...(o.signal ? { signal: o.signal } : {}),
            onProgress: (d, total, m) => {
              if (process.stderr.isTTY) process.stderr.write(`\r${m} (${d}/${total})   `);
            },
          },
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (r.resumed) o.log(`pacs: resumed ${t.seriesInstanceUid}: ${r.resumed} of ${r.instances} instances were already staged`);
        for (const i of r.issues) o.log(`${i.severity}: ${i.message}`);
        for (const c of r.caseIds)
          o.out(`${c}\t${r.duplicate ? 'already imported' : 'imported'}\t${t.seriesDescription || t.seriesInstanceUid}`);
      }
      return 0;
    }
    const target = args[0];
    if (!target || !/^\d+$/.test(target)) throw new PacsUsageError('pacs push needs a case id');
    const r = await pushCaseResults(client, store, asCaseId(Number(target)), {
      preliminary: o.unsigned,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (o.json) o.out(JSON.stringify(r, null, 2));
    else {
      o.out(
        `case ${r.caseId}: lesion version ${r.labelVersion} stored as ${r.state === 'final' ? 'final (signed)' : 'PRELIMINARY (unsigned)'}`,
      );
      for (const s of r.stored) o.out(`  ${s.kind.toUpperCase()}\t${s.sopInstanceUid}`);
    }
    return 0;
  } finally {
    client?.close();
    store.close();
  }
}

/**
 * `lung-burden export <case-id> --format sr --out <dir> [--unsigned]`: the TID 1500 Measurement
 * Report of the signed version (or, with --unsigned, the latest one, preliminary) and the SEG it
 * references, as `sr-case<id>-v<n>.dcm` and `seg-case<id>-v<n>.dcm`.
 */
export async function runSrExportCommand(o: {
  target: string;
  out: string;
  dataDir: string;
  unsigned: boolean;
  log: (m: string) => void;
}): Promise<number> {
  if (!/^\d+$/.test(o.target.trim()))
    throw new PacsUsageError('export --format sr needs a case id of the store (import and analyse first)');
  const store = CaseStore.open(o.dataDir);
  try {
    const caseId = asCaseId(Number(o.target));
    store.getCase(caseId);
    const r = await buildCaseResults(store, caseId, { preliminary: o.unsigned }, { withPdf: false });
    const w = new ExportWriter(resolve(o.out));
    const sr = w.write(`sr-case${caseId}-v${r.version.version}.dcm`, r.sr.bytes);
    w.write(`seg-case${caseId}-v${r.version.version}.dcm`, r.seg.bytes);
    o.log(`export: TID 1500 SR of lesion version ${r.version.version} (${r.state}) → ${resolve(o.out, sr.path)} (+ the SEG it references)`);
    return 0;
  } finally {
    store.close();
  }
}

export { PacsError };
