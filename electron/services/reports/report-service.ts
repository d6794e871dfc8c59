import { writeFileSafely } from '../exports/safe-write.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';
import { buildReportData, type ReportData } from '../../../shared/export/report-data.ts';
import type { SignOffRecord } from '../../../shared/export/report-input.ts';
import { burdenCsv, cohortRow, type CohortRow } from '../../../shared/export/burden-csv.ts';
import { renderKeyImages } from '../../../shared/export/key-images.ts';
import { APP_ROOT } from '../../app/paths.ts';
import { CaseStoreError, type BurdenRecord, type CaseStore } from '../cases/case-store.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit-trail.ts';
import { renderReportPdf } from './render-report-pdf.ts';
import { caseQc } from '../qc/qc-store.ts';
import { reportTrialContext } from '../trial/report-trial-context.ts';
import { longitudinalPage } from './longitudinal-page.ts';
import { doubleReadReport } from '../read-studies/double-read-report-data.ts';
import { ensureReadResultRule } from '../read-studies/read-study-services.ts';
import { doubleReadPages } from './double-read-page.ts';

export interface CaseReportOptions {
  /** Show the patient only as a pseudonym (derived from the Patient ID when `true`). */
  readonly pseudonymize?: boolean | string;
  /** `source` column of the CSV row (batch: path relative to the batch root). */
  readonly source?: string;
  /** Report time (default now). */
  readonly now?: Date;
  /** Who made the report (audit trail; default the system). */
  readonly by?: AuditActor;
}

export interface CaseReportFiles {
  readonly pdfPath: string;
  readonly csvPath: string;
  readonly jsonPath: string;
  readonly data: ReportData;
  readonly row: CohortRow;
  readonly pageCount: number;
}

/** The application name and version printed on reports (from package.json). */
export function softwareVersion(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { productName?: string; version?: string };
    return { name: pkg.productName ?? 'Lung Burden', version: pkg.version ?? 'unknown' };
  } catch {
    return { name: 'Lung Burden', version: 'unknown' };
  }
}

/** Stable pseudonym of a patient: "LB-" + first 10 hex digits of sha256(Patient ID). */
export function pseudonymOf(patientId: string): string {
  return `LB-${createHash('sha256').update(`lung-burden\u0000${patientId}`).digest('hex').slice(0, 10)}`;
}

/**
 * Signatures of a case: the electronic signatures (name, role, meaning, bound sha256s), then
 * sign-offs recorded before reader accounts existed (name and time only).
 */
export function signOffsOf(store: CaseStore, caseId: CaseId): SignOffRecord[] {
  const signatures: SignOffRecord[] = store.signatures(caseId).map((g) => ({
    labelVersionId: g.lesionVersionId,
    reader: g.readerName,
    signedAt: g.signedAt,
    role: g.readerRole,
    meaning: g.meaning,
    lesionSha256: g.lesionSha256,
    lungVersionId: g.lungVersionId,
    lungSha256: g.lungSha256,
    kind: g.kind,
    ...(g.reason ? { reason: g.reason } : {}),
  }));
  const covered = new Set(signatures.map((g) => g.labelVersionId as number));
  const legacy = (
    store.db.prepare('SELECT label_version_id, reader, signed_at FROM signoffs WHERE case_id = ? ORDER BY id').all(caseId) as {
      label_version_id: number;
      reader: string;
      signed_at: string;
    }[]
  )
    .filter((r) => !covered.has(r.label_version_id))
    .map((r) => ({ labelVersionId: asLabelVersionId(r.label_version_id), reader: r.reader, signedAt: r.signed_at }));
  return [...signatures, ...legacy];
}

/**
 * The burden record a report prints: the case's result (its signed lesion + lung versions, the
 * burden computed now if it never was), else the latest record (a DRAFT).
 */
export function reportBurdenRecord(store: CaseStore, caseId: CaseId): BurdenRecord | null {
  const result = store.caseResult(caseId);
  if (!result) return store.latestBurden(caseId);
  const { lesionVersionId, lungVersionId } = result.signature;
  const stored = store.burdenOf(caseId, lesionVersionId, lungVersionId);
  if (stored) return stored;
  const volume = store.loadVolume(caseId);
  const g = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
  store.recordBurden(
    caseId,
    lesionVersionId,
    lungVersionId,
    computeBurden(volume, { ...g, data: store.loadLabels(lungVersionId) }, store.loadLabels(lesionVersionId)),
  );
  return store.burdenOf(caseId, lesionVersionId, lungVersionId);
}

