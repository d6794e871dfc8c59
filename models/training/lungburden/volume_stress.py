"""Dose and reconstruction kernel as failure classes of the HU path (a measurement, not a ship rule; slice spacing is
:mod:`lungburden.thick_slices`).

COVID-19 chest CT was often acquired at low dose, and sites reconstruct with their own kernels. Each variant alters a
HU volume on its own grid (the truth is unchanged) and the volume is segmented exactly as the application segments
one (3-slice windows, the bundle's decision rule, z smoothing):

* ``noise +25`` / ``noise +50``: added noise of that standard deviation (HU), white noise smoothed in-plane by a
  Gaussian of 1 px (a soft kernel's correlated grain) and rescaled, independent per slice: a lower dose;
* ``smooth kernel``: in-plane Gaussian of 1 px;
* ``sharp kernel``: in-plane unsharp mask ``x + 1.5 (x - G_1px(x))`` (edges and noise enhanced, as a lung kernel).

Sets: synthetic lesions on the held-out 4D-Lung series (per-volume Dice and lesion-in-lung mL against the truth,
paired with the unaltered volume) and the real series (RICORD COVID-19, LIDC-0001 and RIDER lesion-free: the burden
per variant, no truth).

``python -m lungburden.volume_stress --run runs/fast-v19 --post runs/fast-v19/postprocess.json [--cases 8]
[--json out.json]`` prints Markdown tables.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import ndimage

from .checkpoints import load_model
from .data.dicom_series import read_series
from .data.preprocess import PreprocessConfig
from .evaluate import REAL_CT, synthetic_slabs
from .metrics import per_item_dice
from .paths import SHARED_DATA
from .prepare import load_or_write_split
from .synth.lung_mask import lung_mask
from .thick_slices import CLASSES, segment_volume, summary_rows

Variant = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def _in_plane_gaussian(hu: np.ndarray, sigma_px: float) -> np.ndarray:
    return ndimage.gaussian_filter(hu.astype(np.float32), sigma=(0.0, sigma_px, sigma_px))


def added_noise(sd_hu: float) -> Variant:
    """Correlated noise of standard deviation ``sd_hu`` added to every slice (independent draws per slice)."""
    def apply(hu: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        grain = _in_plane_gaussian(rng.standard_normal(hu.shape).astype(np.float32), 1.0)
        grain /= max(float(grain.std()), 1e-6)
        return hu.astype(np.float32) + sd_hu * grain
    return apply


def smooth_kernel(hu: np.ndarray, _rng: np.random.Generator) -> np.ndarray:
    return _in_plane_gaussian(hu, 1.0)


def sharp_kernel(hu: np.ndarray, _rng: np.random.Generator) -> np.ndarray:
    x = hu.astype(np.float32)
    return x + 1.5 * (x - _in_plane_gaussian(x, 1.0))


VARIANTS: dict[str, Variant] = {
    "as is": lambda hu, _rng: hu.astype(np.float32),
    "noise +25 HU": added_noise(25.0),
    "noise +50 HU": added_noise(50.0),
    "smooth kernel": smooth_kernel,
    "sharp kernel": sharp_kernel,
}


def synthetic_rows(model, pre, post, bases, n_cases: int, slab: int = 15, seed: int = 4242) -> dict:
    """Per variant: per-volume Dice and lesion-in-lung mL (predicted, true) of the synthetic validation volumes."""
    rng = np.random.default_rng(seed)
    out: dict = {name: {"dice": {c: [] for c in CLASSES}, "pred_ml": [], "true_ml": []} for name in VARIANTS}
    for i, (v, lung, k0, res) in enumerate(synthetic_slabs(bases, n_cases, rng, slab)):
        vox = float(np.prod(v.spacing)) / 1000.0
        in_lung = lung[k0:k0 + slab]
        for j, (name, variant) in enumerate(VARIANTS.items()):
            lab = segment_volume(model, variant(res.hu, np.random.default_rng([seed, i, j])), pre, post)
            row = out[name]
            for c, vals in CLASSES.items():
                row["dice"][c].append(per_item_dice([lab], [res.labels], vals)["values"][0])
            row["pred_ml"].append(float(((lab > 0) & in_lung).sum() * vox))
            row["true_ml"].append(float((res.labels > 0).sum() * vox))
    return out


def real_rows(model, pre, post, seed: int = 4242) -> dict:
    """Per real series and variant: burden %, GGO and HO mL inside the lung mask of the unaltered series."""
    out: dict = {}
    for i, (name, rel) in enumerate(REAL_CT.items()):
        path = SHARED_DATA / "chest-ct" / rel
        if not path.exists():
            continue
        v = read_series(path, name)
        lung = lung_mask(v.hu)
        vox = float(np.prod(v.spacing)) / 1000.0
        for j, (vname, variant) in enumerate(VARIANTS.items()):
            lab = np.where(lung, segment_volume(model, variant(v.hu, np.random.default_rng([seed, 100 + i, j])), pre,
                                                post), 0)
            out.setdefault(name, {})[vname] = {
                "ggo_ml": round(float((lab == 1).sum() * vox), 1), "ho_ml": round(float((lab == 2).sum() * vox), 1),
                "burden_pct": round(100.0 * float((lab > 0).sum()) / max(1, int(lung.sum())), 2)}
    return out


def summarise(syn: dict) -> list[str]:
    return summary_rows(syn, "as is", {k: k for k in syn}, "variant")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--post", type=Path, required=True, help="the bundle's decision rule (postprocess.json)")
    ap.add_argument("--cases", type=int, default=8)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    post = json.loads(a.post.read_text())
    bases = load_or_write_split()["synthetic"]["validationBases"]
    syn = synthetic_rows(model, pre, post, bases, a.cases)
    real = real_rows(model, pre, post)
    print(f"synthetic volumes on {bases[0]} ({a.cases} x 15 slices)")
    print("\n".join(summarise(syn)))
    print("\n| series | " + " | ".join(VARIANTS) + " |\n|---|" + "---|" * len(VARIANTS))
    for name, rows in real.items():
        print(f"| {name} | " + " | ".join(f"{r['burden_pct']:.2f} % (GGO {r['ggo_ml']:.0f}, HO {r['ho_ml']:.0f} mL)"
                                          for r in rows.values()) + " |")
    if a.json is not None:
        a.json.write_text(json.dumps({"run": str(a.run), "synthetic": syn, "real": real}, indent=1) + "\n")


if __name__ == "__main__":
    main()
