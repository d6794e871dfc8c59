import { parseArgs } from 'node:util';
import { ProtocolIdSchema, ReadStudyInputSchema } from '../../shared/contracts/read-studies.ts';
import { asCaseId } from '../../shared/domain/ids.ts';
import { READ_SLOTS, type ReadSlot } from '../../shared/domain/read-study.ts';
import { defaultDataDir } from '../app/paths.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { writeFileSafely } from '../services/exports/safe-write.ts';
import { createReadStudyServices } from '../services/read-studies/read-study-services.ts';
import { studyAgreement } from '../services/read-studies/study-agreement.ts';
import { actorOf, ReaderAccounts } from '../services/readers/reader-accounts.ts';

export const READ_STUDY_USAGE = `  read-study create --protocol <id> --title <text> --design single|double|double-adjudication [--hide-ai]
            --min-dice <0..1> --max-burden-diff <pp> --max-volume-diff <mL> --as <admin login>
  read-study assign --protocol <id> --case <case-id> --slot read1|read2|adjudicator --reader <login> --as <admin login>
            (admin password in LUNG_BURDEN_ADMIN_PASSWORD; every change is audited)
  read-study list [--json]                         studies, designs, thresholds and assignments
  read-study stats --protocol <id> [--out <file.csv>] [--json]
            agreement of the cases with two signed reads: Bland–Altman (burden pp, lesion volume mL), Dice per class`;

/** A read-study command line that cannot be run as given (exit 2). */
export class ReadStudyUsageError extends Error {
  override name = 'ReadStudyUsageError';
}

const num = (v: string | undefined, what: string): number => {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new ReadStudyUsageError(`${what} must be a number`);
  return n;
};

/** The options of `lung-burden read-study` (parsed apart from the other commands'). */
const READ_STUDY_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  protocol: { type: 'string' },
  title: { type: 'string' },
  design: { type: 'string' },
  'hide-ai': { type: 'boolean', default: false },
  'min-dice': { type: 'string' },
  'max-burden-diff': { type: 'string' },
  'max-volume-diff': { type: 'string' },
  case: { type: 'string' },
  slot: { type: 'string' },
  reader: { type: 'string' },
  as: { type: 'string' },
  out: { type: 'string' },
} as const;

/** `lung-burden read-study create|assign|list|stats …` (own options; the store of --data-dir). */
export async function runReadStudyCommand(
  args: readonly string[],
  io: { out: (t: string) => void; log: (m: string) => void },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: READ_STUDY_OPTIONS,
  });
  const action = positionals[0];
  if (!action || !['create', 'assign', 'list', 'stats'].includes(action))
    throw new ReadStudyUsageError('read-study needs create, assign, list or stats');
  const store = CaseStore.open(values['data-dir'] ?? defaultDataDir());
  try {
    const { studies, routing } = createReadStudyServices(store, () => null);
    const accounts = new ReaderAccounts(store.db, store.audit);
    const admin = async () => {
      const pw = process.env['LUNG_BURDEN_ADMIN_PASSWORD'];
      if (!values.as || !pw) throw new ReadStudyUsageError(`read-study ${action} needs --as <admin login> and LUNG_BURDEN_ADMIN_PASSWORD`);
      return accounts.authenticate(values.as, pw);
    };
    const protocol = (): string => {
      const p = ProtocolIdSchema.safeParse(values.protocol ?? '');
      if (!p.success) throw new ReadStudyUsageError(`--protocol: ${p.error.issues[0]?.message ?? 'invalid'}`);
      return p.data;
    };
    if (action === 'list') {
      const all = studies.list().map((s) => ({ ...s, assignments: studies.assignments(s.protocolId) }));
      if (values.json) io.out(`${JSON.stringify(all, null, 2)}\n`);
      else
        for (const s of all)
          io.out(
            `${s.protocolId}\t${s.design}\t${s.hideAi ? 'AI hidden' : 'AI shown'}\tDice>=${s.thresholds.minLesionDice} |dB|<=${s.thresholds.maxBurdenDiffPp}pp |dV|<=${s.thresholds.maxLesionVolumeDiffMl}mL\t${s.caseCount} cases\t${s.title}\n`,
          );
      return 0;
    }
    if (action === 'stats') {
      const { stats, csv } = studyAgreement(studies, routing, protocol());
      if (values.out) {
        writeFileSafely(values.out, csv);
        store.audit.append({
          actor: { name: 'cli', role: 'system' },
          action: 'read-study.export',
          entity: `read_study:${studies.byProtocol(stats.protocolId).id}`,
          details: { protocolId: stats.protocolId, cases: stats.n, destination: values.out },
        });
        io.log(`wrote ${values.out} (${stats.n} cases)`);
      }
      if (values.json) io.out(`${JSON.stringify(stats, null, 2)}\n`);
      else {
        const ba = (label: string, b: typeof stats.burden) =>
          io.out(
            `${label}\tn=${b?.n ?? 0}\tmean diff=${b?.bias.toFixed(3) ?? '-'}\t95% LoA=${b?.loaLow?.toFixed(3) ?? '-'}..${b?.loaHigh?.toFixed(3) ?? '-'}\n`,
          );
        ba('burden (pp)', stats.burden);
        ba('lesion volume (mL)', stats.lesionVolume);
        for (const d of stats.dice)
          io.out(
            `Dice ${d.cls}\tn=${d.n}\tmedian=${d.median?.toFixed(3) ?? '-'}\tIQR=${d.q1?.toFixed(3) ?? '-'}..${d.q3?.toFixed(3) ?? '-'}\n`,
          );
      }
      return 0;
    }
    if (action === 'create') {
      const input = ReadStudyInputSchema.safeParse({
        protocolId: values.protocol ?? '',
        title: values.title ?? '',
        design: values.design ?? '',
        hideAi: values['hide-ai'],
        minLesionDice: num(values['min-dice'], '--min-dice'),
        maxBurdenDiffPp: num(values['max-burden-diff'], '--max-burden-diff'),
        maxLesionVolumeDiffMl: num(values['max-volume-diff'], '--max-volume-diff'),
      });
      if (!input.success)
        throw new ReadStudyUsageError(
          `read-study create: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const s = studies.create(input.data, await admin());
      io.log(`study ${s.protocolId} (${s.design}) created`);
      if (values.json) io.out(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    const slot = values.slot as ReadSlot | undefined;
    if (!slot || !READ_SLOTS.includes(slot) || !values.reader || !values.case || !/^\d+$/.test(values.case))
      throw new ReadStudyUsageError('read-study assign needs --protocol, --case <id>, --slot read1|read2|adjudicator and --reader <login>');
    const by = await admin();
    const who = accounts.byLogin(values.reader);
    if (!who) throw new ReadStudyUsageError(`no reader account ${values.reader}`);
    const rows = studies.assign(protocol(), asCaseId(Number(values.case)), slot, who, by);
    io.log(`case ${values.case}: ${slot} → ${who.login} (by ${actorOf(by).name})`);
    if (values.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  } finally {
    store.close();
  }
}
