/** Formats a percentage (0–100): two decimals below 1 %, else one; an em dash for none. */
export const fmtPercent = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v > 0 && v < 1 ? v.toFixed(2) : v.toFixed(1)} %`;

/** Formats a volume in mL: one decimal under 100 mL, none above. */
export const fmtMl = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v < 100 ? v.toFixed(1) : v.toFixed(0)} mL`;

/** ISO time → local "YYYY-MM-DD HH:MM". */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** DICOM date YYYYMMDD → YYYY-MM-DD (other forms unchanged). */
export const fmtDicomDate = (s: string): string => (/^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s || '—');

/** Seconds → "1 min 05 s" / "42 s". */
export function fmtEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '';
  const r = Math.max(0, Math.round(s));
  return r >= 60 ? `${Math.floor(r / 60)} min ${String(r % 60).padStart(2, '0')} s` : `${r} s`;
}
