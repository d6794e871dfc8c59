"""Choose the decision rule after the network on TRAINING slices only (``python -m lungburden.tune_postprocess
--run runs/<run>``) -> ``runs/<run>/postprocess.json`` (shipped as ``metadata.json`` ``postprocessing``).

Grid: ``lesionThreshold`` (on p(GGO) + p(HO)) and ``hoThreshold`` (on p(HO | lesion)) in 0.30 ... 0.70 by
0.05. Objective, fixed before looking at any result: the mean over the MedSeg *training* slices
(splits/validation.json ``medseg.train``) of (GGO Dice + HO Dice + lesion Dice) / 3, per slice, plain (no mirror
averaging, as volumes are run); ties -> the pair closest to (0.5, 0.5). ``zSmoothingRadius`` is fixed a priori
at 1 (slices k-1..k+1: the network's own window), not tuned. The validation split is never read here.
Caveat: the network was trained on these slices, so its probabilities on them are more confident than on
new images; the chosen thresholds may be less extreme than the best ones for unseen data.

``--slices tune`` (model 1.4): the 8 MedSeg training slices of ``splits/medseg-tune.json`` that the split head was
not fitted to (:mod:`lungburden.medseg_tune_split`) instead of all 40. ``--min-component`` also chooses, after
the thresholds, a minimum lesion component area (8-connected, pixels of the native slice grid) below which a
component becomes background, from :data:`MIN_COMPONENT_GRID` (0 = keep all; ties -> the smallest area).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from scipy import ndimage

from .checkpoints import load_model
from .data.medseg import load_medseg_slice
from .data.preprocess import PreprocessConfig, eight_bit_to_hu
from .evaluate import predict_probs
from .medseg_tune_split import load_or_write_tune_split
from .metrics import per_item_dice
from .postprocess import decide
from .prepare import load_or_write_split

GRID = [round(0.30 + 0.05 * i, 2) for i in range(9)]
Z_RADIUS = 1
MIN_COMPONENT_GRID = (0, 16, 32, 64, 128, 256)


def drop_small_components(labels: np.ndarray, min_px: int) -> np.ndarray:
    """A copy of ``labels [rows, cols]`` where 8-connected lesion components (label > 0) of fewer than ``min_px``
    pixels become background."""
    if min_px <= 0:
        return labels.copy()
    comp, n = ndimage.label(labels > 0, structure=np.ones((3, 3), bool))
    if n == 0:
        return labels.copy()
    small = np.bincount(comp.ravel(), minlength=n + 1) < min_px
    small[0] = False
    return np.where(small[comp], 0, labels).astype(labels.dtype)


def _dice3(preds, gts) -> dict:
    classes = (("ggo", (1,)), ("ho", (2,)), ("lesion", (1, 2)))
    return {n: float(np.mean(per_item_dice(preds, gts, v)["values"])) for n, v in classes}


def tune_min_component(probs: list[np.ndarray], gts: list[np.ndarray], lesion_t: float, ho_t: float) -> dict:
    """Minimum lesion component area (pixels) at fixed thresholds, same objective; ties -> the smallest area."""
    base = [decide(p, lesion_t, ho_t)[0] for p in probs]
    rows = []
    for a in MIN_COMPONENT_GRID:
        d = _dice3([drop_small_components(b, a) for b in base], gts)
        rows.append({"minComponentPx": a, **d, "objective": (d["ggo"] + d["ho"] + d["lesion"]) / 3})
    best = max(rows, key=lambda r: (round(r["objective"], 9), -r["minComponentPx"]))
    return {"minComponentPx": best["minComponentPx"], "objective": best["objective"], "grid": rows}


def tune(probs: list[np.ndarray], gts: list[np.ndarray]) -> dict:
    rows = []
    for lt in GRID:
        for ht in GRID:
            preds = [decide(p, lt, ht)[0] for p in probs]
            d = {n: float(np.mean(per_item_dice(preds, gts, v)["values"]))
                 for n, v in (("ggo", (1,)), ("ho", (2,)), ("lesion", (1, 2)))}
            rows.append({"lesionThreshold": lt, "hoThreshold": ht, **d, "objective": (d["ggo"] + d["ho"] + d["lesion"]) / 3})
    best = max(rows, key=lambda r: (round(r["objective"], 9), -abs(r["lesionThreshold"] - 0.5) - abs(r["hoThreshold"] - 0.5)))
    argmax_like = next(r for r in rows if r["lesionThreshold"] == 0.5 and r["hoThreshold"] == 0.5)
    return {"lesionThreshold": best["lesionThreshold"], "hoThreshold": best["hoThreshold"], "zSmoothingRadius": Z_RADIUS,
            "chosenOn": f"MedSeg training slices (n={len(probs)}), objective mean per-slice (GGO+HO+lesion)/3",
            "trainObjective": best["objective"], "trainDice": {k: best[k] for k in ("ggo", "ho", "lesion")},
            "trainDiceAt0.5": {k: argmax_like[k] for k in ("ggo", "ho", "lesion")}, "grid": rows}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--slices", choices=("train", "tune"), default="train",
                    help="train: all 40 MedSeg training slices; tune: the 8 of splits/medseg-tune.json")
    ap.add_argument("--min-component", action="store_true", help="also choose a minimum lesion component area")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    ids = load_or_write_split()["medseg"]["train"] if a.slices == "train" else load_or_write_tune_split()["tune"]
    probs, gts = [], []
    for sid in ids:
        s = load_medseg_slice(sid)
        hu = eight_bit_to_hu(s.image_u8, pre)
        probs.append(predict_probs(model, np.stack([hu] * pre.slice_window), pre))
        gts.append(s.labels)
    res = tune(probs, gts)
    res["chosenOn"] = res["chosenOn"].replace("MedSeg training slices", "MedSeg training slices" if a.slices == "train"
                                              else "MedSeg tuning slices (splits/medseg-tune.json)")
    if a.min_component:
        res["minComponent"] = tune_min_component(probs, gts, res["lesionThreshold"], res["hoThreshold"])
    (a.run / "postprocess.json").write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({k: v for k, v in res.items() if k != "grid"}, indent=1))


if __name__ == "__main__":
    main()
