"""Training cache of OrientNet: upright bases at most 256 px on a side, never validation data.

* ``gray`` sources (8-bit display images, kept as stored 0..255): the MA20 training patients of
  ``splits/ma20-patients.json`` (``trainRuns``) and the MedSeg training slices of
  ``splits/validation.json`` (brought upright: the Inf-Net packaging is transposed);
* ``hu`` sources: every axial slice of the real HU series used for training (LIDC-IDRI-0001,
  RIDER-1225316081, as the lung mask and the synthetic-lesion engine use them), down-sampled to
  256 x 256 with antialiasing; rendered through a random 8-bit window at each draw
  (:mod:`.augment`). 4D-Lung and RICORD stay held out.

Arrays in ``runs/orientnet-cache.npz``: ``gray uint8 [N, 256, 256]`` (padded with 0),
``hu int16 [M, 256, 256]`` (padded with -1024), ``gray_group`` / ``hu_group`` (patient or series
index, for the record).
"""
from __future__ import annotations

import json

import numpy as np
from PIL import Image

from ..data.dicom_series import read_series
from ..data.ma20 import load_ma20_slice
from ..data.medseg import load_medseg_slice
from ..lungnet.dataset import TRAIN_SERIES, ma20_runs
from ..paths import RUNS_DIR, SHARED_DATA, SPLITS_FILE

ORIENT_CACHE = RUNS_DIR / "orientnet-cache.npz"
BASE = 256


def fit_square(a: np.ndarray, pad: float, side: int = BASE) -> np.ndarray:
    """Resize ``a[row, col]`` (antialiased bilinear) so its longer side is ``side``, centred on a
    ``side x side`` canvas filled with ``pad``; float32."""
    r, c = a.shape
    s = side / max(r, c)
    nr, nc = max(1, round(r * s)), max(1, round(c * s))
    img = Image.fromarray(a.astype(np.float32), mode="F")
    if (nr, nc) != (r, c):
        img = img.resize((nc, nr), Image.Resampling.BILINEAR, reducing_gap=None)
    out = np.full((side, side), pad, np.float32)
    r0, c0 = (side - nr) // 2, (side - nc) // 2
    out[r0:r0 + nr, c0:c0 + nc] = np.asarray(img)
    return out


def medseg_split(part: str) -> list[str]:
    return list(json.loads(SPLITS_FILE.read_text())["medseg"][part])


def build_cache(out=ORIENT_CACHE):
    grays, ggroup = [], []
    for p, (a, b) in enumerate(ma20_runs("train")):
        for num in range(a, b + 1):
            img, _l, _m = load_ma20_slice(num)
            grays.append(np.clip(np.round(fit_square(img, 0.0)), 0, 255).astype(np.uint8))
            ggroup.append(p)
    for sid in medseg_split("train"):
        grays.append(np.clip(np.round(fit_square(load_medseg_slice(sid).image_u8, 0.0)), 0, 255).astype(np.uint8))
        ggroup.append(100)
    hus, hgroup = [], []
    for s, sid in enumerate(TRAIN_SERIES):
        vol = read_series(SHARED_DATA / "chest-ct" / sid)
        for k in range(vol.hu.shape[0]):
            hus.append(np.round(fit_square(vol.hu[k], -1024.0)).astype(np.int16))
            hgroup.append(200 + s)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, gray=np.stack(grays), gray_group=np.array(ggroup, np.int16), hu=np.stack(hus),
                        hu_group=np.array(hgroup, np.int16))
    tmp.replace(out)
    return out


if __name__ == "__main__":
    p = build_cache()
    d = np.load(p)
    print(p, d["gray"].shape, d["hu"].shape)
