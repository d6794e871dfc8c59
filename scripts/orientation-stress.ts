// The orientation estimates on the fixed validation sets made to look like "other sources": each
// upright slice is altered (circular field of view; everything outside the body box blanked — no
// table; CLAHE-like local contrast; the three together), then stored in each of the 8 orientations;
// reported: right up to left–right for the heuristic and the classifier on the same images. A stress
// test, not the ship rule (that is scripts/orientation-confusion.ts on the unaltered slices). The
// alterations live in scripts/stress-variants.ts (shared with the segmentation stress test).
// Usage: node --import tsx scripts/orientation-stress.ts [--classifier <bundle dir>]   (needs ../shared/data)
import { resolve } from 'node:path';
import { eightBitToVolume } from '../electron/cli/segment-command.ts';
import { findOrientNetBundle, OrientNetSession } from '../electron/services/orientation/orient-net-session.ts';
import { decideStoredOrientation } from '../shared/imaging/orientation-decision.ts';
import { ALL_ORIENTATIONS, estimateStoredOrientation, fromUpright } from '../shared/imaging/slice-orientation.ts';
import { EIGHT_BIT, validationSets } from './orientation-sets.ts';
import { OTHER_SOURCE_VARIANTS } from './stress-variants.ts';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--classifier');
  const bundle = await findOrientNetBundle(...(i > 0 && process.argv[i + 1] ? [resolve(process.argv[i + 1]!)] : []));
  if (!bundle) throw new Error('no orientation classifier bundle');
  const clf = await OrientNetSession.open(bundle, 1);
  const sets = await validationSets();
  const lines = ['| variant | set | slices | heuristic | classifier |', '|---|---|---|---|---|'];
  for (const [vName, variant] of OTHER_SOURCE_VARIANTS)
    for (const [sName, slices] of sets) {
      let h = 0,
        c = 0;
      for (const [i, up0] of slices.entries()) {
        const up = variant(up0, i);
        const stored = ALL_ORIENTATIONS.map((o) => {
          const s = fromUpright(up.gray, up.cols, up.rows, o);
          return { o, vol: eightBitToVolume(s.data, s.cols, s.rows, EIGHT_BIT.center, EIGHT_BIT.width), cols: s.cols, rows: s.rows };
        });
        const probs = await clf.classify(stored.map((s) => s.vol));
        stored.forEach((s, j) => {
          const est = estimateStoredOrientation(s.vol.data, s.cols, s.rows);
          const d = decideStoredOrientation(s.vol.data, s.cols, s.rows, est, probs[j]!);
          const same = (x: { transposed: boolean; upsideDown: boolean }): boolean =>
            x.transposed === s.o.transposed && x.upsideDown === s.o.upsideDown;
          if (same(est.orientation)) h++;
          if (same(d.orientation)) c++;
        });
      }
      const n = slices.length * 8;
      lines.push(`| ${vName} | ${sName} | ${slices.length} | ${((100 * h) / n).toFixed(1)} % | ${((100 * c) / n).toFixed(1)} % |`);
    }
  await clf.release();
  console.log(`Right up to left–right, every slice in the 8 orientations; classifier ${clf.label}.\n\n${lines.join('\n')}`);
}

await main();
