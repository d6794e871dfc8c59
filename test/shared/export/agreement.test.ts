import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blandAltman, caseAgreementCsv, cohortAgreement, cohortAgreementCsv, pairAgreement } from '../../../shared/imaging/agreement.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';

test('pair agreement: Dice, volume and burden differences per class', () => {
  const a = Uint8Array.from([1, 1, 2, 0, 0, 0, 0, 0]);
  const b = Uint8Array.from([1, 0, 2, 2, 0, 0, 0, 0]);
  const lung = Uint8Array.from([1, 1, 1, 1, 2, 2, 2, 0]);
  const r = pairAgreement(a, b, 0.5, lung);
  assert.equal(r.dice.ggo, (2 * 1) / 3);
  assert.equal(r.dice.highOpacity, (2 * 1) / 3);
  assert.equal(r.dice.lesion, (2 * 2) / 6);
  assert.deepEqual(r.volumeDiffMl, { ggo: 0.5, highOpacity: -0.5, lesion: 0 });
  assert.ok(r.burdenPercent);
  assert.ok(Math.abs(r.burdenPercent.a.lesion - 300 / 7) < 1e-9);
  assert.equal(pairAgreement(new Uint8Array(3), new Uint8Array(3), 1).dice.ggo, null);
  assert.throws(() => pairAgreement(a, new Uint8Array(2), 1), RangeError);
});

test('Bland–Altman bias and 95 % limits; cohort CSVs parse back', () => {
  const ba = blandAltman([1, 2, 3, 4])!;
  assert.equal(ba.bias, 2.5);
  assert.ok(Math.abs(ba.sd! - Math.sqrt(5 / 3)) < 1e-12);
  assert.ok(Math.abs(ba.loaHigh! - (2.5 + 1.96 * Math.sqrt(5 / 3))) < 1e-12);
  assert.equal(blandAltman([])?.n, undefined);
  assert.equal(blandAltman([2])?.sd, null);
  const mk = (x: number) => ({
    caseName: `c${x}`,
    readerA: 'A',
    readerB: 'B',
    agreement: pairAgreement(Uint8Array.from([1, 1, x % 3]), Uint8Array.from([1, 0, 2]), 1, Uint8Array.from([1, 1, 1])),
  });
  const cases = [mk(0), mk(1), mk(2)];
  const cohort = cohortAgreement(cases);
  assert.equal(cohort.length, 3);
  assert.equal(cohort.find((c) => c.cls === 'ggo')?.volumeMl?.n, 3);
  const csv = parseCsv(cohortAgreementCsv(cases));
  assert.deepEqual(csv.columns, ['class', 'measure', 'n', 'mean_dice', 'bias', 'sd', 'loa_low', 'loa_high']);
  assert.equal(csv.rows.length, 6);
  assert.equal(parseCsv(caseAgreementCsv(cases)).rows.length, 3);
});
