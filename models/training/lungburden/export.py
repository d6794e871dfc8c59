"""Export a network to a model bundle: ``model.onnx`` + ``metadata.json`` (+ MODEL_CARD.md): the CLI.

The bundle files are written by :mod:`lungburden.onnx_bundle`, a trained run's bundle by :mod:`lungburden.bundle`.

Usage (from ``models/training``):

* ``python -m lungburden.export --random-init`` -> ``test/fixtures/models/random-init/``
  (fast architecture, seeded random weights; for inference-engine tests only).
* ``python -m lungburden.export --run runs/<run>`` -> ``models/lung-burden-convlstm-fast/``
  (best checkpoint of a training run, its metrics.json, the model card and the panel image).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .bundle import export_trained_run
from .onnx_bundle import export_random_init
from .paths import REPO_ROOT


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--random-init", action="store_true")
    ap.add_argument("--run", type=Path, help="training run directory (runs/<name>)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--name", default="lung-burden-convlstm-fast")
    ap.add_argument("--version", default="1.0.0", help="bundle version (semantic versioning)")
    args = ap.parse_args(argv)
    if args.random_init:
        out = args.out or REPO_ROOT / "test" / "fixtures" / "models" / "random-init"
        meta = export_random_init(out)
        print(json.dumps({"out": str(out), "sha256": meta["sha256"]}))
        return
    if args.run is None:
        ap.error("give --random-init or --run")
    export_trained_run(args.run, args.out or REPO_ROOT / "models" / args.name, args.name, args.version)


if __name__ == "__main__":
    main()
