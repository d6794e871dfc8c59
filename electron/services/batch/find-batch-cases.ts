import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isNiftiPath } from '../analysis/import-any-path.ts';

/** One input of a batch: a leaf DICOM folder or a NIfTI file. */
export interface BatchInput {
  /** Path relative to the batch root, with `/` separators (the journal key). */
  readonly key: string;
  readonly path: string;
  readonly kind: 'dicom' | 'nifti';
  /** Total bytes of the input files. */
  readonly bytes: number;
  /**
   * Changes when the input changes (file count, bytes, newest mtime): a finished case whose
   * signature differs is processed again.
   */
  readonly signature: string;
}

/** Files that are never DICOM instances (notes, exports, archives) and are ignored. */
const NOT_DICOM = /\.(txt|md|json|csv|tsv|xml|html?|pdf|png|jpe?g|gif|zip|gz|xz|tar|bz2|7z|py|sh|log)$/i;

/**
 * Walks a tree of studies. Each NIfTI file (.nii, .nii.gz) is a case; each folder that holds
 * candidate DICOM files (any file except hidden ones, NIfTI and obvious non-DICOM extensions)
 * and has no sub-folder is a case (a leaf DICOM folder). Candidate files lying beside
 * sub-folders are not imported (they would mix with the sub-folders' series) and are returned
 * in `ignored`. Symbolic links are not followed. Sorted by key, so runs are reproducible.
 */
export function findBatchCases(root: string): { inputs: BatchInput[]; ignored: string[] } {
  const inputs: BatchInput[] = [];
  const ignored: string[] = [];
  const keyOf = (p: string) => relative(root, p).split(sep).join('/') || '.';
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
    const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.'));
    const dicom: string[] = [];
    for (const f of files) {
      const p = join(dir, f.name);
      if (isNiftiPath(f.name)) {
        const st = statSync(p);
        inputs.push({ key: keyOf(p), path: p, kind: 'nifti', bytes: st.size, signature: `1:${st.size}:${Math.round(st.mtimeMs)}` });
      } else if (!NOT_DICOM.test(f.name) && f.name.toUpperCase() !== 'DICOMDIR') dicom.push(p);
    }
    if (dicom.length > 0) {
      if (subdirs.length === 0) {
        let bytes = 0;
        let newest = 0;
        for (const p of dicom) {
          const st = statSync(p);
          bytes += st.size;
          newest = Math.max(newest, st.mtimeMs);
        }
        inputs.push({ key: keyOf(dir), path: dir, kind: 'dicom', bytes, signature: `${dicom.length}:${bytes}:${Math.round(newest)}` });
      } else ignored.push(...dicom.map(keyOf));
    }
    for (const d of subdirs) walk(join(dir, d.name));
  };
  walk(root);
  inputs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { inputs, ignored };
}
