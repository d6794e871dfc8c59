"""The z-smoothing radius of the decision rule, scored on synthetic volumes (issue 14, lever 5; ``DECISION-1.3.1.md``).

The network's probabilities of every slice are computed once per volume; the decision rule of ``runs/<run>/
postprocess.json`` (lesion and HO thresholds) is applied, then :func:`lungburden.postprocess.smooth_split_along_z` with
each radius. Per radius: mean per-volume GGO, HO and lesion Dice, the objective (GGO + HO) / 2, and the z-alternation
(class flips between z-neighbour lesion voxels; the truth's is printed beside it). The volumes are those of
:func:`lungburden.evaluate.eval_synthetic` (same lesion engine, 15-slice slabs), on the training bases (``--bases
train``, for choosing) or the validation base (``--bases validation``, for checking), so a chosen radius is never
picked on the volumes that report it.

    python -m lungburden.tune_z_radius --run runs/v1.3.0 --bases train --cases 16 --seed 5151 [--json out.json]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .checkpoints import load_model
from .data.preprocess import PreprocessConfig, window_indices
from .evaluate import predict_probs, synthetic_slabs
from .metrics import CLASSES, per_item_dice
from .paired_compare import paired_bootstrap
from .postprocess import decide, smooth_split_along_z, z_alternation
from .prepare import load_or_write_split


def choose_radius(objective: dict[int, float], tie: float = 0.001) -> int:
    """The smallest radius whose objective is within ``tie`` of the best."""
    best = max(objective.values())
    return min(r for r, v in objective.items() if v >= best - tie)


def score_radii(labels_rule: list[np.ndarray], splits: list[np.ndarray], truths: list[np.ndarray], radii: list[int],
                ho_t: float) -> dict:
    """Per radius: per-volume Dice lists, their means, the objective and the mean z-alternation."""
    out: dict = {}
    for r in radii:
        vols = [smooth_split_along_z(lab, sp, r, ho_t) for lab, sp in zip(labels_rule, splits, strict=True)]
        d = {c: [per_item_dice([v], [t], vals)["values"][0] for v, t in zip(vols, truths, strict=True)]
             for c, vals in CLASSES.items()}
        alt = [z_alternation(v) for v in vols]
        out[r] = {"per_volume": d, **{f"dice_{c}": float(np.mean(v)) for c, v in d.items()},
                  "objective": float(np.mean([(g + h) / 2 for g, h in zip(d["ggo"], d["ho"], strict=True)])),
                  "z_alternation": float(np.nanmean(alt))}
    return out


def synthetic_volumes(model, bases: list[str], pre: PreprocessConfig, n_cases: int, seed: int, post: dict,
                      slab: int = 15) -> tuple[list, list, list]:
    """Rule labels, split probabilities and truths of ``n_cases`` synthetic slabs, as ``eval_synthetic`` builds them."""
    rng = np.random.default_rng(seed)
    labels, splits, truths = [], [], []
    for _v, _lung, _k0, res in synthetic_slabs(bases, n_cases, rng, slab):
        probs = [predict_probs(model, res.hu[window_indices(k, slab, pre.slice_window)], pre) for k in range(slab)]
        dec = [decide(p, post["lesionThreshold"], post["hoThreshold"]) for p in probs]
        labels.append(np.stack([d[0] for d in dec]))
        splits.append(np.stack([d[1] for d in dec]))
        truths.append(res.labels)
    return labels, splits, truths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True, help="run folder with final.pt and postprocess.json")
    ap.add_argument("--bases", choices=("train", "validation"), required=True)
    ap.add_argument("--cases", type=int, default=16)
    ap.add_argument("--seed", type=int, default=5151)
    ap.add_argument("--radii", default="0,1,2,3,4")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    post = json.loads((a.run / "postprocess.json").read_text())
    bases = load_or_write_split()["synthetic"]["trainBases" if a.bases == "train" else "validationBases"]
    labels, splits, truths = synthetic_volumes(model, bases, pre, a.cases, a.seed, post)
    radii = [int(r) for r in a.radii.split(",")]
    scores = score_radii(labels, splits, truths, radii, post["hoThreshold"])
    truth_alt = float(np.nanmean([z_alternation(t) for t in truths]))
    chosen = choose_radius({r: s["objective"] for r, s in scores.items()})
    print(f"{a.cases} synthetic volumes on the {a.bases} bases {bases} (seed {a.seed}); truth z-alternation {truth_alt:.3f}")
    print("| radius | GGO | HO | lesion | (GGO + HO) / 2 | z-alternation | paired vs radius 1: GGO / HO [95 % CI] |")
    print("|---|---|---|---|---|---|---|")
    for r, s in scores.items():
        vs = ""
        if 1 in scores and r != 1:
            g = paired_bootstrap(scores[1]["per_volume"]["ggo"], s["per_volume"]["ggo"])
            h = paired_bootstrap(scores[1]["per_volume"]["ho"], s["per_volume"]["ho"])
            s["paired_vs_1"] = {"ggo": g, "ho": h}
            vs = (f"{g['diff']:+.4f} [{g['ci95'][0]:+.4f}, {g['ci95'][1]:+.4f}] / "
                  f"{h['diff']:+.4f} [{h['ci95'][0]:+.4f}, {h['ci95'][1]:+.4f}]")
        print(f"| {r} | {s['dice_ggo']:.4f} | {s['dice_ho']:.4f} | {s['dice_lesion']:.4f} | {s['objective']:.4f} | "
              f"{s['z_alternation']:.3f} | {vs} |")
    print(f"chosen radius (highest objective, ties within 0.001 to the smaller): {chosen}")
    if a.json:
        a.json.write_text(json.dumps({"bases": bases, "seed": a.seed, "cases": a.cases, "truth_z_alternation": truth_alt,
                                      "chosen": chosen, "scores": {str(r): s for r, s in scores.items()}}, indent=2) + "\n")


if __name__ == "__main__":
    main()
