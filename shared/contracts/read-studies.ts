import { z } from 'zod';
import type { CaseAgreementView, CaseReadView, ReadAssignmentView, ReadStudyView } from '../domain/read-study.ts';
import { READ_DESIGNS, READ_SLOTS } from '../domain/read-study.ts';
import type { CaseId } from '../domain/ids.ts';
import type { StudyAgreementStats } from '../imaging/read-study-stats.ts';
import { method } from './contract.ts';
import { LoginSchema } from './readers.ts';

// The case id schema of `workstation.ts` (not imported from it: it spreads this contract in).
const CaseIdArg = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);
/** A trial protocol id: 1–64 printable characters (letters, digits, `. _ - /`). */
export const ProtocolIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._\-/]{1,64}$/, 'protocol id: 1–64 letters, digits or . _ - /');

export const ReadStudyInputSchema = z
  .object({
    protocolId: ProtocolIdSchema,
    title: z.string().trim().min(1).max(200),
    design: z.enum(READ_DESIGNS),
    hideAi: z.boolean(),
    minLesionDice: z.number().min(0).max(1),
    maxBurdenDiffPp: z.number().min(0).max(100),
    maxLesionVolumeDiffMl: z.number().min(0).max(100_000),
  })
  .strict();
export type ReadStudyInput = z.infer<typeof ReadStudyInputSchema>;

/** Outcome of a CSV export: written where the user chose (Electron), or the text to download. */
export type StatsCsvOutcome =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'written'; readonly destination: string }
  | { readonly kind: 'download'; readonly fileName: string; readonly csv: string };

/**
 * Read studies (blinded double read + adjudication). Admins create studies and assign cases;
 * every change is audited. Blinding itself is enforced on every case call (main side).
 */
export const readStudiesContract = {
  readStudies: {
    list: method(z.tuple([])).returns<ReadStudyView[]>(),
    /** Admin: a new study. */
    create: method(z.tuple([ReadStudyInputSchema])).returns<ReadStudyView>(),
    /** Admin: assigns a case of the study to a reader (login) in a slot; replaces who held the slot before any read. */
    assign: method(z.tuple([ProtocolIdSchema, CaseIdArg, z.enum(READ_SLOTS), LoginSchema])).returns<ReadAssignmentView[]>(),
    /** Admin or adjudicator: the assignments of a study. */
    assignments: method(z.tuple([ProtocolIdSchema])).returns<ReadAssignmentView[]>(),
    /** The read-study state of every case in a study, as the signed-in reader may see it. */
    caseStates: method(z.tuple([])).returns<CaseReadView[]>(),
    /** The stored agreement of a case's two signed reads (null before both are signed). */
    caseAgreement: method(z.tuple([CaseIdArg])).returns<CaseAgreementView | null>(),
    /** Bland–Altman (burden, lesion volume) and Dice distribution of a study's agreed pairs. */
    stats: method(z.tuple([ProtocolIdSchema])).returns<StudyAgreementStats>(),
    /** The study's agreement as CSV (per case, then the summary), through the safe writer. */
    exportStatsCsv: method(z.tuple([ProtocolIdSchema])).returns<StatsCsvOutcome>(),
  },
} as const;
