import { z } from 'zod';
import { RetrainComparisonSchema } from './retrain-comparison.ts';
import { TrainerLineSchema } from './trainer-line.ts';
import { TrainingExportManifestSchema } from './training-export-manifest.ts';

const SCHEMAS = {
  'training-export-manifest.schema.json': { schema: TrainingExportManifestSchema, title: 'Lung Burden training export manifest.json' },
  'trainer-line.schema.json': { schema: TrainerLineSchema, title: 'lungburden.retrain stdout step / phase line' },
  'retrain-comparison.schema.json': { schema: RetrainComparisonSchema, title: 'lungburden.retrain comparison.json' },
} as const;

/**
 * The JSON Schemas (draft 2020-12) of the TypeScript↔Python retraining contract, by file name under
 * `shared/contracts/schemas/`, derived from the zod schemas with `z.toJSONSchema` (output side: what
 * a conforming writer produces). `scripts/write-contract-schemas.ts` writes them; Python validates
 * with `jsonschema` against the committed files (`models/training/lungburden/contract.py`).
 */
export function contractJsonSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [file, { schema, title }] of Object.entries(SCHEMAS)) {
    out[file] = { title, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) };
  }
  return out;
}

/** A schema file's text as committed: 2-space JSON and a final newline. */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
