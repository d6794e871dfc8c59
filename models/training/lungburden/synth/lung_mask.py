"""A simple lung mask for HU volumes ``hu[k,row,col]``: threshold + components + hole filling.

Good enough to confine synthetic lesions (not a clinical lung segmentation):
1. air-like voxels ``hu < -400``;
2. per slice, remove air components touching the image border (air outside the body);
3. 3-D components: keep the largest, plus the second if it is >= 15 % of the largest (two lungs);
   components smaller than 0.5 % of the kept volume are dropped;
4. per slice, binary closing (3 px) and hole filling, so vessels inside the lung are included.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage


def lung_mask(hu: np.ndarray, air_threshold: float = -400.0) -> np.ndarray:
    air = hu < air_threshold
    inner = np.zeros_like(air)
    for k in range(hu.shape[0]):
        lab, n = ndimage.label(air[k])
        if n == 0:
            continue
        border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
        keep = np.ones(n + 1, dtype=bool)
        keep[border] = False
        keep[0] = False
        inner[k] = keep[lab]
    lab, n = ndimage.label(inner)
    if n == 0:
        return inner
    sizes = np.bincount(lab.ravel())
    sizes[0] = 0
    order = np.argsort(sizes)[::-1]
    keep_ids = [order[0]]
    if n > 1 and sizes[order[1]] >= 0.15 * sizes[order[0]]:
        keep_ids.append(order[1])
    mask = np.isin(lab, keep_ids)
    st = ndimage.generate_binary_structure(2, 1)
    for k in range(mask.shape[0]):
        if mask[k].any():
            m = ndimage.binary_closing(mask[k], structure=st, iterations=3)
            mask[k] = ndimage.binary_fill_holes(m)
    return mask
