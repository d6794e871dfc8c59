"""Training cache of the learned lung mask: slices cropped and resized exactly as the bundle's
preprocessing does (body box of the slice, bilinear to ``H x W``; :mod:`lungburden.data.preprocess`),
kept in HU so that intensity augmentation acts before the window. Three sources:

* ``ma20``: the 7 training patients of ``splits/ma20-patients.json`` (radiologist lung masks); the
  8-bit CLAHE images are mapped to HU through ``eightBitWindow`` as the app does for 8-bit slices;
* ``hu``: real HU series with their classical lung mask (``scripts/lungnet-dump-series.ts``);
* ``synth``: the same HU series with dense lesions painted INSIDE the classical mask by
  :func:`lungburden.synth.lesions.insert_lesions` (consolidation and dependent effusion), the target
  staying the clean mask: the dense-lung case the threshold mask misses.

Arrays: ``x float32 [N, H, W]`` (HU), ``y uint8 [N, H, W]`` (1 = lung), ``src`` (0 ma20, 1 hu, 2 synth).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..data.ma20 import load_ma20_slice
from ..data.preprocess import PreprocessConfig, body_box, eight_bit_to_hu, resize_box, resize_labels
from ..paths import CACHE_DIR, MA20_PATIENT_SPLIT_FILE
from ..synth.lesions import PROFILES, insert_lesions

LUNGNET_CACHE = CACHE_DIR / "lungnet"
#: HU series used for training; the two others (4d-lung, RICORD) stay held out for the volume check.
TRAIN_SERIES = ("lidc-idri-0001", "rider-1225316081")
HELD_OUT_SERIES = ("4d-lung-113-hm10395", "ricord1a-000082-covid")
SIZE = 128


def lungnet_config() -> PreprocessConfig:
    """The lesion model's preprocessing contract at 128 x 128, one slice per input."""
    return PreprocessConfig(height=SIZE, width=SIZE, slice_window=1)


def load_series_dump(series_id: str, root: Path = LUNGNET_CACHE):
    """``(hu float32 [k, j, i], labels uint8 [k, j, i] (1 right, 2 left), meta)`` of a dumped series."""
    meta = json.loads((root / f"{series_id}.json").read_text())
    ni, nj, nk = meta["size"]
    hu = np.fromfile(root / f"{series_id}.i16", dtype="<i2").reshape(nk, nj, ni).astype(np.float32)
    lab = np.fromfile(root / f"{series_id}.u8", dtype=np.uint8).reshape(nk, nj, ni)
    return hu, lab, meta


def crop_slice(hu: np.ndarray, lung: np.ndarray | None, cfg: PreprocessConfig):
    """One slice -> ``(hu crop float32 [H, W], lung crop uint8 or None, box)``."""
    box = body_box(hu, cfg)
    x = resize_box(hu.astype(np.float64), box, cfg.height, cfg.width).astype(np.float32)
    y = None if lung is None else resize_labels(lung.astype(np.uint8), box, cfg.height, cfg.width)
    return x, y, box


def ma20_runs(split: str) -> list[list[int]]:
    """Patient runs of the committed MA20 split (``train`` -> trainRuns, ``validation`` -> validationRuns)."""
    d = json.loads(MA20_PATIENT_SPLIT_FILE.read_text())
    return d["trainRuns" if split == "train" else "validationRuns"]


def ma20_crops(runs: list[list[int]], cfg: PreprocessConfig):
    xs, ys = [], []
    for a, b in runs:
        for num in range(a, b + 1):
            img, _lesion, lung = load_ma20_slice(num)
            x, y, _ = crop_slice(eight_bit_to_hu(img, cfg), lung, cfg)
            xs.append(x)
            ys.append(y)
    return np.stack(xs), np.stack(ys)


def series_crops(series_id: str, cfg: PreprocessConfig):
    """Every slice of a dumped series cropped: ``(x [K,H,W], y [K,H,W], in-plane mm per crop pixel)``."""
    hu, lab, meta = load_series_dump(series_id)
    xs, ys, px = [], [], []
    for k in range(hu.shape[0]):
        x, y, box = crop_slice(hu[k], lab[k] > 0, cfg)
        xs.append(x)
        ys.append(y)
        px.append(box[2] * meta["spacingMm"][0] / cfg.width)
    return np.stack(xs), np.stack(ys), float(np.median(px)), float(meta["spacingMm"][2])


def synth_dense(x: np.ndarray, y: np.ndarray, px_mm: float, dz_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Dense lesions (consolidation, effusion) painted into the lung of a cropped series."""
    kinds = tuple(rng.choice(["consolidation", "consolidation", "ggo"], size=int(rng.integers(2, 7))))
    res = insert_lesions(x, y > 0, (dz_mm, px_mm, px_mm), rng, kinds=kinds, p_effusion=0.7, profile=PROFILES["v2"])
    return res.hu


def build_cache(out: Path = LUNGNET_CACHE / "train.npz", synth_variants: int = 6, seed: int = 20261202) -> Path:
    cfg = lungnet_config()
    rng = np.random.default_rng(seed)
    xs, ys, src = [], [], []
    mx, my = ma20_crops(ma20_runs("train"), cfg)
    xs.append(mx)
    ys.append(my)
    src.append(np.zeros(len(mx), np.uint8))
    for sid in TRAIN_SERIES:
        hx, hy, px, dz = series_crops(sid, cfg)
        xs.append(hx)
        ys.append(hy)
        src.append(np.ones(len(hx), np.uint8))
        for _ in range(synth_variants):
            sx = synth_dense(hx, hy, px, dz, rng)
            xs.append(sx)
            ys.append(hy)
            src.append(np.full(len(hx), 2, np.uint8))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, x=np.concatenate(xs).astype(np.float32), y=np.concatenate(ys).astype(np.uint8),
                        src=np.concatenate(src))
    tmp.replace(out)
    return out


if __name__ == "__main__":
    p = build_cache()
    d = np.load(p)
    print(p, d["x"].shape, np.bincount(d["src"]))
