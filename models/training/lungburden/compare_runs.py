"""Markdown table of two or more evaluated runs side by side (``python -m lungburden.compare_runs NAME=runs/<run>/metrics.json
...``): MedSeg validation (argmax, decision rule, mirror-averaged), confusion, MA20 by patient, synthetic volumes with
the decision rule and z smoothing. Reads only metrics.json files written by :mod:`lungburden.evaluate`."""
import json
import sys


def f(v): return "-" if v is None else f"{v:.3f}"
def ci(v): return f"[{v[0]:.3f}, {v[1]:.3f}]"
runs = dict(a.split("=", 1) for a in sys.argv[1:]) or {"1.2.0": "runs/v1.2.0/metrics.json", "fast-v5": "runs/fast-v5/metrics.json"}
ms = {}
for k, p in runs.items():
    try: ms[k] = json.load(open(p))
    except Exception as e: print(k, "missing", e)
print("| set | metric | " + " | ".join(ms) + " |")
print("|---|---|" + "---|" * len(ms))
rows = []
def row(setn, name, get):
    vals = []
    for m in ms.values():
        try: vals.append(get(m))
        except Exception: vals.append("-")
    print(f"| {setn} | {name} | " + " | ".join(vals) + " |")
for var, lab in (("medseg", "argmax"), ("medseg_post", "decision rule"), ("medseg_mirror", "mirror-averaged"), ("medseg_mirror_post", "mirror + rule")):
    for c in ("ggo", "ho", "lesion"):
        row(f"MedSeg val ({lab})", f"{c} per-slice [95% CI] / Inf-Net-style / pooled",
            lambda m: f"{f(m[var]['dice_'+c])} {ci(m[var]['dice_'+c+'_ci95'])} / {f(m[var]['dice_'+c+'_infnet'])} / {f(m[var]['dice_'+c+'_pooled'])}")
row("MedSeg val", "confusion (rows truth bg/GGO/HO, %)", lambda m: "; ".join("/".join(f"{100*x/sum(r):.0f}" for x in r) for r in m["medseg"]["confusion_px"]))
row("MedSeg val (rule)", "confusion", lambda m: "; ".join("/".join(f"{100*x/sum(r):.0f}" for x in r) for r in m["medseg_post"]["confusion_px"]))
row("MA20 old blocks (100)", "lesion per-slice [CI] / pooled", lambda m: f"{f(m['ma20']['dice_lesion'])} {ci(m['ma20']['dice_lesion_ci95'])} / {f(m['ma20']['dice_lesion_pooled'])}")
for var in ("ma20_patients",):
    row("MA20 val patients (438)", "lesion per-slice [CI] / Inf-Net / pooled", lambda m: f"{f(m[var]['dice_lesion'])} {ci(m[var]['dice_lesion_ci95'])} / {f(m[var]['dice_lesion_infnet'])} / {f(m[var]['dice_lesion_pooled'])}")
    row("MA20 val patients, rule", "lesion", lambda m: f"{f(m[var]['post']['dice_lesion'])} {ci(m[var]['post']['dice_lesion_ci95'])}")
    for g in ("clean", "patient_0000_0158", "patient_0159_0278", "patient_1081_1239"):
        row(f"MA20 {g}", "lesion per-slice [CI] (n)", lambda m: f"{f(m[var]['group_'+g]['dice_lesion'])} {ci(m[var]['group_'+g]['dice_lesion_ci95'])} ({m[var]['group_'+g]['n']})")
s = "synthetic"
for c in ("ggo", "ho", "lesion"):
    row("Synthetic 8 vols", f"{c} per volume: argmax / rule / rule+z", lambda m: f"{f(m[s]['post_argmax_volume_dice_'+c])} / {f(m[s]['post_rule_volume_dice_'+c])} / {f(m[s]['post_rule_z_volume_dice_'+c])}")
row("Synthetic 8 vols", "z alternation argmax / rule / rule+z / truth", lambda m: f"{f(m[s]['post_argmax_z_alternation'])} / {f(m[s]['post_rule_z_alternation'])} / {f(m[s]['post_rule_z_z_alternation'])} / {f(m[s]['post_truth_z_alternation'])}")
row("Synthetic 8 vols", "lesion-in-lung bias mL, R2", lambda m: f"{m[s]['lesion_in_lung_ml_ba_bias']:.1f}, {m[s]['lesion_in_lung_ml_r2']:.3f}")
for k, m in ms.items():
    if "real_ct" in m: print(k, json.dumps(m["real_ct"]))
    if "postprocessing" in m: print(k, {x: m["postprocessing"][x] for x in ("lesionThreshold","hoThreshold","zSmoothingRadius")} if m["postprocessing"] else None)
