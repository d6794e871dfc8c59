"""Markdown table of two or more evaluated runs side by side (``python -m lungburden.compare_runs NAME=runs/<run>/metrics.json
...``): MedSeg validation (argmax, decision rule, mirror-averaged), confusion, MA20 by patient, synthetic volumes with
the decision rule and z smoothing. Reads only metrics.json files written by :mod:`lungburden.evaluate`."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

Metrics = dict[str, Any]
DEFAULT_RUNS = {"1.2.0": "runs/v1.2.0/metrics.json", "fast-v5": "runs/fast-v5/metrics.json"}


def f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def ci(v: list[float]) -> str:
    return f"[{v[0]:.3f}, {v[1]:.3f}]"


def confusion(rows: list[list[float]]) -> str:
    return "; ".join("/".join(f"{100 * x / sum(r):.0f}" for x in r) for r in rows)


def recall_precision(rows: list[list[float]]) -> str:
    """Pooled pixel recall/precision of GGO, HO and lesion (GGO + HO) from a confusion matrix (rows truth, columns
    prediction; classes background, GGO, HO)."""
    def rp(classes: tuple[int, ...]) -> str:
        tp = sum(rows[i][j] for i in classes for j in classes)  # a lesion pixel of either class counts as lesion
        n_true = sum(sum(rows[i]) for i in classes)
        n_pred = sum(r[j] for r in rows for j in classes)
        return f"{tp / n_true:.2f}/{tp / n_pred:.2f}" if n_true and n_pred else "-"
    return "; ".join(rp(c) for c in ((1,), (2,), (1, 2)))

Getter = Callable[[Metrics], str]


def _medseg(v: str, c: str) -> Getter:
    return lambda m: (f"{f(m[v]['dice_' + c])} {ci(m[v]['dice_' + c + '_ci95'])} / "
                      f"{f(m[v]['dice_' + c + '_infnet'])} / {f(m[v]['dice_' + c + '_pooled'])}")


def _ma20_group(p: str, g: str) -> Getter:
    return lambda m: (f"{f(m[p]['group_' + g]['dice_lesion'])} {ci(m[p]['group_' + g]['dice_lesion_ci95'])} "
                      f"({m[p]['group_' + g]['n']})")


def _synth_volume(s: str, c: str) -> Getter:
    return lambda m: (f"{f(m[s]['post_argmax_volume_dice_' + c])} / {f(m[s]['post_rule_volume_dice_' + c])} / "
                      f"{f(m[s]['post_rule_z_volume_dice_' + c])}")


def table_rows() -> list[tuple[str, str, Getter]]:
    """(set, metric, getter) of every row; loop values are bound by the getter factories."""
    out: list[tuple[str, str, Getter]] = []
    for var, lab in (("medseg", "argmax"), ("medseg_post", "decision rule"), ("medseg_mirror", "mirror-averaged"),
                     ("medseg_mirror_post", "mirror + rule")):
        for c in ("ggo", "ho", "lesion"):
            out.append((f"MedSeg val ({lab})", f"{c} per-slice [95% CI] / Inf-Net-style / pooled", _medseg(var, c)))
    out.append(("MedSeg val", "confusion (rows truth bg/GGO/HO, %)", lambda m: confusion(m["medseg"]["confusion_px"])))
    out.append(("MedSeg val (rule)", "confusion", lambda m: confusion(m["medseg_post"]["confusion_px"])))
    out.append(("MedSeg val", "pooled recall/precision GGO; HO; lesion",
                lambda m: recall_precision(m["medseg"]["confusion_px"])))
    out.append(("MedSeg val (rule)", "pooled recall/precision GGO; HO; lesion",
                lambda m: recall_precision(m["medseg_post"]["confusion_px"])))
    out.append(("MA20 old blocks (100)", "lesion per-slice [CI] / pooled",
                lambda m: f"{f(m['ma20']['dice_lesion'])} {ci(m['ma20']['dice_lesion_ci95'])} / "
                          f"{f(m['ma20']['dice_lesion_pooled'])}"))
    p = "ma20_patients"
    out.append(("MA20 val patients (438)", "lesion per-slice [CI] / Inf-Net / pooled",
                lambda m: f"{f(m[p]['dice_lesion'])} {ci(m[p]['dice_lesion_ci95'])} / {f(m[p]['dice_lesion_infnet'])} / "
                          f"{f(m[p]['dice_lesion_pooled'])}"))
    out.append(("MA20 val patients, rule", "lesion",
                lambda m: f"{f(m[p]['post']['dice_lesion'])} {ci(m[p]['post']['dice_lesion_ci95'])}"))
    for g in ("clean", "patient_0000_0158", "patient_0159_0278", "patient_1081_1239"):
        out.append((f"MA20 {g}", "lesion per-slice [CI] (n)", _ma20_group(p, g)))
    s = "synthetic"
    for c in ("ggo", "ho", "lesion"):
        out.append(("Synthetic 8 vols", f"{c} per volume: argmax / rule / rule+z", _synth_volume(s, c)))
    out.append(("Synthetic 8 vols", "z alternation argmax / rule / rule+z / truth",
                lambda m: f"{f(m[s]['post_argmax_z_alternation'])} / {f(m[s]['post_rule_z_alternation'])} / "
                          f"{f(m[s]['post_rule_z_z_alternation'])} / {f(m[s]['post_truth_z_alternation'])}"))
    out.append(("Synthetic 8 vols", "lesion-in-lung bias mL, R2",
                lambda m: f"{m[s]['lesion_in_lung_ml_ba_bias']:.1f}, {m[s]['lesion_in_lung_ml_r2']:.3f}"))
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    runs = dict(a.split("=", 1) for a in args) or DEFAULT_RUNS
    ms: dict[str, Metrics] = {}
    for k, path in runs.items():
        try:
            with open(path) as fh:
                ms[k] = json.load(fh)
        except Exception as e:
            print(k, "missing", e)
    print("| set | metric | " + " | ".join(ms) + " |")
    print("|---|---|" + "---|" * len(ms))
    for setn, name, get in table_rows():
        vals = []
        for m in ms.values():
            try:
                vals.append(get(m))
            except Exception:
                vals.append("-")
        print(f"| {setn} | {name} | " + " | ".join(vals) + " |")
    for k, m in ms.items():
        if "real_ct" in m:
            print(k, json.dumps(m["real_ct"]))
        if "postprocessing" in m:
            pp = m["postprocessing"]
            print(k, {x: pp[x] for x in ("lesionThreshold", "hoThreshold", "zSmoothingRadius")} if pp else None)


if __name__ == "__main__":
    main()
