#!/usr/bin/env bash
# Python checks of the training pipeline: ruff (lint + import order) and mypy on the package
# (settings: models/training/pyproject.toml), then pytest. Exit 5 (no tests collected) is a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd models/training && ../../.venv/bin/ruff check . && ../../.venv/bin/mypy)
.venv/bin/python -m pytest -q -p no:cacheprovider models/training/tests
# DICOM results read back with highdicom (TID 1500 SR vs `analyze --json`)
.venv/bin/python -m pytest -q -p no:cacheprovider test/python
