#!/usr/bin/env bash
# Scores the shipped lesion model on the fixed MedSeg validation slices exactly as a user would run
# it: `lung-burden segment` on the JPEGs as the Inf-Net packaging stores them (transposed; the
# command finds that per image), then `lung-burden compare-slices` against the palette ground truth.
# Usage: bash scripts/eval-medseg-slices.sh [validation|train] [extra segment options…]
# Needs ../shared/data (or $LUNG_BURDEN_DATA); prints the Dice summary, leaves the files in $OUT_DIR
# (default a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
SUBSET="${1:-validation}"
shift || true
DATA="${LUNG_BURDEN_DATA:-$(pwd)/../shared/data}"
SRC="$DATA/medseg-slices/MultiClassInfection-Train"
[ -d "$SRC" ] || { echo "eval-medseg-slices: $SRC is absent (the team data set, see README)" >&2; exit 3; }
OUT="${OUT_DIR:-$(mktemp -d)}"
mkdir -p "$OUT/img" "$OUT/gt" "$OUT/pred"
NODE=node_modules/.bin/node
IDS=$($NODE -e "const s=require('./models/training/splits/validation.json');console.log(s.medseg['$SUBSET'].join(' '))")
for id in $IDS; do
  cp "$SRC/Imgs/$id.jpg" "$OUT/img/"
  cp "$SRC/GT/$id.png" "$OUT/gt/"
done
CLI="$NODE --import tsx electron/cli/main.ts"
$CLI segment "$OUT/img" --out "$OUT/pred" --data-dir "$OUT/store" "$@" >&2
$CLI compare-slices "$OUT/pred" "$OUT/gt" --out "$OUT/per-image.csv" --data-dir "$OUT/store"
echo "files: $OUT" >&2
