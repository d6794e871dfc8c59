"""Training exports made by the app's own TypeScript exporter (``exportTrainingSet``), never by hand:
``test/fixtures/training-export/make-training-export.ts`` run with the project's Node 24 and tsx."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from lungburden.paths import REPO_ROOT

NODE_BIN = REPO_ROOT / "node_modules" / ".bin"
SCRIPT = REPO_ROOT / "test" / "fixtures" / "training-export" / "make-training-export.ts"

needs_node = pytest.mark.skipif(not (NODE_BIN / "node").exists(),
                                reason="node_modules/.bin/node absent (npm ci): the TypeScript exporter makes the fixture")


def ts_export(out: Path, fmt: str = "lung-burden-v1") -> dict:
    """Runs the TypeScript exporter into ``out``; returns the manifest it wrote."""
    env = {**os.environ, "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    r = subprocess.run([str(NODE_BIN / "node"), "--import", "tsx", str(SCRIPT), str(out), fmt],
                       cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert r.returncode == 0, f"make-training-export.ts failed ({r.returncode}): {r.stderr[-2000:]}"
    manifest: dict = json.loads((out / "manifest.json").read_text())
    return manifest
