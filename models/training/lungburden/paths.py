"""Filesystem locations (all derived from this file's position in the repository)."""
from __future__ import annotations

import os
from pathlib import Path

TRAINING_ROOT = Path(__file__).resolve().parents[1]          # models/training
REPO_ROOT = TRAINING_ROOT.parents[1]                          # repository root
SHARED_DATA = Path(os.environ.get("LUNGBURDEN_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
CACHE_DIR = TRAINING_ROOT / "cache"                           # git-ignored
AA_CACHE_DIR = TRAINING_ROOT / "cache-aa"                     # git-ignored; prepare --antialias --cache cache-aa
RUNS_DIR = Path(os.environ.get("LUNGBURDEN_RUNS_DIR", TRAINING_ROOT / "runs"))  # git-ignored
SPLITS_FILE = TRAINING_ROOT / "splits" / "validation.json"    # committed, written once
MA20_PATIENT_SPLIT_FILE = TRAINING_ROOT / "splits" / "ma20-patients.json"  # committed, written once (by patient)
