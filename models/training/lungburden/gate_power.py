"""How large a difference between two models the fixed validation sets can resolve (issue 14).

Every candidate since 1.3.0 was compared with it on the same 10 MedSeg validation slices (and the MA20 clean
patient's 159 slices). For each candidate and class this reads the per-slice Dice of both models from their
``metrics.json`` files (no inference) and reports:

* the standard deviation of the paired per-slice differences, pooled over the candidates (root mean square);
* the **minimal detectable difference** of a paired comparison: the true mean difference that a two-sided test at
  5 % detects with 80 % power, ``(z_0.975 + z_0.80) * sd / sqrt(n)`` (normal approximation);
* how many validation items that comparison would need to detect a difference of ``--effect`` (0.02 by default);
* the half-width of the 95 % interval of one model's mean (its own per-slice spread), beside the distance from the
  reference to the issue's target.

    python -m lungburden.gate_power --reference runs/v1.3.0/metrics-full.json fast-v7=runs/fast-v7/metrics.json ...
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .ma20_exposure import SPLITS, exposure_subsets

Z_TWO_SIDED_5 = 1.959964
Z_POWER_80 = 0.841621
TARGETS = {"ggo": 0.58, "ho": 0.40, "lesion": 0.73}  # issue 14, MedSeg validation per-slice mean Dice
MA20_TARGET = 0.70


def medseg_values(m: dict, c: str) -> dict[str, float]:
    return {r["id"]: float(r[f"dice_{c}"]) for r in m["medseg_per_slice"]}


def clean_indices() -> list[int]:
    """Positions of the MA20 clean validation patient's slices in the per-slice lists (``ma20_exposure``)."""
    ps = json.loads((SPLITS / "ma20-patients.json").read_text())
    bs = json.loads((SPLITS / "validation.json").read_text())
    return exposure_subsets(ps, bs)["clean patient (never trained on)"]


def ma20_clean_values(m: dict, idx: list[int]) -> list[float] | None:
    vals = m.get("ma20_patients", {}).get("per_slice_dice_lesion")
    return [float(vals[i]) for i in idx] if vals else None


def mde(sd: float, n: int) -> float:
    """Minimal detectable paired mean difference (two-sided 5 %, power 80 %)."""
    return (Z_TWO_SIDED_5 + Z_POWER_80) * sd / np.sqrt(n)


def items_needed(sd: float, effect: float) -> int:
    return int(np.ceil(((Z_TWO_SIDED_5 + Z_POWER_80) * sd / effect) ** 2))


def _row(set_name: str, metric: str, own: np.ndarray, target: float, sds: list[float], diffs: list[float],
         effect: float) -> dict:
    """One table row: the reference's own values ``own`` and, per candidate, the sd and mean of the paired differences."""
    n = own.size
    sd = float(np.sqrt(np.mean(np.square(sds))))
    return {"set": set_name, "metric": metric, "n": n, "reference": float(own.mean()), "target": target,
            "reference_ci_halfwidth": float(Z_TWO_SIDED_5 * own.std(ddof=1) / np.sqrt(n)), "paired_sd": sd,
            "mde": float(mde(sd, n)), "items_for_effect": items_needed(sd, effect), "effect": effect,
            "candidate_differences": [min(diffs), max(diffs)], "candidates": len(sds)}


def power_rows(ref: dict, candidates: dict[str, dict], effect: float = 0.02, clean: list[int] | None = None) -> list[dict]:
    """``clean``: the MA20 clean patient's positions (:func:`clean_indices`); None leaves its row out."""
    rows = []
    for c in ("ggo", "ho", "lesion"):
        a = medseg_values(ref, c)
        sds, diffs = [], []
        for m in candidates.values():
            b = medseg_values(m, c)
            if sorted(b) != sorted(a):
                raise ValueError("the candidates were scored on other MedSeg slices than the reference")
            d = np.array([b[k] - a[k] for k in sorted(a)])
            sds.append(float(d.std(ddof=1)))
            diffs.append(float(d.mean()))
        rows.append(_row("MedSeg validation (argmax)", c, np.array(list(a.values())), TARGETS[c], sds, diffs, effect))
    ra = ma20_clean_values(ref, clean) if clean is not None else None
    if ra is not None:
        sds, diffs = [], []
        for m in candidates.values():
            rb = ma20_clean_values(m, clean or [])
            if rb is not None and len(rb) == len(ra):
                d = np.array(rb) - np.array(ra)
                sds.append(float(d.std(ddof=1)))
                diffs.append(float(d.mean()))
        if sds:
            rows.append(_row("MA20 clean patient (argmax)", "lesion", np.array(ra), MA20_TARGET, sds, diffs, effect))
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| set | class | n | reference [95 % half-width] | target | sd of paired differences | minimal detectable "
           "difference (80 % power) | items to detect the effect | candidates' differences (min, max) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['set']} | {r['metric']} | {r['n']} | {r['reference']:.3f} [±{r['reference_ci_halfwidth']:.3f}] "
                   f"| {r['target']:.2f} | {r['paired_sd']:.3f} | {r['mde']:.3f} | {r['items_for_effect']} "
                   f"(effect {r['effect']:.2f}) | {r['candidate_differences'][0]:+.3f}, {r['candidate_differences'][1]:+.3f} "
                   f"({r['candidates']}) |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", type=Path, required=True, help="the shipped model's metrics.json")
    ap.add_argument("candidates", nargs="+", help="NAME=path/to/metrics.json of each candidate")
    ap.add_argument("--effect", type=float, default=0.02)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    ref = json.loads(a.reference.read_text())
    cands = {n: json.loads(Path(p).read_text()) for n, p in (c.split("=", 1) for c in a.candidates)}
    rows = power_rows(ref, cands, a.effect, clean_indices())
    print(markdown(rows))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
