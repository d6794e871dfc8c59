/**
 * The visit order a protocol's visit label implies: 0 for a baseline (`baseline`, `BL`,
 * `screening`), N for a numbered follow-up (`follow-up 2`, `FU2`, `F/U 2`); null otherwise (the
 * reader sets it). Labels such as `week 4` are left to the reader: schedules differ per protocol.
 */
export function defaultVisitOrder(label: string): number | null {
  const s = label.trim().toLowerCase();
  if (s === '') return null;
  if (/^(baseline|bl|base|screening|scr)\b/.test(s) || /\bbaseline\b/.test(s)) return 0;
  const fu = /\b(?:follow[\s_-]*up|f\/?u)[\s_-]*0*(\d{1,3})\b/.exec(s);
  if (fu?.[1] !== undefined) return Number(fu[1]);
  return null;
}