/** Writes bytes to `path` atomically (temporary file in the same folder, then rename). */
export function writeFileAtomic(path: string, bytes: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  // Temporary file created exclusively without following links, fsynced, renamed; a target that
  // is a symbolic link is refused (issue 18).
  writeFileSafely(path, bytes);
}

/** `report.pdf` → `report.csv` / `report.json` (the extension replaced, or appended). */
export function besidePath(pdfPath: string, ext: 'csv' | 'json'): string {
  return /\.pdf$/i.test(pdfPath) ? pdfPath.replace(/\.pdf$/i, `.${ext}`) : `${pdfPath}.${ext}`;
}

/**
 * The report model of a case from its result's burden record (else the latest: a draft) (identifiers or pseudonym, figures,
 * provenance, sign-offs): what the PDF, the JSON and the cohort CSV row are made from.
 */
export function caseReportData(store: CaseStore, caseId: CaseId, opts: CaseReportOptions = {}): ReportData {
  ensureReadResultRule(store);
  const doubleRead = doubleReadReport(store, caseId);
  const caseDetail = store.getCase(caseId);
  const record = reportBurdenRecord(store, caseId);
  if (!record) throw new CaseStoreError('invalid', `case ${caseId} has no burden yet: analyse it first`);
  const series = store.seriesMetadata(caseId);
  const pseudonym =
    opts.pseudonymize === undefined || opts.pseudonymize === false
      ? undefined
      : typeof opts.pseudonymize === 'string'
        ? opts.pseudonymize
        : pseudonymOf(series.patientId || caseDetail.patientId || `case-${caseId}`);
  return buildReportData({
    caseDetail,
    series,
    burdenRecord: record,
    signOffs: signOffsOf(store, caseId),
    generatedAt: (opts.now ?? new Date()).toISOString(),
    software: softwareVersion(),
    ...(pseudonym !== undefined ? { pseudonym } : {}),
    qc: caseQc(store.db, caseId).flags,
    ...optionalTrial(reportTrialContext(store, caseId)),
    ...(doubleRead ? { doubleRead } : {}),
  });
}

/**
 * Writes the report of a case from its latest burden record: the two-page PDF at `outPdf`, the
 * report model as JSON (`<out>.json`) and the one-row cohort CSV (`<out>.csv`) beside it. The
 * case must have been analysed (it needs a burden record and its lung mask).
 */
export async function writeCaseReport(
  store: CaseStore,
  caseId: CaseId,
  outPdf: string,
  opts: CaseReportOptions = {},
): Promise<CaseReportFiles> {
  const data = caseReportData(store, caseId, opts);
  const record = reportBurdenRecord(store, caseId);
  if (!record) throw new CaseStoreError('invalid', `case ${caseId} has no burden yet: analyse it first`);
  const volume = store.loadVolume(caseId);
  const lung = store.loadLabels(record.lungVersionId);
  const lesion = record.lesionVersionId === null ? null : store.loadLabels(record.lesionVersionId);
  const images = renderKeyImages(volume, lung, lesion);
  const timeline = data.trial?.longitudinal;
  const rendered = await renderReportPdf(data, images, {
    extraPages: [
      ...(timeline
        ? [
            {
              subtitle: `Longitudinal: subject ${timeline.subjectId}, change from baseline`,
              render: longitudinalPage(timeline, data.trial.sponsor ?? ''),
            },
          ]
        : []),
      ...doubleReadPages(data),
    ],
  });
  const row = cohortRow(data, opts.source ?? '');
  const csvPath = besidePath(outPdf, 'csv');
  const jsonPath = besidePath(outPdf, 'json');
  writeFileAtomic(outPdf, rendered.pdf);
  writeFileAtomic(csvPath, burdenCsv([row]));
  writeFileAtomic(jsonPath, `${JSON.stringify(data, null, 2)}\n`);
  store.audit.append({
    actor: opts.by ?? SYSTEM_ACTOR,
    action: 'report',
    caseId,
    entity: `case:${caseId}`,
    sha256: createHash('sha256').update(rendered.pdf).digest('hex'),
    details: {
      state: data.provenance.state,
      lesionVersion: data.provenance.lesion?.version ?? null,
      lungVersion: data.provenance.lungMask?.version ?? null,
      pages: rendered.pageCount,
      pseudonymized: data.patient.pseudonymized,
    },
  });
  return { pdfPath: outPdf, csvPath, jsonPath, data, row, pageCount: rendered.pageCount };
}

const optionalTrial = (trial: ReportData['trial']): Pick<ReportData, 'trial'> => (trial ? { trial } : {});
