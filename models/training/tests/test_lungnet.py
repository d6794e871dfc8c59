"""The learned lung mask package: net shapes, the 2-class export equals sigmoid > 0.5, the ONNX bundle
runs in onnxruntime with the same output, training resumes from its checkpoint, and the shipped
bundle's metadata names its evaluation."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from lungburden.lungnet import dataset as ds
from lungburden.lungnet import train as tr
from lungburden.lungnet.export import TwoClass, export, training_seconds
from lungburden.lungnet.net import LungNet

BUNDLE = Path(__file__).resolve().parents[2] / "lung-masks" / "lungnet"


def test_net_shape_and_two_class_argmax_is_sigmoid():
    torch.manual_seed(0)
    net = LungNet().eval()
    x = torch.randn(3, 1, 128, 128)
    with torch.no_grad():
        logit = net(x)
        two = TwoClass(net)(x)
    assert logit.shape == (3, 1, 128, 128) and two.shape == (3, 2, 128, 128)
    assert torch.equal(two.argmax(1) == 1, (torch.sigmoid(logit[:, 0]) > 0.5))


def test_training_resumes_and_export_runs_in_onnxruntime(tmp_path, monkeypatch):
    ort = pytest.importorskip("onnxruntime")
    rng = np.random.default_rng(0)
    x = rng.uniform(-1000, 100, (6, 128, 128)).astype(np.float32)
    y = (x < -500).astype(np.uint8)
    (tmp_path / "cache").mkdir()
    np.savez_compressed(tmp_path / "cache" / "train.npz", x=x, y=y, src=np.array([0, 0, 1, 1, 2, 2], np.uint8))
    monkeypatch.setattr(tr, "LUNGNET_CACHE", tmp_path / "cache")
    run = tmp_path / "run"
    tr.train(run, steps=2, minutes=5, batch=2, lr=1e-3, mix=(1, 1, 1), ckpt_every=1, seed=1)
    tr.train(run, steps=3, minutes=5, batch=2, lr=1e-3, mix=(1, 1, 1), ckpt_every=1, seed=1)
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert [e["step"] for e in log] == [1, 2, 3]
    assert training_seconds(run / "log.jsonl") >= 0
    onnx_path = export(run / "checkpoint.pt", tmp_path / "bundle", None)
    meta = json.loads((tmp_path / "bundle" / "metadata.json").read_text())
    assert meta["input"] == {"name": "slice", "sliceWindow": 1, "height": 128, "width": 128}
    assert [c["name"] for c in meta["classes"]] == ["background", "lung"]
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    inp = rng.standard_normal((2, 1, 128, 128)).astype(np.float32)
    out = sess.run(["logits"], {"slice": inp})[0]
    from lungburden.lungnet.predict import load_checkpoint
    with torch.no_grad():
        ref = TwoClass(load_checkpoint(run / "checkpoint.pt"))(torch.from_numpy(inp)).numpy()
    assert np.abs(out - ref).max() < 1e-4


def test_crop_slice_uses_the_bundle_contract():
    cfg = ds.lungnet_config()
    hu = np.full((200, 160), -1024.0)
    hu[40:160, 20:140] = 40.0
    lung = np.zeros((200, 160), bool)
    lung[60:140, 40:120] = True
    x, y, box = ds.crop_slice(hu, lung, cfg)
    assert x.shape == (128, 128) and y.shape == (128, 128) and box[2] == 120 + 2 * cfg.body_crop_margin_px
    assert 0.3 < y.mean() < 0.6


def test_shipped_bundle_names_its_held_out_dice():
    meta = json.loads((BUNDLE / "metadata.json").read_text())
    assert meta["name"] == "lung-burden-lungnet"
    assert meta["metrics"]["ma20HeldOutDiceMeanOfPatients"] > 0.9
    ev = json.loads((BUNDLE / "evaluation.json").read_text())
    assert len(ev["ma20HeldOut"]["perPatient"]) == 3
