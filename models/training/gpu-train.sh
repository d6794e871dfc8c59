#!/usr/bin/env bash
# Train one or more configs at once on a CUDA machine that cannot read ../shared (the device tool's machine).
#
#   PACKS="dirA dirB" bash models/training/gpu-train.sh configs/gpu-v26.json [configs/gpu-v27.json ...]
#
# PACKS: folders of caches packed by `python -m lungburden.cache_pack pack` (unpacked once into $CACHE, default
# /tmp/lb-cache; a folder already unpacked there by an earlier call is not needed again). Each config trains on
# `--device cuda` in its own process, all at once, under its own time budget; a 3-step smoke run on the GPU comes
# first so that a broken environment fails in seconds, not at the end. Outputs go to $OUT (the device tool's
# folder) or OUT_DIR: <run>-final.pt, <run>-last.pt, <run>-log.jsonl and train.log.
set -uo pipefail
cd "$(dirname "$0")"
PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}  # cpu: a local dry run of this script
RUNS=${LUNGBURDEN_RUNS_DIR:-runs}  # where train writes runs (lungburden.paths.RUNS_DIR)
POLL_S=${POLL_S:-20}
CACHE=${CACHE:-/tmp/lb-cache}
DEST=${OUT:-${OUT_DIR:-runs/gpu-out}}
mkdir -p "$DEST" "$CACHE" "$RUNS"
export PYTHONPATH=. PYTHONUNBUFFERED=1
log() { echo "[gpu-train $(date -u +%T)] $*" | tee -a "$DEST/train.log"; }

gpu_state() { nvidia-smi --query-gpu="$1" --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"; }
gpu_state name,memory.total,driver_version | tee -a "$DEST/train.log"
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" | tee -a "$DEST/train.log"
for d in ${PACKS:-}; do
  [ -d "$d" ] && $PY -m lungburden.cache_pack unpack "$d" --cache "$CACHE" >> "$DEST/train.log" 2>&1 \
    || { log "unpack of $d failed"; tail -20 "$DEST/train.log"; exit 3; }
done
log "caches: $(ls "$CACHE" | tr '\n' ' ')"

[ $# -ge 1 ] || { log "no config given"; exit 2; }
if ! $PY -m lungburden.train --config "$1" --device "$DEVICE" --steps 3 --run gpu-smoke --cache "$CACHE" \
    > "$DEST/smoke.log" 2>&1; then
  log "smoke run failed"; tail -30 "$DEST/smoke.log"; exit 4
fi
log "smoke run passed: $(grep -c '"step"' "$RUNS/gpu-smoke/log.jsonl") logged step(s)"; rm -rf "$RUNS/gpu-smoke"

runs=($($PY -c "import json,sys; print(' '.join(json.load(open(f))['run'] for f in sys.argv[1:]))" "$@"))
pids=()
for i in "${!runs[@]}"; do
  run=${runs[$i]} cfg=${@:$((i + 1)):1}
  ( $PY -m lungburden.train --config "$cfg" --device "$DEVICE" --cache "$CACHE" > "$RUNS/$run.out" 2>&1
    echo "exit $?" >> "$RUNS/$run.out" ) &
  pids+=($!)
  log "started $run ($cfg)"
done
copy_out() {
  for run in "${runs[@]}"; do
    for f in final.pt last.pt log.jsonl; do [ -f "$RUNS/$run/$f" ] && cp "$RUNS/$run/$f" "$DEST/$run-$f"; done
    tail -3 "$RUNS/$run.out" | tee -a "$DEST/train.log"
  done
}
trap 'log "stopped early: copying what exists"; copy_out; exit 124' TERM INT
while kill -0 "${pids[@]}" 2>/dev/null; do sleep "$POLL_S"; log "$(gpu_state utilization.gpu,memory.used) | $(for run in "${runs[@]}"; do tail -c 300 "$RUNS/$run.out" | grep -o '"step": [0-9]*' | tail -1; done | tr '\n' ' ')"; done
wait
copy_out
log "done"
