"""Measures the learned lung mask: Dice against the radiologist lung masks of the 3 held-out MA20
patients (per patient = pooled over that patient's slices; mean of patients; pooled over all), and
lung volume on every real HU series against the classical mask (``scripts/lungnet-dump-series.ts``).

``python -m lungburden.lungnet.evaluate --checkpoint runs/lungnet-v1/checkpoint.pt [--out report.json]``
Nothing here feeds back into training (the last checkpoint is the model).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TypedDict

import numpy as np

from ..data.ma20 import load_ma20_slice
from ..data.preprocess import eight_bit_to_hu
from .dataset import HELD_OUT_SERIES, TRAIN_SERIES, load_series_dump, lungnet_config, ma20_runs
from .predict import load_checkpoint, predict_slices


class PatientDice(TypedDict):
    patient: str
    slices: int
    dice: float
    volumeRatio: float


def dice(a: np.ndarray, b: np.ndarray) -> float:
    s = int(a.sum()) + int(b.sum())
    return 1.0 if s == 0 else 2.0 * int((a & b).sum()) / s


def ma20_dice(model) -> dict:
    cfg = lungnet_config()
    per: list[PatientDice] = []
    inter_all, sum_all = 0, 0
    slice_d: list[float] = []
    for a, b in ma20_runs("validation"):
        imgs, truth = [], []
        for num in range(a, b + 1):
            img, _lesion, lung = load_ma20_slice(num)
            imgs.append(eight_bit_to_hu(img, cfg))
            truth.append(lung)
        pred = predict_slices(model, np.stack(imgs))
        t = np.stack(truth)
        inter, s = int((pred & t).sum()), int(pred.sum()) + int(t.sum())
        inter_all += inter
        sum_all += s
        slice_d += [dice(pred[i], t[i]) for i in range(len(t))]
        per.append({"patient": f"ma20 slices {a:04d}-{b:04d}", "slices": len(t), "dice": round(2 * inter / s, 4),
                    "volumeRatio": round(float(pred.sum()) / max(1, int(t.sum())), 4)})
    return {"perPatient": per, "meanOfPatients": round(float(np.mean([p["dice"] for p in per])), 4),
            "pooled": round(2 * inter_all / sum_all, 4), "meanPerSlice": round(float(np.mean(slice_d)), 4)}


def series_volumes(model) -> list[dict]:
    rows = []
    for sid in (*HELD_OUT_SERIES, *TRAIN_SERIES):
        hu, lab, meta = load_series_dump(sid)
        ml = float(np.prod(meta["spacingMm"])) / 1000.0
        pred = predict_slices(model, hu)
        classical = lab > 0
        rows.append({"series": sid, "role": "held out" if sid in HELD_OUT_SERIES else "training (classical mask as target)",
                     "learnedMl": round(float(pred.sum()) * ml), "classicalMl": round(float(classical.sum()) * ml),
                     "unionMl": round(float((pred | classical).sum()) * ml),
                     "diceVsClassical": round(dice(pred, classical), 4)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    model = load_checkpoint(a.checkpoint)
    rep = {"checkpoint": str(a.checkpoint), "ma20HeldOut": ma20_dice(model), "series": series_volumes(model)}
    text = json.dumps(rep, indent=1)
    print(text)
    if a.out:
        a.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
