import type { LabelVersionInfo } from '../domain/case.ts';
import type { LabelVersionId } from '../domain/ids.ts';
import { readReportBurden, ReportDataError, type ReportBurden } from './report-burden.ts';
import { severityCategory, SEVERITY_DEFINITION, SEVERITY_REFERENCE, type SeverityCategory } from './severity-category.ts';
import type { DoubleReadReport } from './double-read-report.ts';
import type { ReportInput, ReportQcFlag, ReportTrialContext, SignOffRecord } from './report-input.ts';

/** One row of the burden table: a class, its volume (mL) and its share of the lung volume (%). */
export interface BurdenTableRow {
  readonly label: string;
  readonly volumeMl: number;
  /** Percent of the total lung volume; null for the lung row itself. */
  readonly percentOfLung: number | null;
}

/** How a label version came to be, as printed in the report. */
export interface VersionProvenance {
  readonly labelVersionId: LabelVersionId;
  readonly version: number;
  readonly authorKind: 'model' | 'reader' | 'algorithm';
  readonly author: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly signed: boolean;
}

/** The report model: what a PDF, JSON or CSV export of one case shows. */
export interface ReportData {
  readonly schema: 'lung-burden-report/1';
  readonly generatedAt: string;
  readonly software: { readonly name: string; readonly version: string };
  readonly patient: {
    readonly pseudonymized: boolean;
    /** DICOM Patient ID, or the pseudonym. */
    readonly id: string;
    readonly name: string;
    readonly birthDate: string;
    readonly sex: string;
  };
  readonly study: {
    readonly date: string;
    readonly description: string;
    readonly accessionNumber: string;
    readonly studyInstanceUid: string;
  };
  readonly series: {
    readonly caseId: number;
    readonly description: string;
    readonly number: string;
    readonly modality: string;
    readonly manufacturer: string;
    readonly kernel: string;
    readonly seriesInstanceUid: string;
    /** Voxels along i, j, k. */
    readonly sizeVoxels: readonly [number, number, number];
    readonly spacingMm: readonly [number, number, number];
    readonly sliceThicknessMm: number | null;
    readonly sourceKind: 'dicom' | 'nifti';
    readonly importWarnings: readonly string[];
  };
  /** Clinical-trial context; absent for cases outside a study. */
  readonly trial?: ReportTrialContext;
  /** Both signed reads and the adjudication; absent outside double-read studies. */
  readonly doubleRead?: DoubleReadReport;
  readonly burden: ReportBurden;
  readonly table: readonly BurdenTableRow[];
  readonly severity: SeverityCategory & { readonly definition: string; readonly reference: string };
  readonly provenance: {
    readonly lungMask: VersionProvenance | null;
    readonly lesion: VersionProvenance | null;
    /** The model that produced the lesion labels (or the version they were edited from). */
    readonly model: { readonly name: string; readonly version: string } | null;
    readonly signOff: SignOffRecord | null;
    /**
     * `signed`: the figures are the case's result (a signature covers exactly this lesion and lung
     * version); `draft`: nothing signed covers them (the PDF says DRAFT on every page).
     */
    readonly state: 'signed' | 'draft';
    /** ISO 8601 time the burden was computed. */
    readonly burdenComputedAt: string;
    /** Sentence: what was computed automatically. */
    readonly automatic: string;
    /** Sentence: what a reader reviewed and signed (or that nobody did). */
    readonly review: string;
  };
  readonly disclaimer: string;
  /** Scan QC flags (most serious first), each with its acknowledgement; empty when none were raised. */
  readonly qc: readonly ReportQcFlag[];
}

export const REPORT_DISCLAIMER = 'Not for diagnostic use without physician review.';

/**
 * Builds the report model of one case. Pure: every input comes from the case store. The burden
 * figures come from the given burden record; the provenance follows the lesion version of that
 * record back through its parents to the model run it started from.
 */
