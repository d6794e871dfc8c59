#!/usr/bin/env bash
# One-go evaluation of a lesion-model candidate against 1.3.0 (the rules of DECISION-1.5.0.md / DECISION-1.6.0.md).
# Usage (from anywhere): RUN=runs/fast-v8 bash models/training/evaluate-candidate.sh  (after train wrote final.pt;
# RULES=1.9.0 for the rules of DECISION-1.9.0.md and later: MedSeg rows Inf-Net style, MA20 = the clean validation patient;
# needs runs/v1.3.0/metrics-full.json: 1.3.0's checkpoint.pt copied to runs/v1.3.0/final.pt and evaluated with the same
# evaluate command; RULES=1.16.0 (and 1.17.0) also needs STRESS=<paired stress rows of stress_by_exposure --json>; RULE_FN=<function of lungburden.revised_rule> replaces the stress rule by name; LABEL names the candidate in the tables; SKIP_TUNE=1 keeps a postprocess.json put in the run beforehand; EVAL_ONLY=1 evaluates the run and stops (a
# reference for a later candidate: metrics.json and metrics-synth8.json, needs no REF))
set -euo pipefail
cd "$(dirname "$0")"
PY=../../.venv/bin/python
R=${RUN:?set RUN=runs/<candidate run>}; export R
REF=${REF:-runs/v1.3.0/metrics-full.json}; REF_LABEL=${REF_LABEL:-1.3.0}; REF_SYNTH=${REF_SYNTH:-runs/v1.3.0/metrics-synth-pervol.json}
export REF REF_LABEL REF_SYNTH
N="nice -n ${NICE:-0}"
test -f $R/final.pt
eval_synth8() {  # the synthetic volumes as full-size 8-bit slices (DECISION-1.13.0.md), once per run
  [ -f $R/metrics-synth8.json ] || $N $PY -m lungburden.evaluate --run $R --synth-cases 8 --post $R/postprocess.json \
    --threads 2 --sets synthetic_8bit --out-name metrics-synth8.json > $R/eval-synth8.out 2>&1
}
t0=$(date +%s)
if [ -z "${SKIP_EVAL:-}" ]; then
if [ -z "${SKIP_TUNE:-}" ]; then
echo "== tune rule on the 8 tuning slices $(date -u +%T)"
$N $PY -m lungburden.tune_postprocess --run $R --slices tune --threads 2 | tee $R/tune.out
else echo "== rule fixed a priori: $(cat $R/postprocess.json | tr -d '\n ')"; fi
echo "== evaluate (4 sets, 2 at a time) $(date -u +%T)"
E="$PY -m lungburden.evaluate --run $R --synth-cases 8 --post $R/postprocess.json --threads 1"
( $N $E --sets medseg,ma20 --out-name metrics-medseg.json > $R/eval-medseg.out 2>&1; echo "medseg+ma20 done $(date -u +%T)"
  $N $E --sets synthetic --out-name metrics-synth.json > $R/eval-synth.out 2>&1; echo "synthetic done $(date -u +%T)" ) &
A=$!
( $N $E --sets ma20_patients --out-name metrics-ma20p.json > $R/eval-ma20p.out 2>&1; echo "ma20_patients done $(date -u +%T)"
  $N $E --sets real_ct --out-name metrics-real.json > $R/eval-real.out 2>&1; echo "real_ct done $(date -u +%T)" ) &
B=$!
wait $A; wait $B
fi
echo "== merge -> $R/metrics.json"
$PY - <<'PY'
import json
from pathlib import Path
from lungburden.metric_summary import flat_metrics
import os; R = Path(os.environ["R"])
m = json.loads((R / "metrics-medseg.json").read_text())
for f in ("metrics-ma20p.json", "metrics-synth.json", "metrics-real.json"):
    p = R / f
    if p.exists():
        o = json.loads(p.read_text())
        for k in ("ma20_patients", "synthetic", "real_ct"):
            if k in o:
                m[k] = o[k]
        m["eval_s"] = round(m["eval_s"] + o["eval_s"], 1)
