import { z } from 'zod';
import type { JobInfo } from './workstation.ts';
import { method } from './contract.ts';
import type { CaseId } from '../domain/ids.ts';

/** A case id (as `CaseIdSchema` of the workstation contract; repeated here to keep the contract files acyclic). */
const CaseIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);

/**
 * The `pacs` service: DICOMweb (PS3.18) nodes the workstation queries (QIDO-RS), retrieves series
 * from (WADO-RS, into the case store through the same import rules as folders) and stores results
 * to (STOW-RS: DICOM SEG + TID 1500 SR + encapsulated PDF report).
 *
 * Secrets (password or bearer token) cross this boundary only inwards (`saveNode`); they are never
 * returned. Where the main process has an OS-backed encryptor (Electron `safeStorage`) they are
 * persisted encrypted; otherwise (browser mode, CLI) they are kept in memory for the session only,
 * which `PacsNodeView.secretStorage` says so the UI can tell the reader.
 */

/** A DICOMweb root URL: http(s), no credentials in it, bounded. */
export const PacsUrlSchema = z
  .string()
  .trim()
  .min(8)
  .max(2000)
  .refine((s) => {
    // scheme://host[:port][/path]; no user-info (credentials belong in the node's auth)
    const m = /^https?:\/\/([^/?#]+)([/?#].*)?$/i.exec(s);
    return m !== null && !(m[1] ?? '').includes('@') && !/\s/.test(s);
  }, 'must be an http(s) URL without credentials');

export const PacsNodeIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** How the workstation authenticates to a node. */
export const PacsAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('basic'), user: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('bearer') }),
]);
export type PacsAuth = z.infer<typeof PacsAuthSchema>;

/** A node as the reader configures it (no secret). */
export const PacsNodeInputSchema = z.object({
  /** Absent: a new node. */
  id: PacsNodeIdSchema.optional(),
  name: z.string().trim().min(1).max(100),
  url: PacsUrlSchema,
  auth: PacsAuthSchema,
  /** PEM of extra CA certificates trusted for this node (TLS), or null. */
  caPem: z.string().max(200_000).nullable(),
  /** Seconds without data before a request is abandoned (and retried). */
  timeoutS: z.number().int().min(1).max(600),
});
export type PacsNodeInput = z.infer<typeof PacsNodeInputSchema>;

/** A configured node as shown (the secret only as "present, where kept"). */
export interface PacsNodeView {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly auth: PacsAuth;
  readonly caPem: string | null;
  readonly timeoutS: number;
  /** Whether a password/token is known for this node. */
  readonly hasSecret: boolean;
  /** `encrypted`: persisted with the OS keychain (Electron safeStorage); `session`: memory only, re-enter after a restart. */
  readonly secretStorage: 'encrypted' | 'session';
}

/** A password or bearer token (write-only). */
export const PacsSecretSchema = z.string().min(1).max(4096);

/** QIDO-RS study search. Dates are DICOM DA (`YYYYMMDD`). Empty fields are not sent. */
export const PacsStudyQuerySchema = z.object({
  patientId: z.string().trim().max(64).optional(),
  /** DICOM PN matching: `*` wildcards allowed (`DOE*`). */
  patientName: z.string().trim().max(64).optional(),
  accessionNumber: z.string().trim().max(16).optional(),
  studyDateFrom: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  studyDateTo: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  modality: z
    .string()
    .trim()
    .regex(/^[A-Z]{0,16}$/)
    .optional(),
  /** Most studies returned (required, so that an empty object is not a query). */
  limit: z.number().int().min(1).max(1000),
});
export type PacsStudyQuery = z.infer<typeof PacsStudyQuerySchema>;
/** A study search as the client takes it (limit optional: the PACS's own default). */
export type PacsStudyFilter = Omit<PacsStudyQuery, 'limit'> & { readonly limit?: number };

export const DicomUidSchema = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)*$/)
  .max(64);

/** One study of a QIDO-RS result. */
export interface PacsStudy {
  readonly studyInstanceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly accessionNumber: string;
  readonly modalities: readonly string[];
  readonly seriesCount: number | null;
  readonly instanceCount: number | null;
}

/** One series of a QIDO-RS result. */
export interface PacsSeries {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly seriesNumber: string;
  readonly seriesDescription: string;
  readonly instanceCount: number | null;
}

/** What a push stored (STOW-RS). */
export interface PacsPushResult {
  readonly caseId: CaseId;
  readonly labelVersion: number;
  /** `final`: the signed version; `preliminary`: an unsigned version pushed on request. */
  readonly state: 'final' | 'preliminary';
  readonly stored: readonly { readonly kind: 'seg' | 'sr' | 'pdf'; readonly sopInstanceUid: string; readonly seriesInstanceUid: string }[];
}

export const pacsContract = {
  pacs: {
    nodes: method(z.tuple([])).returns<PacsNodeView[]>(),
    /** Adds or updates a node; `secret` null keeps the stored one (an empty auth drops it). */
    saveNode: method(z.tuple([PacsNodeInputSchema, PacsSecretSchema.nullable()])).returns<PacsNodeView[]>(),
    removeNode: method(z.tuple([PacsNodeIdSchema])).returns<PacsNodeView[]>(),
    /** A cheap QIDO-RS call: does the node answer, and do the credentials work? */
    testNode: method(z.tuple([PacsNodeIdSchema])).returns<{ ok: boolean; message: string }>(),
    searchStudies: method(z.tuple([PacsNodeIdSchema, PacsStudyQuerySchema])).returns<PacsStudy[]>(),
    searchSeries: method(z.tuple([PacsNodeIdSchema, DicomUidSchema])).returns<PacsSeries[]>(),
    /**
     * Retrieves a series (WADO-RS, instance by instance into a staging folder; a retry resumes
     * with the instances already there) and imports it once complete. A job (`kind: 'import'`)
     * with progress and cancel; its `caseIds` name the new case.
     */
    retrieveSeries: method(z.tuple([PacsNodeIdSchema, DicomUidSchema, DicomUidSchema])).returns<JobInfo>(),
    /** Stores SEG + SR + PDF of the case's signed version; `preliminary: true` pushes the latest unsigned one, marked preliminary. */
    pushResults: method(z.tuple([PacsNodeIdSchema, CaseIdSchema, z.object({ preliminary: z.boolean() })])).returns<PacsPushResult>(),
  },
} as const;

export type PacsContract = typeof pacsContract;
