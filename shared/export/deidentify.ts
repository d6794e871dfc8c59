import dcmjs from 'dcmjs';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import type { SeriesMetadata } from '../dicom/types.ts';
import { BASIC_PROFILE_ACTIONS } from './basic-profile-actions.ts';
import { uidFromBytes } from './dicom-uid.ts';

/**
 * De-identification for exports meant for retraining: the DICOM PS3.15 Basic Application Level
 * Confidentiality Profile (Annex E, Table E.1-1, "Basic Profile" column) with the "Retain
 * Longitudinal Temporal Information with Modified Dates" option:
 * - PatientName and PatientID are replaced by a keyed pseudonym (HMAC-SHA-256 of the original
 *   ID and name with a secret salt), so one patient gets the same pseudonym in every export;
 * - dates (DA, and the date part of DT) are shifted back by a per-patient number of days
 *   (1…`maxDateShiftDays`, derived from the same keyed hash), times are kept, so intervals
 *   between a patient's studies survive;
 * - every UID that is not a DICOM-defined UID (`1.2.840.10008.*`) is replaced by a
 *   deterministic `2.25.` UID (keyed hash → UUIDv8), so references between exported objects stay
 *   consistent and the originals cannot be recovered without the salt;
 * - the Basic Profile's "X" attributes are removed, its "Z" attributes emptied, other person
 *   names emptied, private and unknown attributes removed;
 * - burned-in annotation is not removed from pixels: a warning is raised when BurnedInAnnotation
 *   is YES or the object is a Secondary Capture.
 * The report lists attributes and actions only, never original values (it travels with the export).
 */
export interface DeidentifyConfig {
  /** Secret salt (keep it out of every export; losing it breaks consistency across exports). */
  readonly secretSalt: string;
  /** Largest date shift in days (default 365). */
  readonly maxDateShiftDays?: number;
  /** Prefix of patient pseudonyms (default `LB`). */
  readonly pseudonymPrefix?: string;
}

/** One change made to an exported object. */
export interface DeidChange {
  /** Attribute keyword path, e.g. `PatientName` or `PerFrameFunctionalGroupsSequence[].DerivationImageSequence[]...`. */
  readonly attribute: string;
  readonly action: 'replaced' | 'emptied' | 'removed' | 'date-shifted' | 'uid-remapped' | 'private-removed' | 'added';
  /** Number of values/occurrences changed (items of sequences are counted together). */
  readonly count: number;
}

/** The JSON report written beside a de-identified export. */
export interface DeidReport {
  readonly profile: string;
  readonly options: readonly string[];
  readonly methodCodes: readonly { value: string; scheme: string; meaning: string }[];
  readonly objects: readonly { readonly name: string; readonly changes: readonly DeidChange[]; readonly warnings: readonly string[] }[];
  readonly warnings: readonly string[];
}

