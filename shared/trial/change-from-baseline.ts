import { acquisitionNotes, type TimepointAcquisition } from './acquisition-comparability.ts';

/**
 * Which burden a timepoint shows: the case's result (`adjudicated` or `signed`), else the latest
 * unsigned burden (`unsigned`, a draft), or none yet (`no-burden`: not analysed).
 */
export type TimepointResultState = 'adjudicated' | 'signed' | 'unsigned' | 'no-burden';

/** One case of a subject, with the figures of its result (volumes in mL, burden in % of lung). */
export interface TimepointInput {
  readonly caseId: number;
  readonly siteId: string;
  readonly visitLabel: string;
  /** 0 = baseline, N = follow-up N; null = unknown (listed last, never the baseline). */
  readonly visitOrder: number | null;
  /** `YYYY-MM-DD` or ''. */
  readonly visitDate: string;
  readonly resultState: TimepointResultState;
  readonly lesionVolumeMl: number | null;
  readonly lungVolumeMl: number | null;
  readonly burdenPercent: number | null;
  /** How its series was reconstructed (absent: not compared, e.g. a blinded view built from figures only). */
  readonly acquisition?: TimepointAcquisition;
}

/** A timepoint with its change from the subject's baseline (null where it cannot be computed). */
export interface TimepointChange extends TimepointInput {
  readonly isBaseline: boolean;
  /** Lesion (GGO + high opacity) volume minus the baseline's, mL. */
  readonly changeLesionMl: number | null;
  /** Lung volume minus the baseline's, mL. */
  readonly changeLungMl: number | null;
  /** Burden minus the baseline's burden, in percentage points. */
  readonly changeBurdenPp: number | null;
  /** (burden − baseline burden) / baseline burden × 100 %; null when the baseline burden is 0. */
  readonly relativeChangePercent: number | null;
  /** True when this timepoint or the baseline is not a signed/adjudicated result (a draft figure). */
  readonly provisional: boolean;
  /** Why figures are missing or provisional, one short sentence each. */
  readonly notes: readonly string[];
}

/** A subject's timepoints ordered by visit, with the baseline used and why one may be missing. */
export interface SubjectTimeline {
  readonly protocolId: string;
  readonly subjectId: string;
  readonly baselineCaseId: number | null;
  /** Why no change could be computed (no baseline visit, baseline not analysed); null when fine. */
  readonly baselineProblem: string | null;
  readonly timepoints: readonly TimepointChange[];
}

const rank = (s: TimepointResultState): number => ({ adjudicated: 0, signed: 1, unsigned: 2, 'no-burden': 3 })[s];
const isResult = (s: TimepointResultState): boolean => s === 'adjudicated' || s === 'signed';

/** Timepoints in visit order: by visit order (unknown last), then visit date (unknown last), then case id. */
export function orderTimepoints<T extends Pick<TimepointInput, 'visitOrder' | 'visitDate' | 'caseId'>>(points: readonly T[]): T[] {
  const key = (p: T): [number, string, number] => [p.visitOrder ?? Number.POSITIVE_INFINITY, p.visitDate || '\uffff', p.caseId];
  return [...points].sort((a, b) => {
    const [ao, ad, ac] = key(a);
    const [bo, bd, bc] = key(b);
    return ao !== bo ? ao - bo : ad !== bd ? (ad < bd ? -1 : 1) : ac - bc;
  });
}

/**
 * The change from baseline of each timepoint of one subject. The baseline is the visit with order 0
 * (several cases at baseline: the one with a signed result, then the lowest case id; the others are
 * noted). Lesion and lung volume change in mL, burden change in percentage points and relative %.
 * A missing baseline, a baseline without burden or a zero baseline burden leave the affected
 * figures null with a note; unsigned figures are computed but marked provisional.
 */
export function changeFromBaseline(protocolId: string, subjectId: string, points: readonly TimepointInput[]): SubjectTimeline {
  const ordered = orderTimepoints(points);
  const candidates = ordered
    .filter((p) => p.visitOrder === 0)
    .sort((a, b) => rank(a.resultState) - rank(b.resultState) || a.caseId - b.caseId);
  const base = candidates[0] ?? null;
  const baselineProblem =
    base === null
      ? 'no baseline: no visit of this subject has visit order 0'
      : base.burdenPercent === null || base.lesionVolumeMl === null || base.lungVolumeMl === null
        ? `baseline case ${base.caseId} has no burden yet (not analysed)`
        : null;
  const timepoints = ordered.map((p): TimepointChange => {
    const notes: string[] = [];
    if (p.resultState === 'unsigned') notes.push('unsigned: latest draft burden, not a signed result');
    if (p.resultState === 'no-burden') notes.push('not analysed: no burden');
    const isBaseline = base !== null && p.caseId === base.caseId;
    if (p.visitOrder === 0 && !isBaseline && base !== null) notes.push(`another baseline case (${base.caseId}) is used`);
    if (p.visitOrder === null) notes.push('visit order unknown: not placed in the schedule');
    const usable = baselineProblem === null && base !== null;
    if (!usable) {
      return {
        ...p,
        isBaseline,
        changeLesionMl: null,
        changeLungMl: null,
        changeBurdenPp: null,
        relativeChangePercent: null,
        provisional: !isResult(p.resultState),
        notes,
      };
    }
    const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
    const changeBurdenPp = diff(p.burdenPercent, base.burdenPercent);
    const baseBurden = base.burdenPercent ?? 0;
    let relativeChangePercent: number | null = null;
    if (changeBurdenPp !== null) {
      if (baseBurden > 0) relativeChangePercent = (changeBurdenPp / baseBurden) * 100;
      else if (!isBaseline) notes.push('baseline burden is 0 %: relative change undefined');
    }
    const provisional = !isResult(p.resultState) || !isResult(base.resultState);
    if (!isBaseline && !isResult(base.resultState)) notes.push('baseline unsigned: change is provisional');
    if (!isBaseline && p.acquisition && base.acquisition) notes.push(...acquisitionNotes(p.acquisition, base.acquisition));
    return {
      ...p,
      isBaseline,
      changeLesionMl: diff(p.lesionVolumeMl, base.lesionVolumeMl),
      changeLungMl: diff(p.lungVolumeMl, base.lungVolumeMl),
      changeBurdenPp,
      relativeChangePercent,
      provisional,
      notes,
    };
  });
  return { protocolId, subjectId, baselineCaseId: base?.caseId ?? null, baselineProblem, timepoints };
}
