"""The 8 stored orientations of a 2-D slice (the dihedral group D4) and the 4 classes up to left-right.

An orientation ``k = 4 t + 2 u + m`` (as ``ALL_ORIENTATIONS`` of ``shared/imaging/slice-orientation.ts``)
is made from an upright image by: flip columns if ``m`` (mirrored), then flip rows if ``u``
(upside down), then transpose if ``t``. The class the network predicts is ``k >> 1 = 2 t + u``:
left-right is not asked (segmentation is mirror-averaged and the heart-side heuristic decides it).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

CLASS_NAMES = ("upright", "upside-down", "transposed", "transposed+upside-down")
N_CLASSES = 4


def from_upright(a: np.ndarray, k: int) -> np.ndarray:
    """The image stored in orientation ``k`` made from the upright ``a[row, col]`` (a view)."""
    if k & 1:
        a = a[:, ::-1]
    if k & 2:
        a = a[::-1, :]
    if k & 4:
        a = a.T
    return a


def to_upright(a: np.ndarray, k: int) -> np.ndarray:
    """Inverse of :func:`from_upright`."""
    if k & 4:
        a = a.T
    if k & 2:
        a = a[::-1, :]
    if k & 1:
        a = a[:, ::-1]
    return a


def orientation_class(k: int) -> int:
    return k >> 1


def _identify(a: np.ndarray, ref: np.ndarray) -> int:
    for k in range(8):
        b = from_upright(ref, k)
        if b.shape == a.shape and np.array_equal(b, a):
            return k
    raise ValueError("not a D4 image of the reference")


@lru_cache(maxsize=1)
def class_action() -> np.ndarray:
    """``perm[g, c]``: the class of an image of class ``c`` after applying ``from_upright(., g)`` to it.

    Well defined because classes are left cosets of {identity, mirror}; checked on both members."""
    ref = np.arange(12).reshape(3, 4)
    perm = np.zeros((8, N_CLASSES), dtype=np.int64)
    for g in range(8):
        for c in range(N_CLASSES):
            got = {orientation_class(_identify(from_upright(from_upright(ref, 2 * c + m), g), ref)) for m in (0, 1)}
            if len(got) != 1:
                raise AssertionError("class action not well defined")
            perm[g, c] = got.pop()
    return perm
