import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { cliActor } from '../services/audit/audit-trail.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { signedReadAgreement } from '../services/readers/signed-read-agreement.ts';
import { writeFileAtomic } from '../services/reports/report-service.ts';

export interface AgreementCommandOptions {
  readonly readerA: string;
  readonly readerB: string;
  readonly out: string;
  readonly dataDir: string;
  readonly log: (msg: string) => void;
}

/**
 * `lung-burden agreement --reader-a <login> --reader-b <login> --out <dir>`: agreement of two
 * readers' signed reads over the store → `agreement-cases.csv` (per case: Dice, volumes, burdens,
 * differences per class) and `agreement-cohort.csv` (per class and measure: n, mean Dice, Bland–Altman
 * bias, SD, 95 % limits of agreement). Recorded in the audit trail.
 */
export function runAgreementCommand(o: AgreementCommandOptions): number {
  const store = CaseStore.open(o.dataDir);
  try {
    const r = signedReadAgreement(store, o.readerA, o.readerB);
    const out = resolve(o.out);
    writeFileAtomic(join(out, 'agreement-cases.csv'), r.casesCsv);
    writeFileAtomic(join(out, 'agreement-cohort.csv'), r.cohortCsv);
    store.audit.append({
      actor: cliActor(),
      action: 'report',
      entity: `agreement:${o.readerA}~${o.readerB}`,
      sha256: createHash('sha256').update(r.casesCsv).update(r.cohortCsv).digest('hex'),
      details: { readerA: o.readerA, readerB: o.readerB, cases: r.cases.map((c) => c.caseName), skipped: r.skipped.length },
    });
    for (const s of r.skipped) o.log(`agreement: case ${s.caseId} skipped (${s.reason})`);
    const lesion = r.cohort.find((c) => c.cls === 'lesion');
    o.log(
      `agreement: ${r.cases.length} case(s) → ${out}; lesion mean Dice ${lesion?.meanDice?.toFixed(3) ?? '—'}, burden bias ${lesion?.burdenPercent?.bias.toFixed(3) ?? '—'} pp`,
    );
    return 0;
  } finally {
    store.close();
  }
}
