import type { ReadDesign } from '../domain/read-study.ts';

/** One signature of a double-read report: who (name, login, role), when, meaning, which lesion version, its burden. */
export interface DoubleReadSignature {
  readonly reader: string;
  readonly login: string;
  readonly role: string;
  /** ISO 8601 UTC. */
  readonly signedAt: string;
  readonly meaning: string;
  readonly lesionVersion: number;
  /** Lesion burden (% of lung volume) of the signed lesion + lung versions; null when not computed. */
  readonly burdenPercent: number | null;
  /** Adjudication only: the reason, and the version picked (lesion version number) when it copied one. */
  readonly reason?: string;
  readonly pickedVersion?: number | null;
}

/**
 * The double-read part of a case report: the study, both signed reads (read1, read2), their stored
 * agreement against the study's thresholds, and the adjudication — each signature with its burden.
 */
export interface DoubleReadReport {
  readonly protocolId: string;
  readonly studyTitle: string;
  readonly design: ReadDesign;
  readonly read1: DoubleReadSignature | null;
  readonly read2: DoubleReadSignature | null;
  readonly agreement: {
    readonly lesionDice: number | null;
    readonly burdenDiffPp: number | null;
    readonly lesionVolumeDiffMl: number;
    readonly withinThresholds: boolean;
    readonly exceeded: readonly string[];
  } | null;
  readonly adjudication: DoubleReadSignature | null;
  /** Which signature is the result, in words (e.g. "adjudication by Dr C", "read 1 (reads agree)", "none yet"). */
  readonly result: string;
}

const pct = (v: number | null): string => (v === null ? 'not computed' : `${v.toFixed(2)} %`);

/** Key–value rows of one signature as a report prints them. */
export function doubleReadSignatureRows(label: string, s: DoubleReadSignature | null): [string, string][] {
  if (!s) return [[label, 'not signed']];
  return [
    [label, `${s.reader} (${s.role}, login ${s.login})`],
    ['  signed', s.signedAt],
    ['  meaning', `"${s.meaning}"`],
    ['  lesion labels', `v${s.lesionVersion}${s.pickedVersion ? ` (copy of v${s.pickedVersion})` : ''}`],
    ['  burden', pct(s.burdenPercent)],
    ...(s.reason !== undefined ? ([['  reason', `"${s.reason}"`]] as [string, string][]) : []),
  ];
}
