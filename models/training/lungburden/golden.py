"""Golden fixture pinning the TypeScript preprocessing to :mod:`lungburden.data.preprocess`.

``python -m lungburden.golden`` writes ``test/fixtures/inference-golden/``:

* ``volume.i16`` - a procedural chest phantom (raw little-endian int16 HU, C order ``[k, row, col]``
  = i fastest, exactly the ``Volume.data`` layout) with ``rows != cols``, a body touching the image
  border (so the crop box leaves the image and padding is exercised), lungs, vessels, a table and
  noise. Procedural (seeded), so no team data is copied into the repository.
* ``golden.json`` - the volume header (size [nI, nJ, nK], spacingMm) and a list of cases, each with
  the slice index k, the preprocessing block (metadata.json format) + tensor size, the crop box
  ``{rowStart, colStart, side}`` and the file of the expected tensor.
* ``case-<n>.f32`` - expected float32 little-endian tensor ``[F, H, W]``.
* ``golden-antialias.json``, ``antialias-volume.i16``, ``antialias-case-<n>.f32`` - the same for the antialiased
  resize (``preprocessing.antialias: true``) on a larger phantom (160 x 224), so that every case decimates: sigma > 0
  along both axes (one case along rows only), Gaussian radii of 4 to 12 pixels, the box leaving the image.
  Separate files, so the cases above stay byte-identical.

Suggested tolerance: |ts - py| <= 1e-4 (arithmetic here is float64, then cast to float32).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from .data.preprocess import PreprocessConfig, body_box, preprocess_volume_window
from .paths import REPO_ROOT

OUT_DIR = REPO_ROOT / "test" / "fixtures" / "inference-golden"


def phantom(seed: int = 7, nk: int = 5, rows: int = 120, cols: int = 160, stretch: bool = False) -> np.ndarray:
    """Deterministic chest-like phantom in HU, int16 ``[k, row, col]``. The geometry is drawn for 120 x 160 (cut off or
    surrounded by air at another size); ``stretch``: scaled to ``rows x cols`` instead (the antialiased set)."""
    rng = np.random.default_rng(seed)
    sy, sx = (rows / 120, cols / 160) if stretch else (1.0, 1.0)
    r, c = np.mgrid[0:rows, 0:cols].astype(np.float64)
    vol = np.full((nk, rows, cols), -1000.0)
    for k in range(nk):
        s = 1.0 - 0.03 * k
        body = ((r - 58 * sy) / (55 * s * sy)) ** 2 + ((c - 92 * sx) / (75 * s * sx)) ** 2 <= 1.0   # touches the top edge
        lung_r = ((r - 55 * sy) / (35 * s * sy)) ** 2 + ((c - 62 * sx) / (22 * s * sx)) ** 2 <= 1.0
        lung_l = ((r - 55 * sy) / (33 * s * sy)) ** 2 + ((c - 122 * sx) / (21 * s * sx)) ** 2 <= 1.0
        sl = np.where(body, 40.0, -1000.0)
        sl = np.where(lung_r | lung_l, -860.0, sl)
        for _ in range(12):  # vessels
            vr, vc = rng.uniform(30 * sy, 80 * sy), rng.uniform(45 * sx, 140 * sx)
            sl = np.where(((r - vr) ** 2 + (c - vc) ** 2 <= rng.uniform(1, 6) * sy * sx) & (lung_r | lung_l), 30.0, sl)
        sl = np.where(((r - 100 * sy) ** 2 + (c - 92 * sx) ** 2) <= 36 * sy * sx, 700.0, sl)          # vertebra
        sl[round(113 * sy):round(116 * sy), round(20 * sx):round(150 * sx)] = 200.0     # table (separate component)
        vol[k] = sl + rng.normal(0, 12, sl.shape)
    vol[:, 0:3, 0:4] = -3024.0  # padding value outside the scan field (below the air clamp)
    return np.clip(np.round(vol), -32768, 32767).astype(np.int16)


CASES: list[dict[str, Any]] = [
    {"k": 0, "cfg": PreprocessConfig(height=64, width=64, slice_window=3, body_crop_margin_px=8)},
    {"k": 2, "cfg": PreprocessConfig(height=48, width=80, slice_window=5, body_crop_margin_px=0,
                                      body_threshold_hu=-300.0, mean=0.3, std=0.2)},
    {"k": 4, "cfg": PreprocessConfig()},  # the shipped bundle's preprocessing (192 x 192, F = 3)
]

AA_PHANTOM: dict[str, Any] = {"seed": 11, "nk": 2, "rows": 160, "cols": 224, "stretch": True}
AA_CASES: list[dict[str, Any]] = [
    # the shipped numbers at 64 x 64 (box side 216): sigma 1.19 both ways, like the shipped 192 x 192 on a 512 x 512 slice
    {"k": 0, "cfg": PreprocessConfig(height=64, width=64, slice_window=1, antialias=True)},
    # H != W (side 197: sigma 2.58 vertically, 1.26 horizontally), F = 3 over both slices (k = 1: window 0, 1, 1)
    {"k": 1, "cfg": PreprocessConfig(height=32, width=56, slice_window=3, body_crop_margin_px=0,
                                      body_threshold_hu=-300.0, mean=0.3, std=0.2, antialias=True)},
    # no vertical filter (side 216 <= H: sigma 0), a strong horizontal one (W = 24: sigma 4, radius 12)
    {"k": 0, "cfg": PreprocessConfig(height=240, width=24, slice_window=1, antialias=True)},
]


def _write_set(out_dir: Path, vol: np.ndarray, cases: list[dict[str, Any]], json_name: str, prefix: str,
               description: str) -> dict:
    volume_file = f"{prefix}volume.i16"
    (out_dir / volume_file).write_bytes(vol.astype("<i2").tobytes(order="C"))
    nk, rows, cols = vol.shape
    header: dict[str, Any] = {
        "description": description,
        "volume": {"file": volume_file, "dtype": "int16-le", "size": [cols, rows, nk], "spacingMm": [0.8, 0.8, 2.5],
                   "layout": "i fastest (data[i + j*nI + k*nI*nJ]); j = row, i = column"},
        "cases": [],
    }
    for n, case in enumerate(cases):
        cfg: PreprocessConfig = case["cfg"]
        x, box, _ = preprocess_volume_window(vol.astype(np.float64), case["k"], cfg)
        assert box == body_box(vol[case["k"]].astype(np.float64), cfg)
        fname = f"{prefix}case-{n}.f32"
        (out_dir / fname).write_bytes(x.astype("<f4").tobytes(order="C"))
        header["cases"].append({
            "k": case["k"], "sliceWindow": cfg.slice_window, "height": cfg.height, "width": cfg.width,
            "preprocessing": cfg.to_metadata(),
            "box": {"rowStart": box[0], "colStart": box[1], "side": box[2]},
            "file": fname, "shape": list(x.shape), "dtype": "float32-le",
            "stats": {"min": float(x.min()), "max": float(x.max()), "mean": float(x.mean())},
        })
    (out_dir / json_name).write_text(json.dumps(header, indent=2) + "\n")
    return header


def write_golden(out_dir: Path = OUT_DIR) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_set(
        out_dir, phantom(), CASES, "golden.json", "",
        "Written by models/training: python -m lungburden.golden. Phantom HU volume + expected "
        "preprocessed tensors (lungburden/data/preprocess.py). Tolerance 1e-4.")


def write_golden_antialias(out_dir: Path = OUT_DIR) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    header = _write_set(
        out_dir, phantom(**AA_PHANTOM), AA_CASES, "golden-antialias.json", "antialias-",
        "Written by models/training: python -m lungburden.golden. Phantom HU volume + expected preprocessed tensors "
        "with the antialiased resize (preprocessing.antialias: true; lungburden/data/preprocess.py). Tolerance 1e-4.")
    for case in header["cases"]:  # the point of this set: every case filters along at least one axis
        side = case["box"]["side"]
        assert side > case["height"] or side > case["width"], case
    return header


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    for h in (write_golden(args.out), write_golden_antialias(args.out)):
        print(json.dumps([{"k": c["k"], "box": c["box"], "shape": c["shape"]} for c in h["cases"]]))


if __name__ == "__main__":
    main()
