/**
 * Fast scanning of sparse label maps: most voxels are 0, so a scan can jump over zero bytes four
 * at a time through a 32-bit view of the same buffer (when the view is possible).
 */
export interface ZeroWordScanner {
  /** The first index ≥ `p` that may be non-zero (`p` itself when no jump is possible), at most `n`. */
  next(p: number): number;
}

export function zeroWordScanner(labels: Uint8Array): ZeroWordScanner {
  const n = labels.length;
  const words = labels.byteOffset % 4 === 0 ? new Uint32Array(labels.buffer, labels.byteOffset, n >>> 2) : null;
  if (words === null) return { next: (p) => p };
  const nWords = words.length;
  return {
    next: (p) => {
      if ((p & 3) !== 0 || p >>> 2 >= nWords) return p;
      let w = p >>> 2;
      while (w < nWords && words[w] === 0) w++;
      return Math.min(n, Math.max(p, w * 4));
    },
  };
}
