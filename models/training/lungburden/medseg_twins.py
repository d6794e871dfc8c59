"""MedSeg slices that show the same image or the same patient twice, and what their two label maps agree on (issue 14).

MedSeg's slices carry no patient ids and Inf-Net's split is a random split of slices, so a validation slice can have a
twin in training. This module finds such pairs and measures two things nothing else here can:

* **exposure** of the fixed validation split: validation slices with a training twin or a same-patient neighbour,
  and each model's per-slice lesion Dice with and without them (from ``metrics.json`` files; no inference);
* **label repeatability**: when one image was annotated twice (two crops of the same JPEG, re-scaled), the Dice of
  one label map against the other after registration is the agreement of the reference standard with itself: a
  model that reproduced the other annotation exactly would score that against this one.

Method: every slice resized to 64 x 64 and standardised; normalised cross-correlation (NCC) of all pairs. A pair with
NCC >= ``--same-patient`` (0.85) is listed; one with NCC >= ``--same-image`` (0.95) is registered (the larger crop
onto the smaller; axis scales 0.90-1.10 and offsets; bilinear image, nearest-neighbour labels) and, if the registered
images differ by <= ``--max-mad`` grey levels on average, scored as one image annotated twice. The thresholds were set
in the session that found the pairs (2026-12-03), from what they separate, and every listed pair was checked by eye:
unrelated slices have a nearest-neighbour NCC of about 0.73 (median), adjacent slices of one patient 0.86-0.97 (the one
such pair above 0.95 registers to 17.6 grey levels), the one image stored twice 0.998 and 6.6 (JPEG re-compression).

    python -m lungburden.medseg_twins [--json out.json] 1.3.0=runs/v1.3.0/metrics-full.json fast-v13=runs/fast-v13/metrics.json
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .data.medseg import load_medseg_slice, medseg_ids
from .metrics import CLASSES, dice
from .paths import SPLITS_FILE

SIDE = 64


def standardised_thumbnail(image_u8: np.ndarray) -> np.ndarray:
    t = np.asarray(Image.fromarray(image_u8).resize((SIDE, SIDE), Image.Resampling.BILINEAR), np.float64).ravel()
    return (t - t.mean()) / (t.std() + 1e-9)


def similar_pairs(images: dict[str, np.ndarray], threshold: float) -> list[tuple[float, str, str]]:
    """``(ncc, id_a, id_b)`` of every pair with NCC >= threshold, most similar first."""
    ids = list(images)
    thumbs = np.stack([standardised_thumbnail(images[i]) for i in ids])
    ncc = thumbs @ thumbs.T / thumbs.shape[1]
    out = [(float(ncc[a, b]), ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids))
           if ncc[a, b] >= threshold]
    return sorted(out, reverse=True)


@dataclass
class Registration:
    mad: float                # mean absolute grey difference of the registered images
    size: tuple[int, int]     # the moving image re-scaled to this (rows, cols) ...
    offset: tuple[int, int]   # ... then cropped from this (row, col)


def _resized(a: np.ndarray, size: tuple[int, int], nearest: bool, pad: tuple[int, int]) -> np.ndarray:
    how = Image.Resampling.NEAREST if nearest else Image.Resampling.BILINEAR
    r = np.asarray(Image.fromarray(a).resize((size[1], size[0]), how))
    out = np.zeros((max(size[0], pad[0]) + 8, max(size[1], pad[1]) + 8), a.dtype)
    out[: size[0], : size[1]] = r
    return out


def register(fixed: np.ndarray, moving: np.ndarray, scales: np.ndarray | None = None, max_offset: int = 8) -> Registration:
    """Best axis-aligned scale + offset of ``moving`` onto ``fixed`` (both uint8), by mean absolute difference."""
    if scales is None:
        scales = np.arange(0.90, 1.1001, 0.005)
    h, w = fixed.shape
    f = fixed.astype(np.float64)
    best: Registration | None = None
    for sy in scales:
        for sx in scales:
            size = (int(round(moving.shape[0] * sy)), int(round(moving.shape[1] * sx)))
            if abs(size[0] - h) > max_offset or abs(size[1] - w) > max_offset:
                continue
            m = _resized(moving, size, False, (h, w)).astype(np.float64)
            for dy in range(max_offset):
                for dx in range(max_offset):
                    mad = float(np.abs(m[dy:dy + h, dx:dx + w] - f).mean())
                    if best is None or mad < best.mad:
                        best = Registration(mad, size, (dy, dx))
    if best is None:
        raise ValueError(f"images of {fixed.shape} and {moving.shape} differ in size beyond {max_offset} px")
    return best


def warp_labels(labels: np.ndarray, reg: Registration, shape: tuple[int, int]) -> np.ndarray:
    m = _resized(labels, reg.size, True, shape)
    return m[reg.offset[0]:reg.offset[0] + shape[0], reg.offset[1]:reg.offset[1] + shape[1]]


def label_agreement(a: np.ndarray, b: np.ndarray) -> dict:
    """Dice of GGO (1), high opacity (2) and lesion (>0) between two label maps, and their 3 x 3 pixel confusion."""
    out: dict = {f"dice_{c}": dice(np.isin(a, v), np.isin(b, v))[0] for c, v in CLASSES.items()}
    out["confusion_px"] = [[int(((a == i) & (b == j)).sum()) for j in range(3)] for i in range(3)]
    return out


def exposure_table(per_slice: dict[str, dict[str, float]], exposed: set[str]) -> dict:
    """Mean per-slice lesion Dice over all validation slices, the exposed ones and the rest."""
    ids = list(per_slice)
    def mean(sel: list[str]) -> float | None:
        return float(np.mean([per_slice[i]["dice_lesion"] for i in sel])) if sel else None
    rest = [i for i in ids if i not in exposed]
    return {"all": mean(ids), "exposed": mean([i for i in ids if i in exposed]), "rest": mean(rest), "n_rest": len(rest)}


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*", help="NAME=runs/<run>/metrics.json (their medseg_per_slice is read)")
    ap.add_argument("--same-patient", type=float, default=0.85)
    ap.add_argument("--same-image", type=float, default=0.95)
    ap.add_argument("--max-mad", type=float, default=10.0)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    split = json.loads(SPLITS_FILE.read_text())["medseg"]
    val = set(split["validation"])
    side = {i: ("val" if i in val else "train") for i in medseg_ids()}
    slices = {i: load_medseg_slice(i) for i in side}
    pairs = similar_pairs({i: s.image_u8 for i, s in slices.items()}, a.same_patient)
    report: dict = {"pairs": [], "thresholds": {"same_patient": a.same_patient, "same_image": a.same_image,
                                                "max_mad": a.max_mad}}
    print("| pair | splits | NCC | registered MAD (grey) | kind | label agreement GGO / HO / lesion |")
    print("|---|---|---|---|---|---|")
    for ncc, x, y in pairs:
        row: dict = {"a": x, "b": y, "splits": [side[x], side[y]], "ncc": ncc, "kind": "same patient"}
        agree = "-"
        if ncc >= a.same_image:
            # register the larger crop onto the smaller one: down-scaling blurs less than up-scaling
            fx, my = sorted((slices[x], slices[y]), key=lambda sl: sl.image_u8.size)
            reg = register(fx.image_u8, my.image_u8)
            row["mad"] = reg.mad
            if reg.mad <= a.max_mad:
                row["kind"] = "same image"
                shape = (fx.labels.shape[0], fx.labels.shape[1])
                row["agreement"] = label_agreement(fx.labels, warp_labels(my.labels, reg, shape))
                g = row["agreement"]
                agree = f"{g['dice_ggo']:.3f} / {g['dice_ho']:.3f} / {g['dice_lesion']:.3f}"
        report["pairs"].append(row)
        mad = f"{row['mad']:.1f}" if "mad" in row else "-"
        print(f"| {x} / {y} | {side[x]} / {side[y]} | {ncc:.3f} | {mad} | {row['kind']} | {agree} |")
    exposed = {p for r in report["pairs"] if "val" in r["splits"] and "train" in r["splits"] for p in (r["a"], r["b"])
               if p in val}
    report["exposed_validation_slices"] = sorted(exposed, key=int)
    print(f"\nvalidation slices with a training twin or same-patient neighbour: {report['exposed_validation_slices']}")
    if a.runs:
        print("\n| model | lesion per-slice Dice, all 10 | exposed | the other |")
        print("|---|---|---|---|")
        report["models"] = {}
        for spec in a.runs:
            name, path = spec.split("=", 1)
            rows = {r["id"]: r for r in json.loads(Path(path).read_text())["medseg_per_slice"]}
            t = exposure_table(rows, exposed)
            report["models"][name] = t
            print(f"| {name} | {_f(t['all'])} | {_f(t['exposed'])} | {_f(t['rest'])} ({t['n_rest']}) |")
    if a.json:
        a.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
