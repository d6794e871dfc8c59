import { test } from 'node:test';
import { TEST_PASSWORD } from '../../support/test-readers.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';
import { createWorkstation } from '../../../electron/app/workstation.ts';
import { createDispatcher } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type JobInfo } from '../../../shared/contracts/workstation.ts';
import { makeCorpus, type CorpusInput } from '../../fixtures/bad-input/make-corpus.ts';

interface Expected {
  readonly outcome: 'rejected' | 'imported';
  readonly error?: string;
  readonly series?: readonly string[];
  readonly codes: readonly string[];
  readonly posixOnly?: boolean;
}
interface Manifest {
  readonly rssGrowthBoundMiB: number;
  readonly inputs: Readonly<Record<string, Expected>>;
}

const manifest = JSON.parse(readFileSync(new URL('../../fixtures/bad-input/manifest.json', import.meta.url), 'utf8')) as Manifest;

/** Peak resident set size of this process so far, MiB (getrusage ru_maxrss). */
const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Errors a bad input may produce: typed, named, with a message. Anything else is a crash. */
const TYPED_ERRORS = new Set(['ImportPathError', 'NiftiError', 'DicomError']);

function withCorpus(fn: (items: CorpusInput[], dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-bad-input-'));
    try {
      await fn(makeCorpus(join(dir, 'corpus')), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'the corpus and the manifest list the same inputs',
  withCorpus(async (items) => {
    const made = sorted(items.map((i) => i.name));
    const expected = sorted(
      Object.entries(manifest.inputs)
        .filter(([, e]) => !(e.posixOnly && process.platform === 'win32'))
        .map(([n]) => n),
    );
    assert.deepEqual(made, expected);
  }),
);

test(
  'every bad input is refused with a typed error or imported with its documented issues, within a memory bound',
  withCorpus(async (items) => {
    // Warm up (codecs, dcmjs dictionaries) so the bound measures the inputs, not module loading.
    const good = items.find((i) => i.name === 'dicom-ct-with-seg-sr-pr');
    assert.ok(good);
    await importAnyPath(good.target);
    const baseline = peakRssMiB();
    let handled = 0;
    const failures: string[] = [];
    for (const input of items) {
      const want = manifest.inputs[input.name];
      assert.ok(want, `${input.name} is in the manifest`);
      try {
        const r = await importAnyPath(input.target);
        const codes = sorted([...r.issues, ...r.series.flatMap((s) => s.issues)].map((i) => i.code));
        const sizes = r.series.map((s) => s.volume.size.join('x'));
        if (want.outcome !== 'imported') failures.push(`${input.name}: imported ${sizes.join(',')} but should be refused`);
        else if (JSON.stringify(sizes) !== JSON.stringify(want.series) || JSON.stringify(codes) !== JSON.stringify(sorted(want.codes)))
          failures.push(`${input.name}: got series ${sizes.join(',')} codes ${codes.join(',')}`);
        else handled++;
        for (const s of r.series) {
          assert.equal(s.volume.data.length, s.volume.size[0] * s.volume.size[1] * s.volume.size[2], `${input.name}: voxel count`);
        }
      } catch (e) {
        if (!(e instanceof Error) || !TYPED_ERRORS.has(e.name) || e.message.length === 0) {
          failures.push(`${input.name}: crashed with ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          continue;
        }
        const err = e as Error & { code?: string; issues?: readonly { code: string }[] };
        // an ImportPathError's own code is always `not-importable` (a UserError); its issues carry the reasons
        if (err.name === 'ImportPathError' && err.code !== 'not-importable')
          failures.push(`${input.name}: ImportPathError with code ${err.code}`);
        const own = err.code && err.name !== 'ImportPathError' ? [err.code] : [];
        const codes = sorted([...own, ...(err.issues ?? []).map((i) => i.code)]);
        if (want.outcome !== 'rejected') failures.push(`${input.name}: refused (${err.message}) but should import`);
        else if (err.name !== want.error || JSON.stringify(codes) !== JSON.stringify(sorted(want.codes)))
          failures.push(`${input.name}: ${err.name} codes ${codes.join(',')}: ${err.message}`);
        else handled++;
      }
    }
    const peak = peakRssMiB();
    const growth = peak - baseline;
    const report = {
      inputs: items.length,
      handledAsDocumented: handled,
      baselineRssMiB: Math.round(baseline),
      peakRssMiB: Math.round(peak),
      growthMiB: Math.round(growth),
      boundMiB: manifest.rssGrowthBoundMiB,
    };
    console.log(`bad-input ${JSON.stringify(report)}`);
    assert.deepEqual(failures, []);
    assert.equal(handled, items.length);
    assert.ok(growth < manifest.rssGrowthBoundMiB, `peak RSS grew ${growth.toFixed(0)} MiB (bound ${manifest.rssGrowthBoundMiB} MiB)`);
  }),
);

test(
  'through the IPC gate, every bad input ends as a failed job with a message or a done job with loadable cases',
  withCorpus(async (items, dir) => {
    const ws = await createWorkstation({ dataDir: join(dir, 'data'), seedSample: false, builtinModelsDir: join(dir, 'no-models') });
    try {
      const dispatch = createDispatcher(workstationContract, ws.api);
      await dispatch('readers.createFirstAdmin', ['admin', 'Test Admin', TEST_PASSWORD]);
      // The bombs are measured by the test above; here the app-level outcome of the rest is checked.
      for (const input of items.filter((i) => !/bomb/.test(i.name))) {
        const want = manifest.inputs[input.name];
        assert.ok(want);
        const started = (await dispatch('jobs.importPath', [input.target])) as JobInfo;
        const info = await ws.jobs.wait(started.id, 5);
        if (want.outcome === 'rejected') {
          assert.equal(info.state, 'failed', `${input.name}: ${JSON.stringify(info)}`);
          assert.ok(info.error && info.error.length > 0, `${input.name}: the job says why`);
        } else {
          assert.equal(info.state, 'done', `${input.name}: ${info.error ?? ''}`);
          assert.ok(info.caseIds.length >= 1, `${input.name}: a case`);
          for (const id of info.caseIds) {
            const detail = await ws.api.cases.get(id);
            const bytes = await ws.api.cases.volumeBytes(id);
            assert.equal(bytes.length, detail.geometry.size[0] * detail.geometry.size[1] * detail.geometry.size[2] * 2);
          }
        }
      }
      const ok = ws.store.db.pragma('integrity_check', { simple: true });
      assert.equal(ok, 'ok');
    } finally {
      await ws.close();
    }
  }),
);