m["command"] = m["command"].split(" --sets")[0]
m["summary"] = flat_metrics(m)
(R / "metrics.json").write_text(json.dumps(m, indent=2) + "\n")
print("merged:", [k for k in ("medseg", "ma20", "ma20_patients", "synthetic", "real_ct") if k in m])
PY
if [ -n "${EVAL_ONLY:-}" ]; then  # a reference run (e.g. the shipped bundle's network re-evaluated): figures only
  eval_synth8
  echo "EVAL_ONLY: $R/metrics.json and $R/metrics-synth8.json written; no comparison ($(( $(date +%s) - t0 )) s)"
  exit 0
fi
if [ -z "${SKIP_EVAL:-}" ]; then echo "== tta_check $(date -u +%T)"
$N $PY -m lungburden.tta_check --run $R --post $R/postprocess.json --threads 2 | tee $R/tta-check.out; fi
echo "== paired_compare + compare_runs $(date -u +%T)"
$PY -m lungburden.paired_compare $REF_LABEL=$REF ${LABEL:-candidate}=$R/metrics.json --json $R/paired.json | tee $R/paired.md
$PY -m lungburden.compare_runs $REF_LABEL=$REF ${LABEL:-candidate}=$R/metrics.json | tee $R/compare.md
echo "== MA20 by exposure to 1.3.0's training (ma20_exposure)"
$PY -m lungburden.ma20_exposure $REF_LABEL=$REF ${LABEL:-candidate}=$R/metrics.json --json $R/exposure.json | tee $R/exposure.md
echo "== decision (rule 3 of the DECISION file; rules ${RULES:=1.5.0})"
export RULES
$PY - <<'PY'
import json
import os; ref = json.load(open(os.environ["REF"])); m = json.load(open(os.environ["R"] + "/metrics.json"))
rows = json.load(open(os.environ["R"] + "/paired.json"))
a = m["medseg"]["dice_lesion"] >= ref["medseg"]["dice_lesion"]
print(f"3a gate: lesion argmax {m['medseg']['dice_lesion']:.4f} vs {os.environ['REF_LABEL']} {ref['medseg']['dice_lesion']:.4f}: {'PASS' if a else 'FAIL'}")
new = tuple(map(int, os.environ["RULES"].split("."))) >= (1, 9, 0)  # DECISION-1.9.0.md (amended) and later
crit = [r for r in rows if r["set"] == ("MedSeg val (decision rule), Inf-Net style" if new else "MedSeg val (decision rule)")]
if new:
    for r in json.load(open(os.environ["R"] + "/exposure.json")):
        if r["rule"] == "decision rule" and r["subset"].startswith("clean patient"):
            crit.append({**r, "set": "MA20 clean validation patient (decision rule)", "metric": "lesion per-slice Dice"})
else:  # DECISION-1.5.0.md ... DECISION-1.8.0.md
    crit += [r for r in rows if r["set"] == "MA20 val patients (decision rule)"]
below = [r for r in crit if r["ci95"][1] < 0]
for r in crit:
    print(f"3b {r['set']} {r['metric']}: {r['diff']:+.4f} [{r['ci95'][0]:+.4f}, {r['ci95'][1]:+.4f}]{'  BELOW 0' if r['ci95'][1] < 0 else ''}")
b = len(crit) == 4 and not below
print("3b:", "PASS" if b else f"FAIL ({len(crit)} rows, {len(below)} below 0)")
print(("SHIP the candidate" if a and b else f"DO NOT SHIP: {os.environ['REF_LABEL']} stays")
      + (" (rules before 1.14.0; the revised rule follows)" if tuple(map(int, os.environ["RULES"].split("."))) >= (1, 14, 0) else ""))
