// The committed JSON Schemas of the retraining contract (read by Python) are exactly what the zod
// schemas give today: a schema change without `node --import tsx scripts/write-contract-schemas.ts`
// fails here. Also pins the exit codes file both sides read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractJsonSchemas, schemaFileText } from '../../../shared/contracts/retraining/contract-json-schemas.ts';
import { PYTHON_EXIT } from '../../../shared/contracts/retraining/python-exit-codes.ts';
import { parseTrainerLine } from '../../../shared/contracts/retraining/trainer-line.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const DIR = join(REPO_ROOT, 'shared', 'contracts', 'schemas');

test('committed JSON Schemas are up to date with the zod schemas (else run scripts/write-contract-schemas.ts)', () => {
  const want = contractJsonSchemas();
  assert.deepEqual(
    readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort(),
    Object.keys(want).sort(),
  );
  for (const [file, schema] of Object.entries(want)) {
    assert.equal(
      readFileSync(join(DIR, file), 'utf8'),
      schemaFileText(schema),
      `${file} is stale: node --import tsx scripts/write-contract-schemas.ts`,
    );
  }
});

test('exit codes come from the one JSON file', () => {
  assert.deepEqual(PYTHON_EXIT, { ok: 0, error: 1, usage: 2, refused: 3 });
});

test('trainer lines: step and phase lines parse, log text and contract-breaking JSON do not', () => {
  const step = '{"step": 20, "loss": 0.6, "loss_ema": 0.61, "lr": 0.0001, "elapsed_s": 3.2, "eta_s": 12.5, "medseg_dice_ggo": null}';
  assert.deepEqual(parseTrainerLine(step), {
    step: 20,
    loss: 0.6,
    loss_ema: 0.61,
    lr: 0.0001,
    elapsed_s: 3.2,
    eta_s: 12.5,
    medseg_dice_ggo: null,
  });
  assert.deepEqual(parseTrainerLine('{"phase": "evaluating", "message": "evaluating old and new"}'), {
    phase: 'evaluating',
    message: 'evaluating old and new',
  });
  assert.equal(parseTrainerLine('retrain: evaluating'), null);
  assert.equal(parseTrainerLine('{"step": oops'), null);
  assert.equal(parseTrainerLine('{"step": 0, "loss": 1}'), null);
  assert.equal(parseTrainerLine('{"phase": "dreaming", "message": "x"}'), null);
});
