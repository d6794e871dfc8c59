import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeFromBaseline, type TimepointInput } from '../../../shared/trial/change-from-baseline.ts';
import { defaultVisitOrder } from '../../../shared/trial/visit-order.ts';
import { isoDateOf } from '../../../shared/trial/trial-info.ts';
import { timelinePlot } from '../../../shared/trial/timeline-plot.ts';

const tp = (caseId: number, visitOrder: number | null, burdenPercent: number | null, o: Partial<TimepointInput> = {}): TimepointInput => ({
  caseId,
  siteId: 'S1',
  visitLabel: visitOrder === 0 ? 'baseline' : `follow-up ${visitOrder}`,
  visitOrder,
  visitDate: '',
  resultState: burdenPercent === null ? 'no-burden' : 'signed',
  lesionVolumeMl: burdenPercent === null ? null : burdenPercent * 40,
  lungVolumeMl: burdenPercent === null ? null : 4000,
  burdenPercent,
  ...o,
});
const close = (a: number | null, b: number, msg?: string): void => {
  assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} ≈ ${b}`);
};

test('change from baseline in mL, percentage points and relative %, timepoints in visit order', () => {
  const t = changeFromBaseline('P', 'S-1', [tp(12, 2, 5), tp(10, 0, 10, { lungVolumeMl: 4100 }), tp(11, 1, 15)]);
  assert.equal(t.baselineCaseId, 10);
  assert.equal(t.baselineProblem, null);
  assert.deepEqual(
    t.timepoints.map((p) => p.caseId),
    [10, 11, 12],
  );
  const [b, f1, f2] = t.timepoints;
  assert.ok(b?.isBaseline && b.changeBurdenPp === 0 && b.relativeChangePercent === 0);
  close(f1?.changeLesionMl ?? null, 200); // 600 − 400 mL
  close(f1?.changeLungMl ?? null, -100);
  close(f1?.changeBurdenPp ?? null, 5);
  close(f1?.relativeChangePercent ?? null, 50);
  close(f2?.changeBurdenPp ?? null, -5);
  close(f2?.relativeChangePercent ?? null, -50);
  assert.ok(t.timepoints.every((p) => !p.provisional && p.notes.length === 0));
});

test('missing baseline: no change is computed, and the timeline says why', () => {
  const t = changeFromBaseline('P', 'S-2', [tp(21, 1, 4), tp(22, 2, 3)]);
  assert.equal(t.baselineCaseId, null);
  assert.match(t.baselineProblem ?? '', /no baseline/);
  assert.ok(t.timepoints.every((p) => p.changeBurdenPp === null && p.changeLesionMl === null && p.relativeChangePercent === null));
});

test('a baseline not analysed yet gives no change either', () => {
  const t = changeFromBaseline('P', 'S-3', [tp(31, 0, null), tp(32, 1, 3)]);
  assert.equal(t.baselineCaseId, 31);
  assert.match(t.baselineProblem ?? '', /no burden/);
  assert.equal(t.timepoints[1]?.changeBurdenPp, null);
});

test('zero baseline burden: changes in mL and pp, relative change undefined with a note', () => {
  const t = changeFromBaseline('P', 'S-4', [tp(41, 0, 0), tp(42, 1, 2.5)]);
  const f = t.timepoints[1];
  close(f?.changeBurdenPp ?? null, 2.5);
  close(f?.changeLesionMl ?? null, 100);
  assert.equal(f?.relativeChangePercent, null);
  assert.ok(f.notes.some((n) => /baseline burden is 0/.test(n)));
  assert.equal(t.timepoints[0]?.relativeChangePercent, null);
});

test('unsigned timepoints are computed but provisional; an unsigned baseline makes every change provisional', () => {
  const a = changeFromBaseline('P', 'S-5', [tp(51, 0, 10), tp(52, 1, 12, { resultState: 'unsigned' })]);
  assert.equal(a.timepoints[0]?.provisional, false);
  assert.equal(a.timepoints[1]?.provisional, true);
  close(a.timepoints[1].changeBurdenPp ?? null, 2);
  assert.ok(a.timepoints[1].notes.some((n) => /unsigned/.test(n)));
  const b = changeFromBaseline('P', 'S-5', [tp(53, 0, 10, { resultState: 'unsigned' }), tp(54, 1, 12, { resultState: 'adjudicated' })]);
  assert.equal(b.timepoints[1]?.provisional, true);
  assert.ok(b.timepoints[1].notes.some((n) => /baseline unsigned/.test(n)));
});

test('two cases at baseline: the signed one is used and the other is noted; unknown visit order is listed last', () => {
  const t = changeFromBaseline('P', 'S-6', [
    tp(61, 0, 8, { resultState: 'unsigned' }),
    tp(62, 0, 9),
    tp(63, null, 7, { visitDate: '2024-05-01' }),
    tp(64, 1, 9),
  ]);
  assert.equal(t.baselineCaseId, 62);
  assert.deepEqual(
    t.timepoints.map((p) => p.caseId),
    [61, 62, 64, 63],
  );
  assert.ok(t.timepoints[0]?.notes.some((n) => /another baseline case \(62\)/.test(n)));
  assert.ok(t.timepoints[3]?.notes.some((n) => /visit order unknown/.test(n)));
  close(t.timepoints[3]?.changeBurdenPp ?? null, -2);
});

test('visit order from protocol labels; DICOM dates to ISO', () => {
  assert.equal(defaultVisitOrder('Baseline'), 0);
  assert.equal(defaultVisitOrder('BL'), 0);
  assert.equal(defaultVisitOrder('screening'), 0);
  assert.equal(defaultVisitOrder('follow-up 3'), 3);
  assert.equal(defaultVisitOrder('Follow up 12'), 12);
  assert.equal(defaultVisitOrder('FU2'), 2);
  assert.equal(defaultVisitOrder('week 4'), null);
  assert.equal(defaultVisitOrder(''), null);
  assert.equal(isoDateOf('20240229'), '2024-02-29');
  assert.equal(isoDateOf('20230229'), '');
  assert.equal(isoDateOf('2024-01-05'), '2024-01-05');
  assert.equal(isoDateOf(''), '');
});

test('the plot places every timepoint along x and burden along y from 0', () => {
  const t = changeFromBaseline('P', 'S-7', [tp(71, 0, 10), tp(72, 1, null), tp(73, 2, 4)]);
  const p = timelinePlot(t, 400, 200);
  assert.equal(p.xLabels.length, 3);
  assert.deepEqual(
    p.points.map((x) => x.caseId),
    [71, 73],
  );
  assert.ok(p.points[0]!.y < p.points[1]!.y, 'a higher burden is drawn higher');
  assert.equal(p.yTicks[0]?.value, 0);
  assert.ok((p.yTicks.at(-1)?.value ?? 0) >= 10);
  assert.ok(p.xLabels[0]!.x < p.xLabels[1]!.x && p.xLabels[1]!.x < p.xLabels[2]!.x);
});

test('a follow-up reconstructed unlike its baseline (kernel, slice spacing) says so next to its change', () => {
  const acq = (kernel: string, sliceSpacingMm: number) => ({ acquisition: { kernel, sliceSpacingMm } });
  const t = changeFromBaseline('P', 'S-3', [
    tp(31, 0, 5, acq('B30f', 2.5)),
    tp(32, 1, 6, acq(' b30f ', 2.7)), // same kernel (case and spaces), spacing within 0.5 mm
    tp(33, 2, 7, acq('B60f', 5)),
    tp(34, 3, 7, acq('', 2.5)), // kernel not recorded: not compared
    tp(35, 4, 7), // no acquisition: not compared
  ]);
  const notes = (id: number): readonly string[] => t.timepoints.find((p) => p.caseId === id)!.notes;
  assert.deepEqual(notes(31), []);
  assert.deepEqual(notes(32), []);
  assert.equal(notes(33).length, 2);
  assert.match(notes(33)[0]!, /kernel B60f differs from the baseline's B30f/);
  assert.match(notes(33)[1]!, /slices 5 mm apart, the baseline's 2\.5 mm/);
  assert.deepEqual(notes(34), []);
  assert.deepEqual(notes(35), []);
  close(t.timepoints.find((p) => p.caseId === 33)!.changeBurdenPp, 2, 'the change itself is still computed');
});