PY
if [ "$(printf '%s\n' 1.15.0 "$RULES" | sort -V | head -1)" = 1.15.0 ]; then
echo "== rule of DECISION-1.15.0.md: A MA20 clean non-inferiority, B MedSeg lesion superiority, C HU + 8-bit path no harm"
REF_SYNTH8=${REF_SYNTH8:?set REF_SYNTH8=the reference run\'s metrics-synth8.json (evaluate --sets synthetic_8bit)}; export REF_SYNTH8
eval_synth8
$PY -m lungburden.paired_compare $REF_LABEL=$REF_SYNTH ${LABEL:-candidate}=$R/metrics.json --json $R/paired-synth.json > /dev/null
$PY -m lungburden.paired_compare $REF_LABEL=$REF_SYNTH8 ${LABEL:-candidate}=$R/metrics-synth8.json --json $R/paired-synth8.json \
  | tee $R/paired-synth8.md
if [ "$(printf '%s\n' 1.16.0 "$RULES" | sort -V | head -1)" = 1.16.0 ]; then
if [ "$(printf '%s\n' 1.17.0 "$RULES" | sort -V | head -1)" = 1.17.0 ]; then
echo "== rule of DECISION-1.17.0.md: A MA20 clean non-inferiority, B app-path stress (half-resolution superiority, CLAHE-like no harm), C MedSeg + D HU/8-bit no harm"
else
echo "== rule of DECISION-1.16.0.md: A MA20 clean non-inferiority, B app-path stress (CLAHE-like superiority), C MedSeg + D HU/8-bit no harm"
fi
STRESS=${STRESS:?set STRESS=the paired stress rows (python -m lungburden.stress_by_exposure REF=ref.json CAND=cand.json --json rows.json)}
export STRESS
fi
$PY - <<'PY'
import json, os
R = os.environ["R"]
from lungburden.revised_rule import decide_1_15, decide_1_16, decide_1_17
args = (json.load(open(R + "/metrics.json")), json.load(open(R + "/paired.json")), json.load(open(R + "/exposure.json")),
        json.load(open(R + "/paired-synth.json")), json.load(open(R + "/paired-synth8.json")))
rules = tuple(map(int, os.environ["RULES"].split(".")))
if "STRESS" in os.environ and rules >= (1, 16, 0):
    decide_stress = decide_1_17 if rules >= (1, 17, 0) else decide_1_16
    if os.environ.get("RULE_FN"):  # a named rule of revised_rule (e.g. decide_1_18_sizes, DECISION-1.18.0-sizes.md)
        import lungburden.revised_rule as rr
        decide_stress = getattr(rr, os.environ["RULE_FN"])
        print(f"== rule function {os.environ['RULE_FN']}")
    lines = decide_stress(*args, json.load(open(os.environ["STRESS"])))
else:
    if os.environ.get("RULE_FN"):
        raise SystemExit("RULE_FN needs STRESS (the paired stress rows) and RULES >= 1.16.0")
    lines = decide_1_15(*args)
for line in lines:
    print(line)
PY
elif [ "$(printf '%s\n' 1.14.0 "$RULES" | sort -V | head -1)" = 1.14.0 ]; then
echo "== revised rule (DECISION-1.14.0.md): A MA20 clean superiority, B MedSeg no harm, C HU path no harm"
$PY -m lungburden.paired_compare $REF_LABEL=$REF_SYNTH ${LABEL:-candidate}=$R/metrics.json --json $R/paired-synth.json > /dev/null
$PY - <<'PY'
import json, os
R = os.environ["R"]
ref = json.load(open(os.environ["REF"])); m = json.load(open(R + "/metrics.json"))
from lungburden.revised_rule import decide
for line in decide(ref, m, json.load(open(R + "/paired.json")), json.load(open(R + "/exposure.json")),
                   json.load(open(R + "/paired-synth.json"))):
    print(line)
PY
fi
echo "total $(( $(date +%s) - t0 )) s"
