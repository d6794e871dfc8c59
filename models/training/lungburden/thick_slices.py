"""Slice spacing as a failure class: what the model does when a site reconstructs thicker slices (a measurement that
informs the QC thresholds of ``shared/qc/qc-thresholds.ts``, not a ship rule).

Many COVID-19 chest CTs were read from 5 mm reconstructions; the training bases are 2.5 mm (LIDC-IDRI, RIDER) and the
validation base 3 mm (4D-Lung). A thicker series is made here from a thinner one by averaging ``factor`` consecutive
slices (the slice sensitivity profile of a thick reconstruction, to first order), and segmented exactly as the
application segments a volume (3-slice windows, the bundle's decision rule, z smoothing):

* **synthetic volumes** (lesions of the synth engine inserted into the held-out 4D-Lung series, as ``evaluate``'s
  synthetic set, in slabs whose length every factor divides): per-volume GGO / HO / lesion Dice against the thick
  truth (a thick voxel is lesion when at least half of its thin voxels are, GGO or HO by the larger share), and the
  predicted lesion volume inside the lung against the **thin** truth's (the physical volume a burden should report);
* **real series** (RICORD COVID-19 at 2.5 mm, LIDC-0001 and RIDER lesion-free): the burden at each spacing, which a
  spacing-robust model keeps (no truth; the lung mask is recomputed on each thick series).

``python -m lungburden.thick_slices --run runs/fast-v19 --post runs/fast-v19/postprocess.json [--factors 1,2,3]
[--cases 8] [--json out.json]`` prints a Markdown table; paired intervals against factor 1 are per volume.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .checkpoints import load_model
from .data.dicom_series import read_series
from .data.preprocess import PreprocessConfig, window_indices
from .evaluate import REAL_CT, predict_probs, synthetic_slabs
from .metrics import bootstrap_ci, per_item_dice
from .paths import SHARED_DATA
from .postprocess import decide, smooth_split_along_z
from .prepare import load_or_write_split
from .synth.lung_mask import lung_mask

CLASSES = {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}


def thicken(a: np.ndarray, factor: int) -> np.ndarray:
    """Mean of each run of ``factor`` consecutive slices of ``a`` ``[K, H, W]`` (a trailing remainder is dropped)."""
    k = (a.shape[0] // factor) * factor
    return a[:k].reshape(k // factor, factor, *a.shape[1:]).astype(np.float32).mean(axis=1)


def thick_truth(labels: np.ndarray, factor: int) -> np.ndarray:
    """Labels of the thick slices: lesion where at least half of the thin voxels are lesion, then GGO (1) or high
    opacity (2) by the larger share (ties: GGO)."""
    ggo = thicken((labels == 1).astype(np.float32), factor)
    ho = thicken((labels == 2).astype(np.float32), factor)
    out = np.zeros(ggo.shape, np.uint8)
    lesion = ggo + ho >= 0.5
    out[lesion & (ggo >= ho)] = 1
    out[lesion & (ho > ggo)] = 2
    return out


def segment_volume(model, hu: np.ndarray, pre: PreprocessConfig, post: dict) -> np.ndarray:
    """Labels of a HU volume as the application computes them: 3-slice windows, the decision rule, z smoothing."""
    dec = [decide(predict_probs(model, hu[window_indices(k, hu.shape[0], pre.slice_window)], pre),
                  post["lesionThreshold"], post["hoThreshold"]) for k in range(hu.shape[0])]
    return smooth_split_along_z(np.stack([d[0] for d in dec]), np.stack([d[1] for d in dec]),
                                int(post.get("zSmoothingRadius", 0)), post["hoThreshold"])


def synthetic_rows(model, pre, post, bases, factors, n_cases: int, slab: int, seed: int = 4242) -> tuple[dict, float]:
    """Per factor: per-volume Dice against the thick truth and lesion-in-lung mL against the thin truth; and the thin
    slice spacing (mm) of the base series (the largest, when the bases differ)."""
    rng = np.random.default_rng(seed)
    out: dict = {str(f): {"dice": {c: [] for c in CLASSES}, "pred_ml": [], "true_ml": []} for f in factors}
    dz = 0.0
    for v, lung, k0, res in synthetic_slabs(bases, n_cases, rng, slab):
        dz = max(dz, float(v.spacing[0]))
        thin_lung = lung[k0:k0 + slab]
        vox_thin = float(np.prod(v.spacing)) / 1000.0
        true_ml = float((res.labels > 0).sum() * vox_thin)
        for f in factors:
            hu = thicken(res.hu, f) if f > 1 else res.hu.astype(np.float32)
            truth = thick_truth(res.labels, f) if f > 1 else res.labels
            lab = segment_volume(model, hu, pre, post)
            in_lung = thicken(thin_lung.astype(np.float32), f) >= 0.5 if f > 1 else thin_lung
            row = out[str(f)]
            for c, vals in CLASSES.items():
                row["dice"][c].append(per_item_dice([lab], [truth], vals)["values"][0])
            row["pred_ml"].append(float(((lab > 0) & in_lung).sum() * vox_thin * f))
            row["true_ml"].append(true_ml)
    return out, dz


def real_rows(model, pre, post, factors) -> dict:
    """Per real series and factor: lung mL, GGO / HO mL and burden % (lung mask recomputed on the thick series)."""
    out: dict = {}
    for name, rel in REAL_CT.items():
        path = SHARED_DATA / "chest-ct" / rel
        if not path.exists():
            continue
        v = read_series(path, name)
        for f in factors:
            hu = thicken(v.hu, f) if f > 1 else v.hu.astype(np.float32)
            lung = lung_mask(hu)
            lab = np.where(lung, segment_volume(model, hu, pre, post), 0)
            vox = float(np.prod(v.spacing)) * f / 1000.0
            out.setdefault(name, {})[str(f)] = {
                "spacing_mm": round(float(v.spacing[0]) * f, 2), "lung_ml": round(float(lung.sum() * vox), 1),
                "ggo_ml": round(float((lab == 1).sum() * vox), 1), "ho_ml": round(float((lab == 2).sum() * vox), 1),
                "burden_pct": round(100.0 * float((lab > 0).sum()) / max(1, int(lung.sum())), 2)}
    return out


def summary_rows(syn: dict, base: str, labels: dict[str, str], first_header: str) -> list[str]:
    """Markdown rows, one per key of ``syn`` (shown as ``labels[key]``): mean per-volume Dice, the lesion Dice's paired
    difference to ``syn[base]`` and the lesion-in-lung volume error, with bootstrap intervals."""
    lines = [f"| {first_header} | GGO / HO / lesion Dice (per volume) | lesion Dice vs {labels[base]} [95 % CI] | "
             "lesion-in-lung mL: predicted - true, mean [95 % CI] |", "|---|---|---|---|"]
    for key, row in syn.items():
        d = {c: float(np.mean(v)) for c, v in row["dice"].items()}
        diff = np.asarray(row["dice"]["lesion"]) - np.asarray(syn[base]["dice"]["lesion"])
        err = np.asarray(row["pred_ml"]) - np.asarray(row["true_ml"])
        lo, hi = bootstrap_ci(diff)
        elo, ehi = bootstrap_ci(err)
        lines.append(f"| {labels[key]} | {d['ggo']:.3f} / {d['ho']:.3f} / {d['lesion']:.3f} | {diff.mean():+.3f} "
                     f"[{lo:+.3f}, {hi:+.3f}] | {err.mean():+.1f} [{elo:+.1f}, {ehi:+.1f}] |")
    return lines


def summarise(syn: dict, spacing_mm: float) -> list[str]:
    """Per factor (the thin truth's volume is the true one)."""
    return summary_rows(syn, "1", {f: f"{spacing_mm * int(f):g} mm (x{f})" for f in syn}, "spacing")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--post", type=Path, required=True, help="the bundle's decision rule (postprocess.json)")
    ap.add_argument("--factors", default="1,2,3")
    ap.add_argument("--cases", type=int, default=8)
    ap.add_argument("--slab", type=int, default=24, help="thin slices per synthetic volume (every factor must divide it)")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    factors = [int(x) for x in a.factors.split(",")]
    if factors[0] != 1 or any(a.slab % f for f in factors):
        raise SystemExit("--factors must start with 1 and divide --slab")
    import torch

    torch.set_num_threads(1)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    post = json.loads(a.post.read_text())
    bases = load_or_write_split()["synthetic"]["validationBases"]
    syn, spacing = synthetic_rows(model, pre, post, bases, factors, a.cases, a.slab)
    real = real_rows(model, pre, post, factors)
    print(f"synthetic volumes on {bases[0]} ({a.cases} x {a.slab} slices of {spacing:g} mm)")
    print("\n".join(summarise(syn, spacing)))
    print("\n| series | " + " | ".join(f"x{f}" for f in factors) + " |\n|---|" + "---|" * len(factors))
    for name, rows in real.items():
        print(f"| {name} | " + " | ".join(f"{r['spacing_mm']:g} mm: {r['burden_pct']:.2f} % (GGO {r['ggo_ml']:.0f}, "
                                          f"HO {r['ho_ml']:.0f}, lung {r['lung_ml']:.0f} mL)" for r in rows.values()) + " |")
    if a.json is not None:
        a.json.write_text(json.dumps({"run": str(a.run), "synthetic": syn, "real": real}, indent=1) + "\n")


if __name__ == "__main__":
    main()