const PROFILE = 'DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile';
const METHOD_CODES = [
  { value: '113100', scheme: 'DCM', meaning: 'Basic Application Confidentiality Profile' },
  { value: '113107', scheme: 'DCM', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
] as const;

const nameMap = (dcmjs.data.DicomMetaDictionary as unknown as { nameMap: Record<string, { vr: string; tag: string } | undefined> }).nameMap;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

type Ds = Record<string, unknown>;

/** Shifts a DICOM date `YYYYMMDD` by `days` (negative = earlier); other strings are returned as ''. */
export function shiftDicomDate(da: string, days: number): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  if (!m) return '';
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000;
  const d = new Date(t);
  if (Number.isNaN(t)) return '';
  return `${String(d.getUTCFullYear()).padStart(4, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A consistent, keyed de-identifier: the same salt maps the same inputs to the same outputs. */
export class Deidentifier {
  private readonly key: Uint8Array;
  private readonly maxShift: number;
  private readonly prefix: string;
  private readonly objects: { name: string; changes: DeidChange[]; warnings: string[] }[] = [];

  constructor(cfg: DeidentifyConfig) {
    if (cfg.secretSalt.length < 16) throw new RangeError('the de-identification salt must have at least 16 characters');
    this.key = sha256(utf8ToBytes(cfg.secretSalt));
    this.maxShift = Math.max(1, Math.floor(cfg.maxDateShiftDays ?? 365));
    this.prefix = cfg.pseudonymPrefix ?? 'LB';
  }

  private mac(purpose: string, value: string): Uint8Array {
    return hmac(sha256, this.key, utf8ToBytes(`${purpose}\u0000${value}`));
  }

  /** The pseudonymous `2.25.` UID of `uid` (DICOM-defined `1.2.840.10008.*` UIDs are kept). */
  uid(uid: string): string {
    const u = uid.trim();
    if (u === '' || u.startsWith('1.2.840.10008.')) return u;
    return uidFromBytes(this.mac('uid', u));
  }

  /** Patient pseudonym (e.g. `LB-3F9A1C0D2E`) from the original patient ID and name. */
  patientPseudonym(patientId: string, patientName: string): string {
    return `${this.prefix}-${hex(this.mac('patient', `${patientId.trim()}\u0000${patientName.trim()}`))
      .slice(0, 10)
      .toUpperCase()}`;
  }

  /** Pseudonymous case name for file names: patient pseudonym + a keyed tag of the series. */
  casePseudonym(meta: Pick<SeriesMetadata, 'patientId' | 'patientName' | 'seriesInstanceUid'>, caseKey: string): string {
    const tag = hex(this.mac('case', `${meta.seriesInstanceUid}\u0000${caseKey}`))
      .slice(0, 6)
      .toUpperCase();
    return `${this.patientPseudonym(meta.patientId, meta.patientName)}-${tag}`;
  }

  /** Days (negative) that this patient's dates are shifted by. */
  dateShiftDays(patientId: string, patientName: string): number {
    const h = this.mac('date-shift', `${patientId.trim()}\u0000${patientName.trim()}`);
    const v = ((h[0] as number) << 16) | ((h[1] as number) << 8) | (h[2] as number);
    return -(1 + (v % this.maxShift));
  }

  /** Burned-in annotation warning for a series (Secondary Capture or BurnedInAnnotation = YES), else null. */
  burnedInWarning(sopClassUid: string, burnedInAnnotation = ''): string | null {
    if (burnedInAnnotation.trim().toUpperCase() === 'YES') {
      return 'BurnedInAnnotation is YES: the pixels may show identifying text, which this profile does not remove; check the images before release';
    }
    if (sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.7')) {
      return 'the source is a Secondary Capture image: it may carry burned-in identifying text, which this profile does not remove; check the images before release';
    }
    return null;
  }

  /**
   * De-identifies a dcmjs naturalized dataset (not changed in place) and records what changed
   * under `objectName` in the report. The result carries PatientIdentityRemoved = YES and the
   * De-identification Method (Code Sequence) attributes.
   */
  dataset(ds: Ds, objectName: string): Ds {
    const changes = new Map<string, DeidChange>();
    const warnings: string[] = [];
    const note = (attribute: string, action: DeidChange['action']): void => {
      const key = `${attribute}|${action}`;
      const prev = changes.get(key);
      changes.set(key, { attribute, action, count: (prev?.count ?? 0) + 1 });
    };
    const first = (v: unknown): string => {
      const x: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
      if (typeof x === 'string') return x;
      if (x && typeof x === 'object' && 'Alphabetic' in x) return typeof x.Alphabetic === 'string' ? x.Alphabetic : '';
      return typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean' ? String(x) : '';
    };
    const patientId = first(ds['PatientID']);
    const patientName = first(ds['PatientName']);
    const shift = this.dateShiftDays(patientId, patientName);
    const pseudonym = this.patientPseudonym(patientId, patientName);
    const burned = this.burnedInWarning(first(ds['SOPClassUID']), first(ds['BurnedInAnnotation']));
    if (burned) warnings.push(burned);

    const walk = (src: Ds, path: string): Ds => {
      const out: Ds = {};
      for (const [keyword, value] of Object.entries(src)) {
        if (keyword === '_vrMap' || keyword === '_meta') {
          out[keyword] = value;
          continue;
        }
        const at = path ? `${path}.${keyword}` : keyword;
        const entry = nameMap[keyword];
        if (!entry || /^[0-9A-Fa-f]{8}$/.test(keyword)) {
          const group = /^[0-9A-Fa-f]{8}$/.test(keyword) ? parseInt(keyword.slice(0, 4), 16) : 0;
          note(at, group % 2 === 1 ? 'private-removed' : 'removed');
          continue;
        }
        const action = BASIC_PROFILE_ACTIONS[keyword];
        if (action === 'K') {
          out[keyword] = value;
          continue;
        }
        if (action === 'X') {
          note(at, 'removed');
          continue;
        }
        if (action === 'Z') {
          out[keyword] = entry.vr === 'PN' ? [{ Alphabetic: '' }] : '';
          if (first(value) !== '') note(at, 'emptied');
          continue;
        }
        if (action === 'D') {
          out[keyword] = keyword === 'PatientName' ? [{ Alphabetic: pseudonym }] : keyword === 'PatientID' ? pseudonym : 'anonymized';
          note(at, 'replaced');
          continue;
        }
        switch (entry.vr) {
          case 'SQ': {
            const items = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
            out[keyword] = items.map((it) => walk(it as Ds, `${at}[]`));
            break;
          }
          case 'UI': {
            const vals = (Array.isArray(value) ? (value as unknown[]) : [value]).map((v) => (typeof v === 'string' ? this.uid(v) : v));
            out[keyword] = Array.isArray(value) ? vals : vals[0];
            if (
              (Array.isArray(value) ? value : [value]).some(
                (v) => typeof v === 'string' && v.trim() !== '' && !v.startsWith('1.2.840.10008.'),
              )
            )
              note(at, 'uid-remapped');
            break;
          }
          case 'DA': {
            const vals = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? shiftDicomDate(v, shift) : ''));
            out[keyword] = Array.isArray(value) ? vals : vals[0];
            if (first(value) !== '') note(at, 'date-shifted');
            break;
          }
          case 'DT': {
            const vals = (Array.isArray(value) ? value : [value]).map((v) => {
              const s = typeof v === 'string' ? v : '';
              if (s.length < 8) return '';
              const d = shiftDicomDate(s.slice(0, 8), shift);
              return d ? d + s.slice(8) : '';
            });
            out[keyword] = Array.isArray(value) ? vals : vals[0];
            if (first(value) !== '') note(at, 'date-shifted');
            break;
          }
          case 'PN': {
            out[keyword] = [{ Alphabetic: '' }];
            if (first(value) !== '') note(at, 'emptied');
            break;
          }
          default:
            out[keyword] = value;
        }
      }
      return out;
    };
    const out = walk(ds, '');
    out['PatientIdentityRemoved'] = 'YES';
    out['DeidentificationMethod'] = `${PROFILE}; dates shifted per patient`.slice(0, 64);
    out['DeidentificationMethodCodeSequence'] = METHOD_CODES.map((c) => ({
      CodeValue: c.value,
      CodingSchemeDesignator: c.scheme,
      CodeMeaning: c.meaning,
    }));
    out['LongitudinalTemporalInformationModified'] = 'MODIFIED';
    note('PatientIdentityRemoved', 'added');
    note('DeidentificationMethodCodeSequence', 'added');
    this.objects.push({ name: objectName, changes: [...changes.values()], warnings });
    return out;
  }

  /** Records a non-DICOM object (e.g. a NIfTI file) in the report with the changes made to it. */
  record(objectName: string, changes: readonly DeidChange[], warnings: readonly string[] = []): void {
    this.objects.push({ name: objectName, changes: [...changes], warnings: [...warnings] });
  }

  /** The report of everything de-identified so far (no original values in it). */
  report(): DeidReport {
    return {
      profile: PROFILE,
      options: [
        'Retain Longitudinal Temporal Information with Modified Dates (per-patient shift)',
        'UIDs replaced by keyed-hash 2.25 UIDs',
      ],
      methodCodes: METHOD_CODES,
      objects: this.objects.map((o) => ({ name: o.name, changes: o.changes, warnings: o.warnings })),
      warnings: [...new Set(this.objects.flatMap((o) => o.warnings))],
    };
  }
}
