// `segment` on 8-bit images decides the stored orientation with the orientation classifier,
// cross-checked by the heuristic (and by the heuristic alone without a bundle), segments upright
// and writes the labels back in the input's orientation. Generated phantom slices only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { runSegmentCommand } from '../../../electron/cli/segment-command.ts';
import { fromUpright, type StoredOrientation } from '../../../shared/imaging/slice-orientation.ts';
import { phantomSlices } from '../../support/phantom-slices.ts';

const png = (g: Uint8Array, cols: number, rows: number): Buffer => {
  const p = new PNG({ width: cols, height: rows });
  for (let i = 0; i < cols * rows; i++) {
    p.data[i * 4] = p.data[i * 4 + 1] = p.data[i * 4 + 2] = g[i]!;
    p.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(p);
};
const labelsOf = (file: string): Uint8Array => {
  const p = PNG.sync.read(readFileSync(file));
  return Uint8Array.from({ length: p.width * p.height }, (_, i) => p.data[i * 4]!);
};

test('segment: a phantom slice stored transposed + upside down is found so by the classifier and written back in place', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-seg-orient-'));
  try {
    const [up] = phantomSlices([0.5]);
    assert.ok(up);
    const o: StoredOrientation = { transposed: true, upsideDown: true, mirrored: false };
    const stored = fromUpright(up.gray, up.cols, up.rows, o);
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'a-upright.png'), png(up.gray, up.cols, up.rows));
    writeFileSync(join(input, 'b-stored.png'), png(stored.data, stored.cols, stored.rows));
    const log: string[] = [];
    const base = { inputs: [input], dataDir: join(dir, 'data'), threads: 1, log: (m: string) => log.push(m) };
    assert.equal(await runSegmentCommand({ ...base, outDir: join(dir, 'out') }), 0);
    const text = log.join('\n');
    assert.match(text, /b-stored\.png: transposed\+upside-down(\+mirrored)? orientation \(classifier p \d\.\d\d, heuristic /);
    assert.doesNotMatch(text, /a-upright\.png: /, 'an upright image agreed on by both is not logged');
    assert.match(
      text,
      /1 segmented as transposed, 1 as upside down, .*orientation by lung-burden-orientnet 1\.0\.0, heuristic disagreed on \d of 2/,
    );
    const a = labelsOf(join(dir, 'out', 'a-upright.png'));
    const b = labelsOf(join(dir, 'out', 'b-stored.png'));
    const back = fromUpright(a, up.cols, up.rows, o).data;
    let same = 0;
    for (let i = 0; i < b.length; i++) if (b[i] === back[i]) same++;
    assert.ok(same / b.length > 0.999, `labels of the stored input = stored labels of the upright one (${same}/${b.length})`);

    const heur: string[] = [];
    assert.equal(await runSegmentCommand({ ...base, outDir: join(dir, 'out-h'), orientationBundleDir: null, log: (m) => heur.push(m) }), 0);
    assert.match(heur.join('\n'), /orientation by the heuristic alone \(orientation classifier switched off\)/);
    const missing: string[] = [];
    const one = { ...base, inputs: [join(input, 'b-stored.png')] };
    assert.equal(
      await runSegmentCommand({
        ...one,
        outDir: join(dir, 'out-m'),
        orientationBundleDir: join(dir, 'no-bundle'),
        log: (m) => missing.push(m),
      }),
      0,
    );
    assert.match(missing.join('\n'), /orientation by the heuristic alone \(no orientation classifier bundle\)/);
    const fixed: string[] = [];
    assert.equal(await runSegmentCommand({ ...base, outDir: join(dir, 'out-f'), orientation: o, log: (m) => fixed.push(m) }), 0);
    assert.match(fixed.join('\n'), /2 segmented as transposed, 2 as upside down, 0 as mirrored\)$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
