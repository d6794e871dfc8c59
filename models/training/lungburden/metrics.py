"""Segmentation metrics on label arrays (0 background, 1 GGO, 2 high opacity).

Dice of a class on one slice/volume: ``2|P & G| / (|P| + |G|)``. When both P and G are empty the
Dice is **defined as 1** and counted (``n_empty_both``); when only one is empty it is 0.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

CLASSES = {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}


def dice(pred: np.ndarray, gt: np.ndarray) -> tuple[float, bool]:
    """Dice of two boolean arrays and whether both were empty."""
    ps, gs = int(pred.sum()), int(gt.sum())
    if ps == 0 and gs == 0:
        return 1.0, True
    return 2.0 * int((pred & gt).sum()) / (ps + gs), False


def per_item_dice(preds, gts, values) -> dict:
    """Per-item Dice list for the class set ``values`` over paired label arrays."""
    ds, empties = [], 0
    for p, g in zip(preds, gts, strict=False):
        d, e = dice(np.isin(p, values), np.isin(g, values))
        ds.append(d)
        empties += int(e)
    return {"values": ds, "n_empty_both": empties}


def dice_scores(pred: np.ndarray, gt: np.ndarray, binary: bool = False) -> dict:
    """Mean per-slice Dice and pooled (all pixels together) Dice per class; ``binary`` -> lesion only."""
    out = {}
    for name, vals in CLASSES.items():
        if binary and name != "lesion":
            continue
        r = per_item_dice(pred, gt, vals)
        out[f"dice_{name}"] = float(np.mean(r["values"])) if r["values"] else float("nan")
        out[f"dice_{name}_pooled"] = dice(np.isin(pred, vals), np.isin(gt, vals))[0]
        out[f"n_empty_both_{name}"] = r["n_empty_both"]
    return out


def agreement(pred_vol: ArrayLike, gt_vol: ArrayLike) -> dict:
    """Volume agreement of paired measurements (e.g. lesion mL per case): R^2 of the identity line
    (1 - SS_res/SS_tot with SS_res about y = x), Pearson r^2, Bland-Altman bias and 95 % limits."""
    p = np.asarray(pred_vol, dtype=np.float64)
    g = np.asarray(gt_vol, dtype=np.float64)
    if len(p) < 2:
        return {"n": len(p), "r2": float("nan"), "pearson_r2": float("nan"), "ba_bias": float("nan"),
                "ba_loa_low": float("nan"), "ba_loa_high": float("nan")}
    diff = p - g
    ss_tot = float(((g - g.mean()) ** 2).sum())
    r2 = 1 - float((diff ** 2).sum()) / ss_tot if ss_tot > 0 else float("nan")
    pr = float(np.corrcoef(p, g)[0, 1] ** 2) if p.std() > 0 and g.std() > 0 else float("nan")
    sd = float(diff.std(ddof=1))
    return {"n": len(p), "r2": r2, "pearson_r2": pr, "ba_bias": float(diff.mean()),
            "ba_loa_low": float(diff.mean() - 1.96 * sd), "ba_loa_high": float(diff.mean() + 1.96 * sd)}


def bootstrap_ci(values, n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (items resampled with replacement;
    deterministic given ``seed``). With 10 validation slices the interval is wide: it says how much
    the reported mean could move with another draw of slices."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, v.size, size=(n_boot, v.size))].mean(axis=1)
    a = (1 - level) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))
