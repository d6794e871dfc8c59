import { createHmac } from 'node:crypto';

/**
 * Removes protected health information (PHI) from values before they are logged or exported.
 *
 * - Values under PHI keys (patient name/id/birth date/sex, accession, institution, physicians,
 *   reader identity, DICOM UIDs, file paths, …) become `⟨h:…⟩`: the first 12 hex digits of
 *   HMAC-SHA256(salt, value). The same value gives the same token for one salt (support can
 *   correlate lines) but cannot be reversed or dictionary-checked without the salt, which never
 *   leaves the user's data folder.
 * - Inside any string: absolute paths (POSIX, Windows drive, UNC, `~/`) become `⟨path:h:…⟩`
 *   (a known extension such as `.nii.gz` is kept), DICOM person names (`Doe^Jane`) and every
 *   value passed to {@link Redactor.rememberPhi} become `⟨h:…⟩`.
 * - Errors keep name, code and a redacted message/stack; depth, array length and string length
 *   are bounded so one log line stays small.
 */
export interface Redactor {
  /** A redacted deep copy of `value` (JSON-safe). */
  (value: unknown): unknown;
  /** Redacts one free-text string (paths, person names, remembered PHI). */
  text(s: string): string;
  /** The salted token of one identifying value. */
  hash(value: string): string;
  /** Values seen elsewhere (e.g. a patient's name at import) to scrub from free text too. */
  rememberPhi(...values: readonly (string | null | undefined)[]): void;
}

/** Keys whose values are identifying (matched case-insensitively on the key name). */
const PHI_KEY =
  /(patient|birth|accession|institution|physician|operator|performing|referring|requesting|address|phone|reader|author|otherpatient|ethnic|^name$|^sex$|uid$|uids$|path$|paths$|^file$|^files$|^dir$|folder|^source$)/i;

/** Keys matched by PHI_KEY that identify no one (SOP class and transfer syntax UIDs are standard constants). */
const SAFE_KEY = /^(transferSyntaxUid|sopClassUid|mediaStorageSopClassUid|TransferSyntaxUID|SOPClassUID)$/i;

const KEEP_EXT = /\.(nii\.gz|nii|dcm|json|sqlite|log|zip|onnx|csv|png|txt)$/i;
// Absolute paths: POSIX (/a/b), home (~/a), Windows drive (C:\a or C:/a) and UNC (\\server\share).
const PATH_RE = /(?<![\w.:/\\])(?:~\/|\/(?=[^\s/])|[A-Za-z]:[\\/]|\\\\)[^\s"'<>|]*/g;
// DICOM PN values: family^given[^middle…] (letters, spaces, hyphens, apostrophes, dots).
const PN_RE = /[\p{L}][\p{L}' .-]*\^[\p{L}' .^-]*/gu;
const MAX_DEPTH = 8;
const MAX_ITEMS = 100;
const MAX_STRING = 4000;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A redactor for `salt` (≥ 16 bytes; use {@link loadOrCreateLogSalt}). */
export function createRedactor(salt: Uint8Array | string): Redactor {
  if ((typeof salt === 'string' ? Buffer.byteLength(salt) : salt.length) < 16) throw new Error('redaction salt must be at least 16 bytes');
  const remembered = new Set<string>();
  let rememberedRe: RegExp | null = null;

  const hash = (value: string): string => `⟨h:${createHmac('sha256', salt).update(value.normalize('NFC')).digest('hex').slice(0, 12)}⟩`;

  const text = (s: string): string => {
    let out = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…(${s.length} chars)` : s;
    out = out.replace(PATH_RE, (m) => {
      const [, p = m, tail = ''] = /^(.*?)([,.;:)\]]*)$/s.exec(m) ?? [];
      return `⟨path:${hash(p).slice(1, -1)}${KEEP_EXT.exec(p)?.[0] ?? ''}⟩${tail}`;
    });
    out = out.replace(PN_RE, (pn) => hash(pn.trim()));
    if (rememberedRe) out = out.replace(rememberedRe, (m) => hash(m));
    return out;
  };

  const walk = (v: unknown, depth: number, phi: boolean): unknown => {
    if (v === null || v === undefined || typeof v === 'boolean') return v ?? null;
    if (typeof v === 'number') return phi ? hash(String(v)) : Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return phi ? hash(v.toString()) : v.toString();
    if (typeof v === 'string') return phi ? (v === '' ? '' : hash(v)) : text(v);
    if (typeof v === 'function' || typeof v === 'symbol') return `[${typeof v}]`;
    if (depth >= MAX_DEPTH) return '[depth limit]';
    if (v instanceof Error) {
      const code = (v as { code?: unknown }).code;
      return {
        name: v.name,
        message: text(v.message),
        ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
        ...(v.stack ? { stack: text(v.stack.split('\n').slice(0, 12).join('\n')) } : {}),
      };
    }
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return `[${v.constructor.name} ${v.byteLength} bytes]`;
    if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : 'Invalid Date';
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ITEMS).map((x) => walk(x, depth + 1, phi));
      if (v.length > MAX_ITEMS) items.push(`…(${v.length - MAX_ITEMS} more)`);
      return items;
    }
    if (v instanceof Map) return walk(Object.fromEntries(v), depth, phi);
    if (v instanceof Set) return walk([...v], depth, phi);
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (++n > MAX_ITEMS) {
        out['…'] = 'more keys omitted';
        break;
      }
      // Prototype-polluting keys are renamed (they would change the object when parsed back).
      const key = k === '__proto__' || k === 'constructor' || k === 'prototype' ? `_${k}` : text(k);
      out[key] = walk(x, depth + 1, phi || (PHI_KEY.test(k) && !SAFE_KEY.test(k)));
    }
    return out;
  };

  const redact = ((value: unknown) => walk(value, 0, false)) as Redactor;
  redact.text = text;
  redact.hash = hash;
  redact.rememberPhi = (...values) => {
    for (const v of values) {
      if (!v) continue;
      const whole = v.trim();
      if (whole.length >= 3) remembered.add(whole);
      // Person names: each component (Doe^Jane^M → Doe, Jane) and "Jane Doe" orderings.
      for (const part of whole.split(/[\^,\s]+/)) if (part.length >= 3) remembered.add(part);
    }
    const alts = [...remembered].sort((a, b) => b.length - a.length).map(escapeRe);
    rememberedRe = alts.length ? new RegExp(alts.join('|'), 'giu') : null;
  };
  return redact;
}
