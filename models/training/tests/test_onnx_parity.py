"""onnxruntime (Python) and torch agree; the random-init fixture is the seeded architecture."""
import json

import numpy as np
import onnxruntime as ort
import torch

from lungburden.nets.registry import build_net
from lungburden.onnx_bundle import export_onnx, sha256_file
from lungburden.paths import REPO_ROOT


def test_fast_net_onnx_matches_torch(tmp_path):
    torch.manual_seed(3)
    model = build_net("convlstm-fast").eval()
    # non-trivial BN statistics so that folding is exercised
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2.0)
    p = tmp_path / "m.onnx"
    export_onnx(model, p, 3, 96, 96)
    x = np.random.default_rng(0).normal(size=(2, 3, 96, 96)).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    sess = ort.InferenceSession(str(p), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ["slices"]
    assert [o.name for o in sess.get_outputs()] == ["logits"]
    out = sess.run(None, {"slices": x})[0]
    assert out.shape == (2, 3, 96, 96)
    assert np.abs(out - ref).max() < 1e-4


def test_random_init_fixture_matches_seeded_model():
    d = REPO_ROOT / "test" / "fixtures" / "models" / "random-init"
    meta = json.loads((d / "metadata.json").read_text())
    assert meta["sha256"] == sha256_file(d / meta["file"])
    torch.manual_seed(0)
    model = build_net("convlstm-fast").eval()
    f, h, w = meta["input"]["sliceWindow"], meta["input"]["height"], meta["input"]["width"]
    x = np.random.default_rng(1).normal(size=(1, f, h, w)).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    sess = ort.InferenceSession(str(d / meta["file"]), providers=["CPUExecutionProvider"])
    assert np.abs(sess.run(None, {meta["input"]["name"]: x})[0] - ref).max() < 1e-4
