/**
 * Text that came from input files (DICOM strings such as PatientName, file names) made safe to
 * show: a hostile file can carry terminal escape sequences, bell/backspace, bidi overrides that
 * reorder what a reader sees ("RTL\u202E1234" shows as "RTL4321") and 10 kB names that push a
 * worklist off-screen or make a PDF report 62 pages long.
 */

/** C0 controls, DEL and C1 controls (tab and newlines included: shown text is one line). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Explicit bidi formatting characters: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069) and the marks LRM, RLM, ALM. Removing them leaves the natural bidi order of
 * the characters themselves (Arabic and Hebrew names still read right to left).
 */
const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** Default longest displayed length of one input string, in characters. */
export const DISPLAY_TEXT_MAX_CHARS = 64;

/** Removes control and bidi formatting characters (controls become a space, bidi marks nothing). */
export function stripUnsafeText(s: string): string {
  return s.replace(CONTROLS, ' ').replace(BIDI_CONTROLS, '');
}

/** Caps `s` at `max` characters (code points), ending it with "…" when cut. */
export function capText(s: string, max: number = DISPLAY_TEXT_MAX_CHARS): string {
  if (s.length <= max) return s;
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * An input string ready to print in a terminal, a PDF or a UI label: controls and bidi
 * formatting removed, then capped at `max` characters (default {@link DISPLAY_TEXT_MAX_CHARS}).
 */
export function displayText(s: string, max: number = DISPLAY_TEXT_MAX_CHARS): string {
  return capText(stripUnsafeText(s), max);
}
