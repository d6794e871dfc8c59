import type { LungMaskComparison } from '../imaging/combine-lung-masks.ts';

const NOTE = /^combined lung mask: classical (\d+) mL, learned (\d+) mL, added (\d+) mL$/;

/**
 * The note stored on an algorithm lung version made by the combined (classical + learned) mask:
 * the two volumes and what the learned mask added, in whole mL. Stored with the version (shown in
 * its history) so that every later QC run of the case can still compare the two masks.
 */
export function lungMaskNote(c: LungMaskComparison): string {
  return `combined lung mask: classical ${Math.round(c.classicalMl)} mL, learned ${Math.round(c.learnedMl)} mL, added ${Math.round(c.addedMl)} mL`;
}

/** Reads {@link lungMaskNote} back; null for any other note (a classical-only or reader version). */
export function parseLungMaskNote(note: string | null | undefined): LungMaskComparison | null {
  const m = note ? NOTE.exec(note) : null;
  if (!m) return null;
  return { classicalMl: Number(m[1]), learnedMl: Number(m[2]), addedMl: Number(m[3]) };
}
