#!/usr/bin/env bash
# Real CLAHE (a display curve out of the training augmentation's family) through the app's 8-bit path, per bundle:
# writes the images once, segments them with each bundle, scores them with compare-slices, and prints each bundle's
# paired difference to the first one (python -m lungburden.clahe_check; a measurement, not a ship rule).
# Usage: bash scripts/clahe-check.sh <out-dir> <bundle-dir> [<bundle-dir>...]   (needs ../shared/data and the venv)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: clahe-check.sh <out-dir> <bundle-dir>...}; shift
[ $# -ge 1 ] || { echo "give at least one bundle folder" >&2; exit 2; }
export PATH=$PWD/node_modules/.bin:$PATH
PY="$PWD/.venv/bin/python"
(cd models/training && PYTHONPATH=. "$PY" -m lungburden.clahe_check write --out "$OUT/images")
# each bundle is installed into a scratch data folder and selected by NAME@VERSION, as a reader's --model would
mkdir -p "$OUT/data/models"
spec() { "$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]+"/metadata.json")); print(m["name"]+"@"+m["version"])' "$1"; }
for b in "$@"; do
  m=$(spec "$b")
  [ -d "$OUT/data/models/$m" ] || cp -r "$b" "$OUT/data/models/$m"
  for s in ma20-clean medseg-validation; do
    for v in as-is clahe; do
      node bin/lung-burden.js segment "$OUT/images/$s/$v" --out "$OUT/$m/$s/$v" --model "$m" --threads "${THREADS:-1}" \
        --data-dir "$OUT/data" 2>"$OUT/$m-$s-$v.log" >/dev/null
      node bin/lung-burden.js compare-slices "$OUT/$m/$s/$v" "$OUT/images/$s/gt" --out "$OUT/$m-$s-$v.csv" > "$OUT/$m-$s-$v.txt"
    done
  done
done
first=$(spec "$1")
for b in "$@"; do
  m=$(spec "$b")
  for s in ma20-clean medseg-validation; do
    for v in as-is clahe; do
      echo "== $s, $v: $m"; cat "$OUT/$m-$s-$v.txt"
      if [ "$m" != "$first" ]; then
        (cd models/training && PYTHONPATH=. "$PY" -m lungburden.clahe_check paired "$first=$OUT/$first-$s-$v.csv" "$m=$OUT/$m-$s-$v.csv")
      fi
    done
  done
done
