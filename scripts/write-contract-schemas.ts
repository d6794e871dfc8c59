// Writes the JSON Schemas of the TypeScript↔Python retraining contract (zod → JSON Schema) to
// shared/contracts/schemas/. Run after changing a schema in shared/contracts/retraining/:
//   node --import tsx scripts/write-contract-schemas.ts
// test/shared/contracts/contract-schemas.test.ts fails while the committed files are out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractJsonSchemas, schemaFileText } from '../shared/contracts/retraining/contract-json-schemas.ts';

const dir = join(import.meta.dirname, '..', 'shared', 'contracts', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(contractJsonSchemas())) {
  writeFileSync(join(dir, file), schemaFileText(schema));
  console.log(`wrote shared/contracts/schemas/${file}`);
}
