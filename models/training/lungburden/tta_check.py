"""Rule 3 of DECISION-1.4.0.md: does mirror averaging help on the MedSeg TUNING slices (never validation)?
(``python -m lungburden.tta_check --run runs/<run> --post runs/<run>/postprocess.json``)

Scores the 8 slices of ``splits/medseg-tune.json`` with the run's decision rule, plain and left-right mirror-averaged
(as the accurate bundle's graph computes, :mod:`lungburden.nets.mirror_tta`), and prints the mean per-slice Dice of
GGO, high opacity, lesion and their mean (the objective of :mod:`lungburden.tune_postprocess`).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .data.medseg import load_medseg_slice
from .data.preprocess import PreprocessConfig, eight_bit_to_hu
from .evaluate import load_model, predict_slice
from .medseg_tune_split import load_or_write_tune_split
from .metrics import per_item_dice


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--post", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    model, cfg, _ = load_model(a.run)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    post = json.loads(a.post.read_text())
    slices = [load_medseg_slice(i) for i in load_or_write_tune_split()["tune"]]
    out: dict[str, object] = {}
    results: dict[str, dict[str, float]] = {}
    for mirror in (False, True):
        preds = [predict_slice(model, np.stack([eight_bit_to_hu(s.image_u8, pre)] * pre.slice_window), pre, mirror, post)
                 for s in slices]
        d = {n: float(np.mean(per_item_dice(preds, [s.labels for s in slices], v)["values"]))
             for n, v in (("ggo", (1,)), ("ho", (2,)), ("lesion", (1, 2)))}
        d["objective"] = (d["ggo"] + d["ho"] + d["lesion"]) / 3
        results["mirror" if mirror else "plain"] = d
        out["mirror" if mirror else "plain"] = d
    out["mirror_helps"] = results["mirror"]["objective"] >= results["plain"]["objective"]
    print(json.dumps(out, indent=1))
    (a.run / "tta-check.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
