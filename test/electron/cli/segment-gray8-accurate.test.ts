// segment's per-image path does not mirror-average a bundle that already averages the mirror inside its
// graph (the accurate bundle): the engine is asked for the mirror average with the fast bundle and not with the
// accurate one, and on phantom slices the two label maps agree (the accurate graph is the fast network at three input
// sizes, the fast graph at two, DECISION-1.24.0.md and -1.25.0.md, so not pixel for pixel). Generated phantom slices
// only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { segmentGray8 } from '../../../electron/cli/segment-gray8.ts';
import { SegmentOrienter } from '../../../electron/cli/segment-orienter.ts';
import { InferenceService } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { phantomSlices } from '../../support/phantom-slices.ts';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'models');

test('segment: the accurate bundle (mirror inside the graph) is not mirror-averaged again; its labels agree with the fast bundle’s', async () => {
  const fast = await loadModelBundle(join(MODELS, 'lung-burden-convlstm-fast'));
  const accurate = await loadModelBundle(join(MODELS, 'lung-burden-convlstm-tta'));
  assert.equal(accurate.metadata.architecture.endsWith('+mirror-tta'), true);
  const service = new InferenceService({ logger: () => undefined });
  const asked: { model: string; mirrorAverage: boolean | undefined }[] = [];
  const run = service.run.bind(service);
  service.run = (volume, lung, model, options) => {
    asked.push({ model: model.metadata.name, mirrorAverage: options?.mirrorAverage });
    return run(volume, lung, model, options);
  };
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
    assert.ok(asked.length > 0);
    for (const a of asked) assert.equal(a.mirrorAverage, a.model === fast.metadata.name, `${a.model}: mirror average asked of the engine`);
  } finally {
    await orienter.dispose();
    await service.dispose();
  }
});
