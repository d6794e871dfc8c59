/**
 * Child process of the crash-safety test: performs operations `start … end−1` on a CaseStore in
 * `dataDir` and writes one ack line to stdout (synchronously) after each has returned:
 *   `ack <i> import <caseId> <contentHash>` — op i % 10 === 0: writes a small NIfTI and imports it
 *   `ack <i> save <caseId> <versionId> <sha256>` — otherwise: saves a reader label version
 * The parent SIGKILLs it at random points. Usage: crash-child.ts <dataDir> <inputsDir> <start> <end> [hold]
 * With `hold`, the child does not exit after op end−1 but waits to be killed: the parent bounds a
 * kill round by `end`, so the round is killed whatever the machine's speed.
 */
import { writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { VoxelCache } from '../../../electron/services/cases/voxel-cache.ts';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';
import { crashOpLabels, crashOpVolume, CRASH_VOLUME_SIZE } from './crash-ops.ts';

const [dataDir, inputsDir, startArg, endArg, holdArg] = process.argv.slice(2);
if (!dataDir || !inputsDir || !startArg || !endArg) throw new Error('usage: crash-child.ts <dataDir> <inputsDir> <start> <end>');
const store = CaseStore.open(dataDir);
writeSync(1, 'ready\n');
for (let i = Number(startArg); i < Number(endArg); i++) {
  if (i % 10 === 0) {
    const file = join(inputsDir, `op-${i}.nii`);
    writeFileSync(file, writeNifti(crashOpVolume(i), { gzip: false }));
    const { series } = await importAnyPath(file);
    const s = series[0];
    if (!s) throw new Error(`op ${i}: nothing imported`);
    const stored = store.addSeries(s);
    writeSync(1, `ack ${i} import ${stored.caseId} ${VoxelCache.contentHash(s.volume)}\n`);
  } else {
    const latest = store.listCases()[0];
    if (!latest) throw new Error(`op ${i}: no case to edit`);
    const parent = store.latestLabelVersion(latest.id, 'lesion');
    const v = store.saveLabelVersion(
      latest.id,
      'lesion',
      crashOpLabels(i),
      { kind: 'reader', name: 'crash-test' },
      {
        parentId: parent ? asLabelVersionId(parent.id) : null,
        note: `op ${i}`,
      },
    );
    writeSync(1, `ack ${i} save ${latest.id} ${v.id} ${v.sha256}\n`);
  }
}
if (holdArg === 'hold') {
  writeSync(1, 'holding\n');
  setInterval(() => undefined, 60_000); // the parent's SIGKILL ends this process
} else {
  store.close();
  writeSync(1, `finished ${CRASH_VOLUME_SIZE.join('x')}\n`);
}
