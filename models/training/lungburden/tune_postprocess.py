"""Choose the decision rule after the network on TRAINING slices only (``python -m lungburden.tune_postprocess
--run runs/<run>``) -> ``runs/<run>/postprocess.json`` (shipped as ``metadata.json`` ``postprocessing``).

Grid: ``lesionThreshold`` (on p(GGO) + p(HO)) and ``hoThreshold`` (on p(HO | lesion)) in 0.30 ... 0.70 by
0.05. Objective, fixed before looking at any result: the mean over the MedSeg *training* slices
(splits/validation.json ``medseg.train``) of (GGO Dice + HO Dice + lesion Dice) / 3, per slice, plain (no mirror
averaging, as volumes are run); ties -> the pair closest to (0.5, 0.5). ``zSmoothingRadius`` is fixed a priori
at 1 (slices k-1..k+1: the network's own window), not tuned. The validation split is never read here.
Caveat: the network was trained on these slices, so its probabilities on them are more confident than on
new images; the chosen thresholds may be less extreme than the best ones for unseen data.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .checkpoints import load_model
from .data.medseg import load_medseg_slice
from .data.preprocess import PreprocessConfig, eight_bit_to_hu
from .evaluate import predict_probs
from .metrics import per_item_dice
from .postprocess import decide
from .prepare import load_or_write_split

GRID = [round(0.30 + 0.05 * i, 2) for i in range(9)]
Z_RADIUS = 1


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
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    ids = load_or_write_split()["medseg"]["train"]
    probs, gts = [], []
    for sid in ids:
        s = load_medseg_slice(sid)
        hu = eight_bit_to_hu(s.image_u8, pre)
        probs.append(predict_probs(model, np.stack([hu] * pre.slice_window), pre))
        gts.append(s.labels)
    res = tune(probs, gts)
    (a.run / "postprocess.json").write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({k: v for k, v in res.items() if k != "grid"}, indent=1))


if __name__ == "__main__":
    main()
