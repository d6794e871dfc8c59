import { readFileSync } from 'node:fs';
import { capText, stripUnsafeText } from '../../../shared/export/display-text.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// A4 portrait in points (1/72 inch).
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const M = 42;
export const CONTENT_W = PAGE_W - 2 * M;
export const FOOTER_H = 92;
export const NAVY = '#14304f';
export const INK = '#1d232b';
export const MUTED = '#5d6773';
export const RULE = '#c9d1da';
export const SHADE = '#eef2f6';
export const SEVERITY_FILL = ['#2e7d32', '#558b2f', '#f9a825', '#ef6c00', '#c62828', '#6a1b9a'];

export const hex = (c: readonly [number, number, number]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * DejaVu Sans Condensed (npm `dejavu-fonts-ttf`, free licence), embedded and subset by pdfkit: the report
 * reads the same in every viewer and archive, and names in Latin, Greek or Cyrillic script print
 * as written. Characters the font lacks (e.g. CJK) are shown as U+FFFD rather than dropped.
 */
export const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const REGULAR = 'DejaVu';
export const BOLD = 'DejaVu-Bold';
let fontBytes: { regular: Buffer; bold: Buffer } | null = null;
export function fonts(): { regular: Buffer; bold: Buffer } {
  fontBytes ??= {
    regular: readFileSync(join(FONT_DIR, 'DejaVuSansCondensed.ttf')),
    bold: readFileSync(join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf')),
  };
  return fontBytes;
}

/** Text as printed: characters outside the Basic Multilingual Plane's scripts DejaVu covers become U+FFFD. */
/**
 * Text as drawn: control and bidi formatting characters removed (a DICOM string can carry
 * them), capped at `max` characters (a 10 kB PatientName made a 62-page report), and glyphs the
 * embedded fonts lack replaced.
 */
export const printable = (s: string, max = 400): string =>
  capText(stripUnsafeText(s), max).replace(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u{10000}-\u{10ffff}]/gu, '\ufffd');
/** Longest value drawn in a key/value row (patient, study and series fields). */
export const KEY_VALUE_MAX_CHARS = 160;
/** Identifiers of page one sit in half-width columns: at most ~3 lines each, so page one keeps the full regional table. */
export const IDENTIFIER_MAX_CHARS = 64;

export const fmtMl = (v: number): string => v.toFixed(1);
export const fmtPct = (v: number): string => v.toFixed(2);
