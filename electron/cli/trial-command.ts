import { TrialFieldsSchema } from '../../shared/contracts/trial.ts';
import { asCaseId } from '../../shared/domain/ids.ts';
import type { SeriesMetadata } from '../../shared/dicom/types.ts';
import { fmtFixed, fmtSigned, resultStateText } from '../../shared/trial/format-change.ts';
import { defaultVisitOrder } from '../../shared/trial/visit-order.ts';
import { EMPTY_TRIAL_FIELDS, isoDateOf, trialFieldsFromDicom, type TrialFields } from '../../shared/trial/trial-info.ts';
import { cliActor } from '../services/audit/audit-trail.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { getTrialInfo, setTrialInfo, trialFieldsOf } from '../services/trial/trial-store.ts';
import { subjectTimelineOf } from '../services/trial/subject-timeline.ts';

/** The trial flags of `import` and `trial set` (spread into the CLI's parseArgs options). */
export const TRIAL_CLI_OPTIONS = {
  protocol: { type: 'string' },
  sponsor: { type: 'string' },
  site: { type: 'string' },
  subject: { type: 'string' },
  visit: { type: 'string' },
  'visit-description': { type: 'string' },
  'visit-order': { type: 'string' },
  'visit-date': { type: 'string' },
  reason: { type: 'string' },
} as const;

export const TRIAL_USAGE = `  import  <dicom-folder|nifti> [--protocol P --site S --subject X --visit "follow-up 1" --visit-order N --visit-date YYYY-MM-DD --sponsor N]
            trial information given at import (overrides the DICOM Clinical Trial attributes; visit date defaults to the StudyDate)
  trial set <case-id> [--protocol …] [--visit-order N|none] [--reason "why"]   change a case's trial information (audited;
            a signed case needs --reason); trial show <case-id> [--json]: the fields and the subject's change from baseline`;

type TrialFlagValues = Partial<Record<keyof typeof TRIAL_CLI_OPTIONS, string | undefined>>;

/** A bad trial flag value: reported by the CLI as a usage error (exit 2), as parseArgs' own errors are. */
class TrialFlagError extends TypeError {
  readonly code = 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
}

const FLAG_FIELDS: readonly [keyof TrialFlagValues, keyof TrialFields][] = [
  ['protocol', 'protocolId'],
  ['sponsor', 'sponsorName'],
  ['site', 'siteId'],
  ['subject', 'subjectId'],
  ['visit', 'visitLabel'],
  ['visit-description', 'visitDescription'],
  ['visit-date', 'visitDate'],
];

/** True when any trial field flag is given. */
export const hasTrialFlags = (v: TrialFlagValues): boolean =>
  FLAG_FIELDS.some(([f]) => v[f] !== undefined) || v['visit-order'] !== undefined;

/**
 * `base` with the given flags applied and validated like the UI's: `--visit` without `--visit-order`
 * takes the order its label implies; `--visit-order none` clears it.
 */
export function applyTrialFlags(base: TrialFields, v: TrialFlagValues): TrialFields {
  const out: Record<string, string | number | null> = { ...trialFieldsOf(base) };
  for (const [flag, field] of FLAG_FIELDS) if (v[flag] !== undefined) out[field] = (v[flag] ?? '').trim();
  const order = v['visit-order'];
  if (order !== undefined) {
    if (order.trim() === 'none' || order.trim() === '') out['visitOrder'] = null;
    else if (/^\d{1,3}$/.test(order.trim())) out['visitOrder'] = Number(order.trim());
    else throw new TrialFlagError(`--visit-order must be 0 (baseline) … 999, or none (got "${order}")`);
  } else if (v.visit !== undefined) out['visitOrder'] = defaultVisitOrder(v.visit);
  if (v['visit-date'] !== undefined && v['visit-date'].trim() !== '') {
    const iso = isoDateOf(v['visit-date']);
    if (!iso) throw new TrialFlagError(`--visit-date must be a date YYYY-MM-DD (got "${v['visit-date']}")`);
    out['visitDate'] = iso;
  }
  const parsed = TrialFieldsSchema.safeParse(out);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TrialFlagError(`invalid trial information: ${first ? `${first.path.join('.')}: ${first.message}` : 'refused'}`);
  }
  return parsed.data;
}

