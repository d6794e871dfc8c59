"""Is model B better than model A beyond noise? (``python -m lungburden.paired_compare A=runs/x/metrics.json
B=runs/y/metrics.json [--json out.json]``).

Both models are scored on the same validation items, so the noise that matters is that of the per-item
*difference*: for every set and metric this prints mean(B) - mean(A) with a 95 % paired percentile bootstrap
interval (items resampled with replacement, the same draw for both models; 2000 draws, seed 0) and says
"beyond noise" only when the interval excludes 0. Items: the 10 MedSeg validation slices (per-slice Dice of GGO,
high opacity and lesion; argmax, decision rule, mirror-averaged, mirror + rule) and the 438 slices of the MA20
validation patients (lesion Dice; argmax and rule). Reads the metrics.json files of :mod:`lungburden.evaluate`, and
the 10 MedSeg validation labels for the "Inf-Net style" rows (a slice where the class is absent from the truth scores
0 for both models, as Inf-Net's scorer does, instead of 1 when a model also predicts none): one slice without high
opacity otherwise swings a 10-slice mean by 0.1 on a few predicted pixels.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

MEDSEG_VARIANTS = (("medseg_per_slice", "argmax"), ("medseg_post_per_slice", "decision rule"),
                   ("medseg_mirror_per_slice", "mirror-averaged"), ("medseg_mirror_post_per_slice", "mirror + rule"))


def paired_bootstrap(a, b, n_boot: int = 2000, seed: int = 0) -> dict:
    """Mean difference ``b - a`` of paired items and its 95 % percentile bootstrap interval."""
    d = np.asarray(b, np.float64) - np.asarray(a, np.float64)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, d.size, size=(n_boot, d.size))].mean(axis=1)
    lo, hi = float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))
    return {"n": int(d.size), "a": float(np.mean(a)), "b": float(np.mean(b)), "diff": float(d.mean()),
            "ci95": [lo, hi], "beyond_noise": bool(lo > 0 or hi < 0)}


CLASS_LABELS = {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}


def medseg_true_classes(ids: list[str]) -> dict[str, set[str]]:
    """Slice id -> the classes ("ggo", "ho", "lesion") present in its MedSeg truth (native resolution)."""
    from .data.medseg import load_medseg_slice

    out = {}
    for sid in ids:
        labels = load_medseg_slice(sid).labels
        out[sid] = {c for c, vals in CLASS_LABELS.items() if any((labels == v).any() for v in vals)}
    return out


def compare(ma: dict, mb: dict, true_classes: dict[str, set[str]] | None = None) -> list[dict]:
    """Paired rows for every MedSeg variant and class, the MA20 validation patients, and, given ``true_classes``,
    the MedSeg rows again Inf-Net style (a slice without the class in its truth scores 0 for both models)."""
    rows = []
    for key, label in MEDSEG_VARIANTS:
        ra, rb = ma.get(key), mb.get(key)
        if not ra or not rb:
            continue
        if [r["id"] for r in ra] != [r["id"] for r in rb]:
            raise ValueError(f"{key}: the two runs scored different slices")
        for c in ("ggo", "ho", "lesion"):
            rows.append({"set": f"MedSeg val ({label})", "metric": f"{c} per-slice Dice",
                         **paired_bootstrap([r[f"dice_{c}"] for r in ra], [r[f"dice_{c}"] for r in rb])})
        if true_classes is not None:
            for c in ("ggo", "ho", "lesion"):
                def score(r: dict, c: str = c) -> float:
                    return float(r[f"dice_{c}"]) if c in true_classes[r["id"]] else 0.0
                rows.append({"set": f"MedSeg val ({label}), Inf-Net style", "metric": f"{c} per-slice Dice",
                             **paired_bootstrap([score(r) for r in ra], [score(r) for r in rb])})
    pa, pb = ma.get("ma20_patients", {}), mb.get("ma20_patients", {})
    for sub, label in ((lambda m: m, "argmax"), (lambda m: m.get("post", {}), "decision rule")):
        va, vb = sub(pa).get("per_slice_dice_lesion"), sub(pb).get("per_slice_dice_lesion")
        if va and vb and len(va) == len(vb):
            rows.append({"set": f"MA20 val patients ({label})", "metric": "lesion per-slice Dice", **paired_bootstrap(va, vb)})
    sa, sb = ma.get("synthetic", {}).get("per_volume", {}), mb.get("synthetic", {}).get("per_volume", {})
    for key, label in (("argmax", "argmax"), ("rule_z", "decision rule + z")):
        for c in ("ggo", "ho", "lesion"):
            va, vb = sa.get(key, {}).get(f"volume_dice_{c}"), sb.get(key, {}).get(f"volume_dice_{c}")
            if va and vb and len(va) == len(vb):
                rows.append({"set": f"Synthetic volumes ({label})", "metric": f"{c} per-volume Dice",
                             **paired_bootstrap(va, vb)})
    ea = ma.get("synthetic_8bit", {}).get("per_volume", {}).get("mirror_rule", {})
    eb = mb.get("synthetic_8bit", {}).get("per_volume", {}).get("mirror_rule", {})
    for c in ("ggo", "ho", "lesion"):
        va, vb = ea.get(f"volume_dice_{c}"), eb.get(f"volume_dice_{c}")
        if va and vb and len(va) == len(vb):
            rows.append({"set": "Synthetic volumes as full-size 8-bit slices (mirror + rule)",
                         "metric": f"{c} per-volume Dice", **paired_bootstrap(va, vb)})
    return rows


def markdown(rows: list[dict], name_a: str, name_b: str) -> str:
    out = [f"| set | metric | {name_a} | {name_b} | difference [95% paired CI] | beyond noise |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['set']} | {r['metric']} | {r['a']:.3f} | {r['b']:.3f} | {r['diff']:+.3f} "
                   f"[{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}] | {'yes' if r['beyond_noise'] else 'no'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs=2, help="NAME=path/to/metrics.json for model A (reference) and model B")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    a = ap.parse_args(argv)
    (na, pa), (nb, pb) = (r.split("=", 1) for r in a.runs)
    ma, mb = json.loads(Path(pa).read_text()), json.loads(Path(pb).read_text())
    ids = [r["id"] for r in ma.get("medseg_per_slice", [])]
    try:
        truth = medseg_true_classes(ids) if ids else None
    except FileNotFoundError as e:  # ../shared/data missing: the Inf-Net-style rows need the labels
        print(f"(no Inf-Net-style rows: MedSeg labels not found: {e})")
        truth = None
    rows = compare(ma, mb, truth)
    print(markdown(rows, na, nb))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
