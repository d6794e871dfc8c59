"""The committed bundles are what their cards say. When the accurate bundle's only member has the fast bundle's
weights, its ONNX graph computes that network's logits averaged over the mirror and the sizes its metadata names
(DECISION-1.23.0.md: both bundles run the 1.19.0 network). The fast graph is its checkpoint's network at its
checkpoint's inference sizes, if any (DECISION-1.24.0.md). Reads the committed bundles only (no shared data)."""
import json
from pathlib import Path

import pytest
import torch

from lungburden.nets.logit_ensemble import LogitEnsemble
from lungburden.nets.registry import build_net

MODELS = Path(__file__).resolve().parents[2]
TTA, FAST = MODELS / "lung-burden-convlstm-tta", MODELS / "lung-burden-convlstm-fast"


def test_the_accurate_graph_is_the_fast_network_at_the_mirror_and_the_sizes_its_metadata_names():
    ort = pytest.importorskip("onnxruntime")
    meta = json.loads((TTA / "metadata.json").read_text())
    kw = meta["training"]["config"]["arch_kwargs"]
    fast = torch.load(FAST / "checkpoint.pt", map_location="cpu")
    tta = torch.load(TTA / "checkpoint.pt", map_location="cpu")["model"]
    members = sorted({k.split(".")[1] for k in tta if k.startswith("members.")})
    same = members == ["0"] and all(torch.equal(tta[f"members.0.{k}"], v) for k, v in fast["model"].items())
    if not same:  # another network version than the fast bundle's: its card says which, and the versions differ
        assert meta["version"] != json.loads((FAST / "metadata.json").read_text())["version"]
        return
    assert kw["mirror"] and meta["architecture"].endswith("+mirror-tta")
    sizes = kw.get("sizes")
    if sizes:
        assert f"sizes{'-'.join(map(str, sizes))}" in meta["architecture"]
    net = build_net(fast["config"]["arch"], **fast["config"].get("arch_kwargs", {}))
    net.load_state_dict(fast["model"])
    want_model = LogitEnsemble([net.eval()], mirror=True, sizes=sizes).eval()
    inp = meta["input"]
    x = torch.rand(1, inp["sliceWindow"], inp["height"], inp["width"], generator=torch.Generator().manual_seed(7)) * 2 - 1
    with torch.no_grad():
        want = want_model(x).numpy()
        plain = net(x).numpy()
    got = ort.InferenceSession(str(TTA / "model.onnx"), providers=["CPUExecutionProvider"]).run(
        None, {inp["name"]: x.numpy()})[0]
    assert abs(got - want).max() < 1e-3
    assert abs(got - plain).max() > 1e-2, "the test can tell the graph from the plain network"


def test_the_fast_graph_is_its_checkpoints_network_at_its_inference_sizes():
    """The fast bundle is what retraining fine-tunes: its checkpoint holds the network, and its graph is that network,
    or its logit mean over the checkpoint's ``inference_sizes`` (DECISION-1.24.0.md), named so in the metadata."""
    ort = pytest.importorskip("onnxruntime")
    from lungburden.inference_sizes import deployed, deployed_architecture, inference_sizes

    meta = json.loads((FAST / "metadata.json").read_text())
    fast = torch.load(FAST / "checkpoint.pt", map_location="cpu")
    cfg = fast["config"]
    assert meta["architecture"] == deployed_architecture(cfg)
    assert meta["training"]["config"].get("inference_sizes") == inference_sizes(cfg)
    net = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    net.load_state_dict(fast["model"])
    net.eval()
    inp = meta["input"]
    x = torch.rand(1, inp["sliceWindow"], inp["height"], inp["width"], generator=torch.Generator().manual_seed(7)) * 2 - 1
    with torch.no_grad():
        want = deployed(net, cfg)(x).numpy()
        plain = net(x).numpy()
    got = ort.InferenceSession(str(FAST / "model.onnx"), providers=["CPUExecutionProvider"]).run(
        None, {inp["name"]: x.numpy()})[0]
    assert abs(got - want).max() < 1e-3
    if inference_sizes(cfg):
        assert abs(got - plain).max() > 1e-2, "the test can tell the sizes graph from the plain network"
