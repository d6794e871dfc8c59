/**
 * Child of store-concurrency.test.ts: waits until `startAt` (epoch ms, so that all children start
 * together), opens the store in `dataDir` (the first open migrates it), imports `file` and prints
 * one JSON line `{caseId, duplicate}`. Usage: store-concurrency-child.ts <dataDir> <file> <startAt>
 */
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';

const [dataDir, file, startAt] = process.argv.slice(2);
if (!dataDir || !file || !startAt) throw new Error('usage: store-concurrency-child.ts <dataDir> <file> <startAt>');
const { series } = await importAnyPath(file);
const s = series[0];
if (!s) throw new Error('nothing imported');
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const store = CaseStore.open(dataDir);
const stored = store.addSeries(s);
store.close();
process.stdout.write(`${JSON.stringify(stored)}\n`);
