"""The segmentation stress test split by MA20 exposure (issue 14): the clean patient apart from the exposed two.

``scripts/segment-stress.ts --json out.json`` scores every 4th (``--ma-every``) slice of the three MA20 validation
patients; two of them were partly trained on by 1.3.0's lineage (:mod:`lungburden.ma20_exposure`). This prints, per
stress variant, the mean per-slice lesion Dice ("ours") of each model on the clean patient's slices and on the exposed
patients' slices, and the MedSeg lesion Dice, from the stress JSON files alone:

    python -m lungburden.stress_by_exposure 1.3.0=/tmp/stress-130.json fast-v10=/tmp/stress-v10.json ...
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .ma20_exposure import SPLITS


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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="NAME=stress.json (segment-stress --json), the first is the reference")
    args = ap.parse_args(argv)
    runs = [(n, json.loads(Path(p).read_text())) for n, p in (r.split("=", 1) for r in args.runs)]
    clean = set(json.loads((SPLITS / "ma20-patients.json").read_text())["cleanValidation"])
    print("\n".join(table(runs, clean)))


if __name__ == "__main__":
    main()