export function buildReportData(input: ReportInput): ReportData {
  const { caseDetail: c, series: m, burdenRecord } = input;
  const burden = readReportBurden(burdenRecord.burden);
  const versions = c.labelVersions;
  const byId = new Map(versions.map((v) => [v.id as number, v]));
  const lesionV = burdenRecord.lesionVersionId === null ? null : (byId.get(burdenRecord.lesionVersionId) ?? null);
  if (burdenRecord.lesionVersionId !== null && !lesionV) {
    throw new ReportDataError(`lesion version ${burdenRecord.lesionVersionId} is not a version of case ${c.id}`);
  }
  const lungV = byId.get(burdenRecord.lungVersionId) ?? null;
  const modelV = lesionV ? modelAncestor(lesionV, byId) : null;
  const model = modelV ? { name: modelV.author.modelName ?? modelV.author.name, version: modelV.author.modelVersion ?? '' } : null;
  const signOff = lesionV
    ? (input.signOffs.find(
        (s) => s.labelVersionId === lesionV.id && (s.lungVersionId === undefined || s.lungVersionId === burdenRecord.lungVersionId),
      ) ?? null)
    : null;
  const pseudo = input.pseudonym !== undefined;

  const provenance = (v: LabelVersionInfo | null): VersionProvenance | null =>
    v && {
      labelVersionId: v.id,
      version: v.version,
      authorKind: v.author.kind,
      author: v.author.name,
      createdAt: v.createdAt,
      signed: v.signed,
    };

  const automatic = automaticSentence(lungV, lesionV, model);
  const review = reviewSentence(lesionV, signOff);

  const sev = severityCategory(Math.min(100, Math.max(0, burden.burdenPercent)));
  return {
    schema: 'lung-burden-report/1',
    generatedAt: input.generatedAt,
    software: input.software,
    patient: {
      pseudonymized: pseudo,
      id: pseudo ? input.pseudonym : m.patientId || c.patientId,
      name: pseudo ? '' : formatPersonName(m.patientName || c.patientName),
      birthDate: pseudo ? '' : formatDicomDate(m.patientBirthDate),
      sex: m.patientSex,
    },
    study: {
      date: formatDicomDate(m.studyDate || c.studyDate),
      description: m.studyDescription || c.studyDescription,
      accessionNumber: pseudo ? '' : m.accessionNumber,
      studyInstanceUid: pseudo ? '' : m.studyInstanceUid,
    },
    series: {
      caseId: c.id,
      description: m.seriesDescription || c.seriesDescription,
      number: m.seriesNumber || c.seriesNumber,
      modality: m.modality || c.modality,
      manufacturer: m.manufacturer,
      kernel: m.convolutionKernel,
      seriesInstanceUid: pseudo ? '' : m.seriesInstanceUid,
      sizeVoxels: [...c.geometry.size],
      spacingMm: [...c.geometry.spacingMm],
      sliceThicknessMm: m.sliceThicknessMm,
      sourceKind: c.sourceKind,
      importWarnings: c.issues.map((i) => `${i.severity}: ${i.message}`),
    },
    ...(input.trial !== undefined ? { trial: input.trial } : {}),
    ...(input.doubleRead !== undefined ? { doubleRead: input.doubleRead } : {}),
    burden,
    table: [
      { label: 'Lung volume', volumeMl: burden.lungVolumeMl, percentOfLung: null },
      { label: 'Ground-glass opacity (GGO)', volumeMl: burden.ggoVolumeMl, percentOfLung: burden.ggoBurdenPercent },
      {
        label: 'High opacity (consolidation + effusion)',
        volumeMl: burden.highOpacityVolumeMl,
        percentOfLung: burden.highOpacityBurdenPercent,
      },
      { label: 'Total lesion (burden)', volumeMl: burden.lesionVolumeMl, percentOfLung: burden.burdenPercent },
    ],
    severity: { ...sev, definition: SEVERITY_DEFINITION, reference: SEVERITY_REFERENCE },
    provenance: {
      lungMask: provenance(lungV),
      lesion: provenance(lesionV),
      model,
      signOff,
      state: signOff ? 'signed' : 'draft',
      burdenComputedAt: burdenRecord.createdAt,
      automatic: `${automatic}.`,
      review,
    },
    disclaimer: REPORT_DISCLAIMER,
    qc: input.qc ?? [],
  };
}

/** What the software did, in one sentence: lung mask, lesion labels, volumes and burden. */
function automaticSentence(
  lungV: LabelVersionInfo | null,
  lesionV: LabelVersionInfo | null,
  model: { readonly name: string; readonly version: string } | null,
): string {
  const lungBy = lungV ? `${lungV.author.kind === 'reader' ? 'reader' : 'algorithm'} "${lungV.author.name}"` : 'an unknown source';
  return [
    `Lung mask v${lungV?.version ?? '?'} by ${lungBy}`,
    lesionV
      ? lesionV.author.kind === 'model'
        ? `lesion labels v${lesionV.version} by the model ${model ? `${model.name} ${model.version}` : lesionV.author.name}`
        : model
          ? `initial lesion labels by the model ${model.name} ${model.version}`
          : null
      : 'no lesion model was run (lesion volumes 0)',
    'volumes and burden computed by the software',
  ]
    .filter((s): s is string => s !== null)
    .join('; ');
}

/** Who reviewed the lesion labels, in one sentence: signed (or adjudicated), edited, or not reviewed. */
function reviewSentence(lesionV: LabelVersionInfo | null, signOff: SignOffRecord | null): string {
  return !lesionV
    ? 'Not reviewed: no lesion labels.'
    : signOff
      ? `Lesion labels v${lesionV.version} ${signOff.kind === 'adjudication' ? 'adjudicated' : 'signed'} by ${signOff.reader}${signOff.role ? ` (${signOff.role})` : ''} on ${signOff.signedAt}${signOff.meaning ? `, meaning: "${signOff.meaning}"` : ''}${signOff.reason ? `, reason: "${signOff.reason}"` : ''}${lesionV.author.kind === 'reader' ? ` (edited by ${lesionV.author.name})` : ' (model labels accepted unchanged)'}.`
      : lesionV.author.kind === 'reader'
        ? `Lesion labels v${lesionV.version} edited by ${lesionV.author.name} on ${lesionV.createdAt}; NOT signed.`
        : 'Automatic result: NOT reviewed or signed by a reader.';
}

/** The model-authored version a lesion version descends from (itself when model-authored). */
function modelAncestor(v: LabelVersionInfo, byId: ReadonlyMap<number, LabelVersionInfo>): LabelVersionInfo | null {
  const seen = new Set<number>();
  let cur: LabelVersionInfo | undefined = v;
  while (cur && !seen.has(cur.id)) {
    if (cur.author.kind === 'model') return cur;
    seen.add(cur.id);
    cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
  }
  return null;
}

/** DICOM DA "YYYYMMDD" → "YYYY-MM-DD" (other strings unchanged). */
export function formatDicomDate(da: string): string {
  const t = da.trim();
  return /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : t;
}

/** DICOM PN "Family^Given^Middle" → "Family, Given Middle". */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = ''] = pn.split('=')[0]!.split('^');
  const rest = [given, middle].filter(Boolean).join(' ');
  return family && rest ? `${family}, ${rest}` : family || rest;
}
