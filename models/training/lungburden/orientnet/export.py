"""Writes OrientNet's bundle: ``model.onnx`` (the D4-symmetrised net, probabilities ``[B, 4]``) +
``metadata.json`` (the lesion bundles' schema, ``shared/inference/model-metadata.ts``: 4 classes in
the order of :data:`.d4.CLASS_NAMES`) + the evaluation, if given.

``python -m lungburden.orientnet.export --checkpoint runs/orientnet-v1/checkpoint.pt
--out ../orientation/orientnet [--report report.json]``. The bundle lives under
``models/orientation/`` (not ``models/<name>/``) so that the lesion-model registry never lists it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path

import torch

from ..lungnet.export import training_seconds
from .augment import orientnet_config
from .d4 import CLASS_NAMES
from .net import SIZE, OrientNet, SymmetrisedOrientNet

VERSION = "1.0.0"
COLORS = ([90, 200, 120], [220, 160, 60], [80, 140, 220], [200, 90, 200])


def load_checkpoint(path: Path) -> OrientNet:
    model = OrientNet()
    st = torch.load(path, map_location="cpu")
    model.load_state_dict(st["model"] if "model" in st else st)
    return model.eval()


def export(checkpoint: Path, out: Path, report: Path | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    model = SymmetrisedOrientNet(load_checkpoint(checkpoint)).eval()
    onnx_path = out / "model.onnx"
    torch.onnx.export(model, torch.zeros(1, 1, SIZE, SIZE), str(onnx_path), input_names=["slice"],
                      output_names=["probabilities"], dynamic_axes={"slice": {0: "batch"}, "probabilities": {0: "batch"}},
                      opset_version=17)
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    ck = torch.load(checkpoint, map_location="cpu")
    metrics: dict[str, float | None] = {"parameters": float(sum(p.numel() for p in model.net.parameters()))}
    meta = {
        "schemaVersion": 1, "name": "lung-burden-orientnet", "version": VERSION,
        "description": ("Stored orientation of one 8-bit axial chest slice up to left-right (4 classes); "
                        "output = class probabilities [batch, 4], D4-symmetrised."),
        "createdAt": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "architecture": "orientnet-cnn4-d4", "file": "model.onnx", "sha256": sha,
        "input": {"name": "slice", "sliceWindow": 1, "height": SIZE, "width": SIZE},
        "output": {"name": "probabilities"},
        "preprocessing": orientnet_config().to_metadata(),
        "classes": [{"index": i, "name": n, "colorRgb": COLORS[i]} for i, n in enumerate(CLASS_NAMES)],
        "training": {"data": [
            "Ma et al. COVID-19-CT-Seg CLAHE 8-bit slices: the 7 training patients of splits/ma20-patients.json (802 slices)",
            "MedSeg (Inf-Net packaging) training slices of splits/validation.json (40), brought upright",
            "TCIA LIDC-IDRI-0001 and RIDER-1225316081 (HU, 250 axial slices) rendered through random 8-bit windows; "
            "4D-Lung 113_HM10395 and RICORD 000082 held out",
            "each drawn in a random one of the 8 stored orientations, with table removal / synthetic tables, circular "
            "and truncated fields of view, rotation / scale / shift, gamma, CLAHE-like local contrast, equalisation, "
            "blur, low resolution and noise (lungburden/orientnet/augment.py)"],
            "config": {"step": int(ck.get("step", 0)), "checkpoint": checkpoint.name, "run": checkpoint.parent.name},
            "durationS": training_seconds(checkpoint.parent / "log.jsonl")},
        "metrics": metrics,
        "licenceNotes": ("Trained on Ma et al. COVID-19-CT-Seg slices (annotations CC BY 4.0; images coronacases.org and "
                         "Radiopaedia, CC BY-NC-SA 3.0: non-commercial), MedSeg slices via Inf-Net (MIT packaging) and "
                         "TCIA LIDC-IDRI / RIDER Lung CT series (CC BY 3.0). Research and evaluation use only."),
    }
    if report and report.exists():
        rep = json.loads(report.read_text())
        (out / "evaluation.json").write_text(json.dumps(rep, indent=1) + "\n")
        for name, row in rep.get("sets", {}).items():
            metrics[f"{name}UpToLeftRight"] = row["upToLeftRight"]
    (out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    return onnx_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--report", type=Path)
    a = ap.parse_args()
    print(export(a.checkpoint, a.out, a.report))


if __name__ == "__main__":
    main()
