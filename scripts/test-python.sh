#!/usr/bin/env bash
# Python tests of the training pipeline (pytest). Exit 5 (no tests collected) is a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q -p no:cacheprovider models/training/tests
# DICOM results read back with highdicom (TID 1500 SR vs `analyze --json`)
.venv/bin/python -m pytest -q -p no:cacheprovider test/python
