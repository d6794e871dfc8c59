import { z } from 'zod';
import type { LabelVersionInfo } from '../domain/case.ts';
import type { CaseId, LabelVersionId } from '../domain/ids.ts';
import { method } from './contract.ts';
import { PasswordSchema } from './readers.ts';

// The same id schemas as `workstation.ts` (not imported from it: it spreads this contract in).
const CaseIdArg = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);
const LabelVersionIdArg = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as LabelVersionId);

/** The adjudicator resolves a case with two signed reads by signing one version with a reason. */
export const adjudicationContract = {
  adjudication: {
    /** Signs (password again) the picked or merged lesion version as the case result, with the reason. */
    sign: method(z.tuple([CaseIdArg, LabelVersionIdArg, PasswordSchema, z.string().trim().min(1).max(2000)])).returns<LabelVersionInfo>(),
  },
} as const;
