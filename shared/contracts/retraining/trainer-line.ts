import { z } from 'zod';

/**
 * The machine-readable stdout lines of `python -m lungburden.retrain` that the app parses (every
 * other line is plain log text). One JSON object per line; JSON Schema:
 * `schemas/trainer-line.schema.json`.
 * - a step line, printed by `lungburden.train` every 10 steps (and on the first / monitored ones);
 * - a phase line, printed by `lungburden.retrain` when it enters a stage.
 */
export const TrainerStepLineSchema = z
  .object({
    /** Steps done so far (1-based). */
    step: z.number().int().positive(),
    loss: z.number(),
    loss_ema: z.number(),
    lr: z.number(),
    /** Seconds of training so far (this run plus resumed ones). */
    elapsed_s: z.number().nonnegative(),
    /** Estimated seconds left. */
    eta_s: z.number().nonnegative(),
  })
  .catchall(z.number().nullable()); // monitor Dice figures on evaluation steps, e.g. `medseg_dice_ggo`

/** Stages of `lungburden.retrain`, in order; `refused` and `written` end a run that got that far. */
export const RETRAIN_PHASES = ['preparing', 'fine-tuning', 'evaluating', 'refused', 'written'] as const;

export const RetrainPhaseLineSchema = z
  .object({
    phase: z.enum(RETRAIN_PHASES),
    /** What a reader reads in the job's progress line. */
    message: z.string().min(1),
  })
  .strict();

export const TrainerLineSchema = z.union([TrainerStepLineSchema, RetrainPhaseLineSchema]);

export type TrainerStepLine = z.infer<typeof TrainerStepLineSchema>;
export type RetrainPhase = (typeof RETRAIN_PHASES)[number];
export type RetrainPhaseLine = z.infer<typeof RetrainPhaseLineSchema>;
export type TrainerLine = z.infer<typeof TrainerLineSchema>;

/** The step or phase line `line` is, or null for plain log text (and for JSON that breaks the contract). */
export function parseTrainerLine(line: string): TrainerLine | null {
  if (!line.startsWith('{')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  const r = TrainerLineSchema.safeParse(raw);
  return r.success ? r.data : null;
}

/** Whether a parsed line is a phase line (a step line's catch-all keys defeat `'phase' in line`). */
export function isRetrainPhaseLine(l: TrainerLine): l is RetrainPhaseLine {
  return typeof l.phase === 'string';
}
