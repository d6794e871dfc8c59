/** Signed figure with fixed decimals (`+1.20`, `-0.35`, `0.00`); '—' when null. */
export function fmtSigned(v: number | null, digits: number): string {
  if (v === null) return '—';
  const s = v.toFixed(digits);
  return Number(s) > 0 ? `+${s}` : Number(s) === 0 ? (0).toFixed(digits) : s;
}

/** Unsigned figure with fixed decimals; '—' when null. */
export function fmtFixed(v: number | null, digits: number): string {
  return v === null ? '—' : v.toFixed(digits);
}

/** What a timepoint's result is, in a reader's words. */
export function resultStateText(s: 'adjudicated' | 'signed' | 'unsigned' | 'no-burden'): string {
  return s === 'no-burden' ? 'not analysed' : s === 'unsigned' ? 'UNSIGNED' : s;
}
