"""The files of a model bundle: ``model.onnx`` (opset 17) + ``metadata.json``, the contract with the app.

``metadata.json`` follows ``shared/inference/model-metadata.ts`` (schemaVersion 1) exactly. The lowest layer of
stage 4: :mod:`lungburden.bundle` (model card, panel, trained runs), :mod:`lungburden.retrain` and the
``python -m lungburden.export`` CLI build on it; it imports none of them.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from . import CLASS_COLORS, CLASS_NAMES
from .data.preprocess import PreprocessConfig
from .nets.registry import build_net

INPUT_NAME = "slices"
OUTPUT_NAME = "logits"
OPSET = 17

LICENCE_NOTES = (
    "Trained on: MedSeg COVID-19 CT segmentation slices via Inf-Net (no licence; SIRM case images; research/testing "
    "use only), Ma et al. COVID-19-CT-Seg slices via dstaroff/COVID19-CT-Segmentation (annotations CC BY 4.0; "
    "images from coronacases.org and Radiopaedia, CC BY-NC-SA 3.0: non-commercial), and synthetic lesions inserted "
    "into TCIA LIDC-IDRI / RIDER Lung CT / 4D-Lung series (CC BY 3.0). The non-commercial terms of parts of the "
    "training data may carry over to the weights: research and evaluation use only, not for clinical use and not "
    "for commercial distribution without a licence review."
)


#: The decision rule's keys in metadata.json ``postprocessing`` (schema of shared/inference/model-metadata.ts).
RULE_KEYS = ("lesionThreshold", "hoThreshold", "zSmoothingRadius")

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_onnx(model: torch.nn.Module, path: Path, slice_window: int, height: int, width: int) -> None:
    """Legacy (TorchScript-tracing) exporter, opset 17, dynamic batch axis."""
    model = model.eval()
    dummy = torch.zeros(1, slice_window, height, width, dtype=torch.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            model, (dummy,), str(path), opset_version=OPSET, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}}, do_constant_folding=True,
        )
    import onnx

    onnx.checker.check_model(onnx.load(str(path)))


def metadata_metrics(metrics: dict) -> dict:
    """The metadata.json ``metrics`` block: floats, with ``null`` for a missing or non-finite value."""
    return {k: (None if v is None or (isinstance(v, float) and not np.isfinite(v)) else float(v)) for k, v in metrics.items()}


def build_metadata(*, name: str, version: str, description: str, architecture: str, onnx_path: Path,
                   pre: PreprocessConfig, training: dict, metrics: dict, created_at: str | None = None) -> dict:
    """The metadata.json object (schema of shared/inference/model-metadata.ts)."""
    return {
        "schemaVersion": 1,
        "name": name,
        "version": version,
        "description": description,
        "createdAt": created_at or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "architecture": architecture,
        "file": onnx_path.name,
        "sha256": sha256_file(onnx_path),
        "input": {"name": INPUT_NAME, "sliceWindow": pre.slice_window, "height": pre.height, "width": pre.width},
        "output": {"name": OUTPUT_NAME},
        "preprocessing": pre.to_metadata(),
        "classes": [
            {"index": i, "name": n, "colorRgb": list(c)} for i, (n, c) in enumerate(zip(CLASS_NAMES, CLASS_COLORS, strict=False))
        ],
        "training": training,
        "metrics": metadata_metrics(metrics),
        "licenceNotes": LICENCE_NOTES,
    }


def write_bundle(model: torch.nn.Module, out_dir: Path, *, name: str, version: str, description: str,
                 architecture: str, pre: PreprocessConfig, training: dict, metrics: dict) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / "model.onnx"
    export_onnx(model, onnx_path, pre.slice_window, pre.height, pre.width)
    meta = build_metadata(name=name, version=version, description=description, architecture=architecture,
                          onnx_path=onnx_path, pre=pre, training=training, metrics=metrics)
    (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def export_random_init(out_dir: Path, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    model = build_net("convlstm-fast")
    pre = PreprocessConfig()
    meta = write_bundle(
        model, out_dir, name="random-init", version="0.0.0",
        description="Fast ConvLSTM architecture with seeded random (Xavier) weights: for inference-engine tests only; "
                    "its output is meaningless.",
        architecture="convlstm-fast", pre=pre,
        training={"data": [], "config": {"randomInit": True, "seed": seed}, "durationS": 0},
        metrics={},
    )
    (out_dir / "README.md").write_text(
        "# random-init model fixture\n\nWritten by `cd models/training && ../../.venv/bin/python -m lungburden.export "
        "--random-init`.\nSame architecture, input/output names and preprocessing block as the shipped "
        "`models/lung-burden-convlstm-fast` bundle, but seeded random weights (seed "
        f"{seed}). Use it to test the inference plumbing, never its predictions.\n"
    )
    return meta
