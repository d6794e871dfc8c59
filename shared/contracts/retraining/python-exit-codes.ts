import { z } from 'zod';
import raw from './python-exit-codes.json' with { type: 'json' };

const ExitCodesFileSchema = z.object({
  codes: z.object({ ok: z.literal(0), error: z.literal(1), usage: z.literal(2), refused: z.literal(3) }).strict(),
  meaning: z.record(z.string(), z.string()),
});

/**
 * Exit codes of the Python CLIs of `models/training` (`python -m lungburden.<stage>`), read from
 * `python-exit-codes.json`, the one definition both sides read (Python: `lungburden.contract`).
 * `refused` is `lungburden.retrain`'s "new model worse than the current one".
 */
export const PYTHON_EXIT = ExitCodesFileSchema.parse(raw).codes;
export type PythonExitName = keyof typeof PYTHON_EXIT;