/** Checks the trial flags before anything is imported (a bad value is a usage error, nothing is stored). */
export function checkTrialFlags(v: TrialFlagValues): void {
  if (hasTrialFlags(v)) applyTrialFlags(EMPTY_TRIAL_FIELDS, v);
}

/** `import … --protocol …`: the given flags on top of what the case holds (or its DICOM attributes). */
export function applyImportTrialFlags(store: CaseStore, caseId: number, meta: SeriesMetadata, v: TrialFlagValues): void {
  if (!hasTrialFlags(v)) return;
  const base = getTrialInfo(store.db, caseId) ?? trialFieldsFromDicom(meta);
  setTrialInfo(store.db, store.audit, caseId, applyTrialFlags(base, v), { actor: cliActor(), source: 'import', reason: v.reason ?? null });
}

export interface TrialCommandOptions {
  readonly dataDir: string;
  readonly json: boolean;
  readonly out: (text: string) => void;
  readonly log: (msg: string) => void;
}

/** `lung-burden trial set <case-id> [flags] [--reason R]` and `lung-burden trial show <case-id> [--json]`. */
export function runTrialCommand(positionals: readonly string[], v: TrialFlagValues, o: TrialCommandOptions): number {
  const [action, target] = positionals;
  if ((action !== 'set' && action !== 'show') || !target || !/^\d+$/.test(target))
    throw new TrialFlagError('trial needs set <case-id> [flags] or show <case-id>');
  const caseId = Number(target);
  const store = CaseStore.open(o.dataDir);
  try {
    store.getCase(asCaseId(caseId));
    if (action === 'set') {
      if (!hasTrialFlags(v))
        throw new TrialFlagError(
          'trial set needs at least one of --protocol --sponsor --site --subject --visit --visit-description --visit-order --visit-date',
        );
      const meta = store.seriesMetadata(asCaseId(caseId));
      const before = getTrialInfo(store.db, caseId) ?? { ...EMPTY_TRIAL_FIELDS, visitDate: isoDateOf(meta.studyDate) };
      const after = setTrialInfo(store.db, store.audit, caseId, applyTrialFlags(before, v), {
        actor: cliActor(),
        source: 'edit',
        reason: v.reason ?? null,
      });
      o.log(`case ${caseId}: trial information set by ${after.updatedBy}`);
    }
    const info = getTrialInfo(store.db, caseId);
    const timeline = subjectTimelineOf(store, caseId);
    if (o.json) {
      o.out(`${JSON.stringify({ caseId, trial: info, timeline }, null, 2)}\n`);
      return 0;
    }
    if (!info) {
      o.out(`case ${caseId}: no trial information\n`);
      return 0;
    }
    o.out(
      `case ${caseId}: protocol ${info.protocolId || '-'}  site ${info.siteId || '-'}  subject ${info.subjectId || '-'}  visit ${info.visitLabel || '-'} (order ${info.visitOrder ?? '-'}, ${info.visitDate || 'no date'})\n`,
    );
    if (timeline) {
      o.out(
        `baseline: ${timeline.baselineCaseId === null ? 'none' : `case ${timeline.baselineCaseId}`}${timeline.baselineProblem ? ` (${timeline.baselineProblem})` : ''}\n`,
      );
      o.out('visit\tdate\tcase\tresult\tlesion_ml\tlung_ml\tburden_%\tchange_lesion_ml\tchange_burden_pp\tchange_relative_%\n');
      for (const p of timeline.timepoints) {
        o.out(
          `${p.visitLabel || '-'}${p.isBaseline ? ' (BL)' : ''}\t${p.visitDate || '-'}\t${p.caseId}\t${resultStateText(p.resultState)}\t${fmtFixed(p.lesionVolumeMl, 1)}\t${fmtFixed(p.lungVolumeMl, 0)}\t${fmtFixed(p.burdenPercent, 2)}\t${fmtSigned(p.changeLesionMl, 1)}\t${fmtSigned(p.changeBurdenPp, 2)}\t${fmtSigned(p.relativeChangePercent, 1)}\n`,
        );
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
