import { EXIT_AUDIT_BROKEN } from './audit-command.ts';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2, badInput: 3, model: 4, blockingQc: 5, auditBroken: EXIT_AUDIT_BROKEN } as const;
