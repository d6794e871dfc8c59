"""Decision rule and z consistency after the network (mirrors ``shared/inference/postprocess.ts`` and
``shared/inference/z-consistency.ts``; the tests of both pin the same small cases).

* :func:`decide`: a voxel is lesion when ``p(GGO) + p(HO) >= lesion_t``; a lesion voxel is high opacity when
  ``p(HO | lesion) >= ho_t``, else GGO. Thresholds are chosen on training slices only
  (:mod:`lungburden.tune_postprocess`) and shipped in ``metadata.json`` ``postprocessing``.
* :func:`smooth_split_along_z`: on volumes ``[K, rows, cols]``, every lesion voxel takes HO when the mean of
  ``round(255 p(HO | lesion))`` over the lesion voxels of its z-column within +-radius slices is
  ``>= 255 ho_t``; which voxels are lesion is unchanged.
"""
from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray, axis: int = 0) -> np.ndarray:
    m = logits.max(axis=axis, keepdims=True)
    e = np.exp(logits - m)
    return e / e.sum(axis=axis, keepdims=True)


def decide(probs: np.ndarray, lesion_t: float, ho_t: float) -> tuple[np.ndarray, np.ndarray]:
    """Labels ``[...]`` (uint8 0/1/2) and the split probability ``round(255 p(HO | lesion))`` on lesion voxels
    (uint8, 0 elsewhere) from class probabilities ``[3, ...]``."""
    les = probs[1] + probs[2]
    p_ho = probs[2] / np.maximum(les, 1e-30)
    lab = np.where(les >= lesion_t, np.where(p_ho >= ho_t, 2, 1), 0).astype(np.uint8)
    split = np.where(lab > 0, np.round(255 * p_ho), 0).astype(np.uint8)
    return lab, split


def smooth_split_along_z(labels: np.ndarray, split: np.ndarray, radius: int, ho_t: float) -> np.ndarray:
    """A copy of ``labels [K, rows, cols]`` with the GGO/HO class of lesion voxels re-decided along z."""
    if radius <= 0 or labels.shape[0] < 2:
        return labels.copy()
    les = labels > 0
    k = labels.shape[0]
    s = np.zeros(labels.shape, np.float64)
    n = np.zeros(labels.shape, np.float64)
    sv = np.where(les, split.astype(np.float64), 0.0)
    for d in range(-radius, radius + 1):
        lo, hi = max(0, -d), min(k, k - d)
        s[lo:hi] += sv[lo + d:hi + d]
        n[lo:hi] += les[lo + d:hi + d]
    out = labels.copy()
    mean = s / np.maximum(n, 1)
    out[les] = np.where(mean[les] >= 255 * ho_t, 2, 1).astype(np.uint8)
    return out


def z_alternation(labels: np.ndarray) -> float:
    """Fraction of z-neighbour pairs of lesion voxels (same row/col, slices k and k+1, both lesion) whose
    class differs (GGO above HO or the reverse): the banding seen in coronal views. NaN without pairs."""
    a, b = labels[:-1], labels[1:]
    both = (a > 0) & (b > 0)
    n = int(both.sum())
    return float(((a != b) & both).sum() / n) if n else float("nan")
