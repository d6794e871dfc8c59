import { z } from 'zod';
import { Sha256HexSchema } from './sha256-hex.ts';

/**
 * `comparison.json`, written by `python -m lungburden.retrain` into its `--out` folder (always, also
 * when it refuses) and read by `electron/services/training/retrain-history.ts`: the old and the new
 * model on the SAME fixed validation split, the gate and its verdict. JSON Schema:
 * `schemas/retrain-comparison.schema.json`. Metric values are fractions (Dice 0..1), null where a
 * metric cannot be computed.
 */
const Metric = z.number().nullable();

/** Flat metric summary of `lungburden.evaluate.flat_metrics` (keys as in a bundle's `metadata.json` `metrics`). */
export const MetricSummarySchema = z.record(z.string(), Metric);

export const RetrainGateSchema = z
  .object({
    /** The summary key compared, default `medseg_val_dice_lesion`. */
    metric: z.string().min(1),
    old: Metric,
    new: Metric,
    minDelta: z.number(),
    rule: z.literal('new >= old - minDelta'),
  })
  .strict();

export const RetrainComparisonSchema = z
  .object({
    /** ISO 8601 UTC time the comparison was written. */
    createdAt: z.string(),
    accepted: z.boolean(),
    gate: RetrainGateSchema,
    validationSplit: z
      .object({
        path: z.string(),
        sha256: Sha256HexSchema,
        sets: z.array(z.enum(['medseg', 'ma20', 'synthetic'])).min(1),
        synthCases: z.number().int().nonnegative(),
      })
      .strict(),
    export: z
      .object({
        dir: z.string(),
        manifestSha256: Sha256HexSchema,
        cases: z.array(z.string()),
        /** F-slice training windows made from the exported cases. */
        windows: z.number().int().nonnegative(),
      })
      .strict(),
    /** The current model; detailed metric sets (`medseg`, `ma20`, …) sit next to `summary`. */
    old: z.object({ model: z.string(), name: z.string(), version: z.string(), summary: MetricSummarySchema }).loose(),
    /** The fine-tuned model; `version` is null when it was refused. */
    new: z
      .object({
        name: z.string(),
        version: z.string().nullable(),
        steps: z.number().int().nonnegative(),
        trainingS: z.number().nonnegative(),
        summary: MetricSummarySchema,
      })
      .loose(),
    /** The training configuration of the fine-tuning run. */
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

export type RetrainComparison = z.infer<typeof RetrainComparisonSchema>;
