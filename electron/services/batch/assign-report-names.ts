import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** File-name slug of an input key (`.` is the root; `.nii`/`.nii.gz` dropped; other characters folded to `__`). */
export const reportSlug = (key: string): string =>
  (key === '.' ? 'root' : key).replace(/\.nii(\.gz)?$/i, '').replace(/[^A-Za-z0-9._-]+/g, '__');

/**
 * Report file (relative to the output folder) of every input, unique: a key keeps the name the
 * journal gave it in an earlier run; otherwise its slug, with a short hash of the key appended
 * when another key already has that slug (`p 1/` and `p__1/`, or `x.nii`, `x.nii.gz` and `x/`
 * used to write one report over the other). Decided in key order, so reruns give the same names.
 */
export function assignReportNames(keys: readonly string[], journalReports: Readonly<Record<string, string | null>>): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of keys) {
    const r = journalReports[k];
    if (r && !used.has(r.toLowerCase())) {
      out.set(k, r);
      used.add(r.toLowerCase());
    }
  }
  for (const k of [...keys].sort()) {
    if (out.has(k)) continue;
    let name = join('reports', `${reportSlug(k)}.pdf`);
    if (used.has(name.toLowerCase())) {
      const h = createHash('sha256').update(k).digest('hex');
      for (let n = 8; used.has(name.toLowerCase()); n += 4) name = join('reports', `${reportSlug(k)}-${h.slice(0, n)}.pdf`);
    }
    used.add(name.toLowerCase());
    out.set(k, name);
  }
  return out;
}
