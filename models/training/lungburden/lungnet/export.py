"""Writes the learned lung mask's bundle: ``model.onnx`` + ``metadata.json`` (the lesion bundles'
schema, ``shared/inference/model-metadata.ts``: 2 classes background / lung) + the evaluation.

``python -m lungburden.lungnet.export --checkpoint runs/lungnet-v1/checkpoint.pt --out ../lung-masks/lungnet
[--report report.json]``. The graph outputs ``[-l/2, +l/2]`` for the net's lung logit ``l``, so that a
softmax / argmax over the two channels is exactly ``sigmoid(l) > 0.5``. The bundle lives under
``models/lung-masks/`` (not ``models/<name>/``) so that the lesion-model registry never lists it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path

import torch
from torch import nn

from .dataset import SIZE, lungnet_config
from .predict import load_checkpoint

VERSION = "1.0.0"


class TwoClass(nn.Module):
    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logit = self.net(x)
        return torch.cat([-0.5 * logit, 0.5 * logit], dim=1)


def training_seconds(log: Path) -> float:
    """Sum over the resumed invocations of a run of their last ``elapsed_s`` (it restarts at 0 on resume)."""
    if not log.exists():
        return 0.0
    total, last = 0.0, 0.0
    for line in log.read_text().splitlines():
        e = float(json.loads(line)["elapsed_s"])
        if e < last:
            total += last
        last = e
    return round(total + last, 1)


def export(checkpoint: Path, out: Path, report: Path | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    model = TwoClass(load_checkpoint(checkpoint)).eval()
    onnx_path = out / "model.onnx"
    torch.onnx.export(model, torch.zeros(1, 1, SIZE, SIZE), str(onnx_path), input_names=["slice"],
                      output_names=["logits"], dynamic_axes={"slice": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=17)
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    cfg = lungnet_config()
    ck = torch.load(checkpoint, map_location="cpu")
    metrics: dict[str, float] = {"gflopPerSlice": 0.14}
    meta = {
        "schemaVersion": 1, "name": "lung-burden-lungnet", "version": VERSION,
        "description": ("Learned lung mask (both lungs, one label): a small 2-D U-Net, combined with the classical mask "
                        "by the app (shared/imaging/combine-lung-masks.ts)."),
        "createdAt": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "architecture": "lungnet-unet2d-8", "file": "model.onnx", "sha256": sha,
        "input": {"name": "slice", "sliceWindow": 1, "height": SIZE, "width": SIZE},
        "output": {"name": "logits"},
        "preprocessing": cfg.to_metadata(),
        "classes": [{"index": 0, "name": "background", "colorRgb": [0, 0, 0]},
                    {"index": 1, "name": "lung", "colorRgb": [90, 200, 120]}],
        "training": {"data": [
            "Ma et al. COVID-19-CT-Seg CLAHE 8-bit slices: the 7 training patients of splits/ma20-patients.json "
            "(802 slices, radiologist lung masks), mapped to HU through eightBitWindow",
            "TCIA LIDC-IDRI-0001 and RIDER-1225316081 (HU) with the classical lung mask as target; "
            "4D-Lung 113_HM10395 and RICORD 000082 held out",
            "the same two series with dense synthetic lesions (lungburden.synth: consolidation, dependent effusion) "
            "inside the classical mask, the target staying the clean mask"],
            "config": {"step": int(ck.get("step", 0)), "checkpoint": checkpoint.name, "run": checkpoint.parent.name},
            "durationS": training_seconds(checkpoint.parent / "log.jsonl")},
        "metrics": metrics,
        "licenceNotes": ("Trained on Ma et al. COVID-19-CT-Seg slices via dstaroff/COVID19-CT-Segmentation "
                         "(annotations CC BY 4.0; images coronacases.org and Radiopaedia, CC BY-NC-SA 3.0: non-commercial) "
                         "and TCIA LIDC-IDRI / RIDER Lung CT series (CC BY 3.0). The non-commercial terms may carry over "
                         "to the weights: research and evaluation use only."),
    }
    if report and report.exists():
        rep = json.loads(report.read_text())
        (out / "evaluation.json").write_text(json.dumps(rep, indent=1) + "\n")
        ma = rep["ma20HeldOut"]
        metrics.update({"ma20HeldOutDiceMeanOfPatients": ma["meanOfPatients"], "ma20HeldOutDicePooled": ma["pooled"]})
        for i, p in enumerate(ma["perPatient"]):
            metrics[f"ma20HeldOutDicePatient{i + 1}"] = p["dice"]
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
