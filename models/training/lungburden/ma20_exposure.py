"""Which MA20 validation slices did the reference model train on? (issue 14: reading the MA20 rule honestly)

The MA20 validation patients (``splits/ma20-patients.json``) include two patients whose slices were split by blocks
of slice numbers before the patient split existed (``splits/validation.json``): the models up to 1.2.0, and 1.3.0
warm-started from 1.2.0, **trained on their other slices**. A fine-tune trained with the patient split does not, so
the rows "MA20 val patients" of :mod:`lungburden.paired_compare` mix three kinds of slices that a comparison with 1.3.0
must not mix:

* ``seen by 1.2.0``: validation-patient slices that were in the old block split's training set;
* ``old validation blocks``: the old split's validation slices (never trained on), neighbours of the seen ones
  (same patients, adjacent slices);
* ``clean patient``: the run of only new slices that no model up to 1.2.0 saw (``cleanValidation``).

``python -m lungburden.ma20_exposure REF=runs/v1.3.0/metrics-full.json NAME=runs/x/metrics.json ...`` prints, for
each candidate and each subset, the paired difference to REF (lesion per-slice Dice, argmax and decision rule) with the
95 % paired bootstrap interval of :func:`lungburden.paired_compare.paired_bootstrap`. It reads only metrics files
and the two committed split files: no inference, nothing chosen.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .paired_compare import paired_bootstrap
from .paths import TRAINING_ROOT

SPLITS = TRAINING_ROOT / "splits"


def exposure_subsets(patient_split: dict, block_split: dict) -> dict[str, list[int]]:
    """Indices into ``patient_split['validation']`` (the order of the per-slice Dice lists) of each subset."""
    val = patient_split["validation"]
    old_train, old_val = set(block_split["ma20"]["train"]), set(block_split["ma20"]["validation"])
    clean = set(patient_split["cleanValidation"])
    subsets = {
        "seen by 1.2.0 (old training slices)": [i for i, n in enumerate(val) if n in old_train],
        "old validation blocks (same patients)": [i for i, n in enumerate(val) if n in old_val],
        "clean patient (never trained on)": [i for i, n in enumerate(val) if n in clean],
    }
    covered = sum(len(v) for v in subsets.values())
    if covered != len(val):
        raise ValueError(f"the subsets cover {covered} of {len(val)} validation slices")
    return subsets


def exposure_rows(ref: dict, cand: dict, subsets: dict[str, list[int]]) -> list[dict]:
    rows = []
    for label, pick in (("argmax", lambda m: m), ("decision rule", lambda m: m.get("post", {}))):
        a = pick(ref.get("ma20_patients", {})).get("per_slice_dice_lesion")
        b = pick(cand.get("ma20_patients", {})).get("per_slice_dice_lesion")
        if not a or not b or len(a) != len(b):
            continue
        for name, idx in subsets.items():
            rows.append({"subset": name, "rule": label, **paired_bootstrap([a[i] for i in idx], [b[i] for i in idx])})
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="NAME=metrics.json; the first is the reference")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    named = [r.split("=", 1) for r in args.runs]
    if len(named) < 2 or any(len(n) != 2 for n in named):
        ap.error("give REF=metrics.json and at least one NAME=metrics.json")
    subsets = exposure_subsets(json.loads((SPLITS / "ma20-patients.json").read_text()),
                               json.loads((SPLITS / "validation.json").read_text()))
    ref_name, ref = named[0][0], json.loads(Path(named[0][1]).read_text())
    print(f"| candidate | rule | subset (slices) | {ref_name} | candidate | difference [95% paired CI] |")
    print("|---|---|---|---|---|---|")
    out = []
    for name, path in named[1:]:
        for r in exposure_rows(ref, json.loads(Path(path).read_text()), subsets):
            out.append({"candidate": name, **r})
            print(f"| {name} | {r['rule']} | {r['subset']} ({r['n']}) | {r['a']:.3f} | {r['b']:.3f} | "
                  f"{r['diff']:+.3f} [{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}] |")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
