#!/usr/bin/env bash
# Creates .venv (Debian python3 + python3-torch via --system-site-packages) and installs the
# pinned requirements. Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "setup-python: Debian python3-torch is missing (apt-get install python3-torch python3-venv)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  $PY -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum models/training/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r models/training/requirements.txt
  echo "$want" > "$stamp"
fi
.venv/bin/python -c 'import torch, onnx, onnxruntime, pydicom, nibabel; print("python env ok: torch", torch.__version__, "onnxruntime", onnxruntime.__version__)'
