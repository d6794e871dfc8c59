// segment's per-image path does not mirror-average a bundle that already averages the mirror inside its
// graph (the accurate bundle): its labels equal the fast bundle's mirror-averaged labels, at one network
// pass of the accurate bundle instead of two. Generated phantom slices only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { segmentGray8 } from '../../../electron/cli/segment-gray8.ts';
import { SegmentOrienter } from '../../../electron/cli/segment-orienter.ts';
import { InferenceService } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { phantomSlices } from '../../support/phantom-slices.ts';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'models');

test('segment: the accurate bundle (mirror inside the graph) gives the fast bundle’s mirror-averaged labels', async () => {
  const fast = await loadModelBundle(join(MODELS, 'lung-burden-convlstm-fast'));
  const accurate = await loadModelBundle(join(MODELS, 'lung-burden-convlstm-tta'));
  assert.equal(accurate.metadata.architecture.endsWith('+mirror-tta'), true);
  const service = new InferenceService({ logger: () => undefined });
  const orienter = await SegmentOrienter.open({ fixed: null, bundleDir: null, log: () => undefined });
  try {
    const win = fast.metadata.preprocessing.eightBitWindow;
    const base = { orienter, service, centerHu: win.centerHu, widthHu: win.widthHu, threads: 1 };
    for (const s of phantomSlices([0.35, 0.6])) {
      const a = await segmentGray8('fast', s.gray, s.cols, s.rows, { ...base, model: fast });
      const b = await segmentGray8('accurate', s.gray, s.cols, s.rows, { ...base, model: accurate });
      let same = 0;
      for (let i = 0; i < a.labels.length; i++) if (a.labels[i] === b.labels[i]) same++;
      assert.ok(same / a.labels.length > 0.999, `labels agree (${same}/${a.labels.length})`);
      assert.ok(a.labels.some((v) => v > 0) || b.labels.every((v) => v === 0));
    }
  } finally {
    await orienter.dispose();
    await service.dispose();
  }
});
