import { z } from 'zod';
import type { CaseId } from '../domain/ids.ts';
import type { CaseTrialInfo } from '../trial/trial-info.ts';
import type { SubjectTimeline } from '../trial/change-from-baseline.ts';
import { method } from './contract.ts';

/** Same as `workstation.ts`'s (kept here so the two contract files do not import each other). */
const CaseIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);

/** A sponsor identifier (DICOM LO: at most 64 characters, no control characters or backslash). */
const TrialTextSchema = z
  .string()
  .trim()
  .max(64)
  .refine((s) => !/[\u0000-\u001f\u007f\\]/.test(s), 'control characters or backslash');

/** The trial fields of a case as the renderer and the CLI send them. */
export const TrialFieldsSchema = z
  .object({
    protocolId: TrialTextSchema,
    sponsorName: TrialTextSchema,
    siteId: TrialTextSchema,
    subjectId: TrialTextSchema,
    visitLabel: TrialTextSchema,
    visitDescription: TrialTextSchema,
    /** 0 = baseline, N = follow-up N; null = unknown. */
    visitOrder: z.number().int().min(0).max(999).nullable(),
    /** `YYYY-MM-DD` or ''. */
    visitDate: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'visit date must be YYYY-MM-DD')]),
  })
  .strict();

/** Why trial fields of a signed case are changed (the service requires ≥ 3 characters once the case is signed, and says so). */
export const TrialReasonSchema = z.string().trim().max(2000).nullable();

/**
 * The studies-and-timepoints service: protocol / sponsor / site / subject / visit of each case
 * (read from DICOM at import, given at import, edited later; every change audited) and each
 * subject's change from baseline. Main side: `electron/app/api/trial-api.ts`.
 */
export const trialContract = {
  trial: {
    /** The stored trial fields of a case (null: none stored). */
    get: method(z.tuple([CaseIdSchema])).returns<CaseTrialInfo | null>(),
    /** Every case's trial fields (worklist columns and filter). */
    list: method(z.tuple([])).returns<CaseTrialInfo[]>(),
    /**
     * Sets a case's trial fields (signed-in reader, adjudicator or admin). `source` says whether they
     * are given with an import or edited later. On a signed case a reason is required and recorded.
     */
    set: method(z.tuple([CaseIdSchema, TrialFieldsSchema, TrialReasonSchema, z.enum(['import', 'edit'])])).returns<CaseTrialInfo>(),
    /** The timeline (change from baseline) of the subject of a case; null when the case has no subject id. */
    timeline: method(z.tuple([CaseIdSchema])).returns<SubjectTimeline | null>(),
  },
} as const;
export type TrialContract = typeof trialContract;
