"""The segmentation stress test split by MA20 exposure (issue 14): the clean patient apart from the exposed two.

``scripts/segment-stress.ts --json out.json`` scores every 4th (``--ma-every``) slice of the three MA20 validation
patients; two of them were partly trained on by 1.3.0's lineage (:mod:`lungburden.ma20_exposure`). This prints, per
stress variant, the mean per-slice lesion Dice ("ours") of each model on the clean patient's slices and on the exposed
patients' slices, and the MedSeg lesion Dice, from the stress JSON files alone:

    python -m lungburden.stress_by_exposure 1.3.0=/tmp/stress-130.json fast-v10=/tmp/stress-v10.json ...

``--json rows.json`` also writes, for each model after the first, the paired difference to the first per variant and
subset (clean patient, exposed patients, MedSeg lesion): the rows :func:`lungburden.revised_rule.decide_1_16` reads.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .ma20_exposure import SPLITS
from .paired_compare import paired_bootstrap


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def table(runs: list[tuple[str, dict]], clean_nums: set[int]) -> list[str]:
    ref = runs[0][1]
    ma = next(s for s in ref["sets"] if not s["threeClass"])
    ms = next(s for s in ref["sets"] if s["threeClass"])
    nums = [int(i) for i in ma["ids"]]
    for name, d in runs[1:]:
        if [s["ids"] for s in d["sets"]] != [s["ids"] for s in ref["sets"]]:
            raise ValueError(f"{name} scored other slices than {runs[0][0]}")
    clean = [i for i, n in enumerate(nums) if n in clean_nums]
    exposed = [i for i, n in enumerate(nums) if n not in clean_nums]
    names = " / ".join(n for n, _ in runs)
    out = [f"| variant ({names}) | MA20 clean patient ({len(clean)}) | MA20 exposed patients ({len(exposed)}) "
           f"| MedSeg lesion ({len(ms['ids'])}) |", "|---|---|---|---|"]
    for variant in ref["perSlice"]:
        cells: list[list[float]] = [[], [], []]
        for _, d in runs:
            vals = d["perSlice"][variant][ma["name"]]["lesion"]["ours"]
            cells[0].append(_mean([vals[i] for i in clean]))
            cells[1].append(_mean([vals[i] for i in exposed]))
            cells[2].append(_mean(d["perSlice"][variant][ms["name"]]["lesion"]["ours"]))
        out.append(f"| {variant} | " + " | ".join(" / ".join(f"{x:.2f}" for x in c) for c in cells) + " |")
    return out


def paired_rows(ref: dict, cand: dict, clean_nums: set[int]) -> list[dict]:
    """Per variant: the candidate minus the reference, per-slice lesion Dice ("ours"), paired over the same slices, on
    the MA20 clean patient, the exposed patients and the MedSeg slices (``paired_bootstrap`` rows + variant, subset)."""
    ma = next(s for s in ref["sets"] if not s["threeClass"])
    ms = next(s for s in ref["sets"] if s["threeClass"])
    if [s["ids"] for s in cand["sets"]] != [s["ids"] for s in ref["sets"]]:
        raise ValueError("the two stress files scored other slices")
    nums = [int(i) for i in ma["ids"]]
    subsets = (("MA20 clean patient", ma["name"], [i for i, n in enumerate(nums) if n in clean_nums]),
               ("MA20 exposed patients", ma["name"], [i for i, n in enumerate(nums) if n not in clean_nums]),
               ("MedSeg", ms["name"], list(range(len(ms["ids"])))))
    rows = []
    for variant in ref["perSlice"]:
        for subset, set_name, idx in subsets:
            a = ref["perSlice"][variant][set_name]["lesion"]["ours"]
            b = cand["perSlice"][variant][set_name]["lesion"]["ours"]
            rows.append({"variant": variant, "subset": subset,
                         **paired_bootstrap([a[i] for i in idx], [b[i] for i in idx])})
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="NAME=stress.json (segment-stress --json), the first is the reference")
    ap.add_argument("--json", type=Path, default=None, help="write the paired rows of each model against the first")
    args = ap.parse_args(argv)
    runs = [(n, json.loads(Path(p).read_text())) for n, p in (r.split("=", 1) for r in args.runs)]
    clean = set(json.loads((SPLITS / "ma20-patients.json").read_text())["cleanValidation"])
    print("\n".join(table(runs, clean)))
    if args.json:
        rows = [{"model": n, **r} for n, d in runs[1:] for r in paired_rows(runs[0][1], d, clean)]
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
        print(f"\npaired against {runs[0][0]} (lesion, ours):")
        for r in rows:
            print(f"  {r['model']} | {r['variant']} | {r['subset']} ({r['n']}): {r['a']:.3f} -> {r['b']:.3f}, "
                  f"{r['diff']:+.3f} [{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}]")


if __name__ == "__main__":
    main()
