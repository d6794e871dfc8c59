"""The fast bundle at several input sizes (DECISION-1.24.0.md): the graph is part of the bundle, exported from a checked
one-network sizes run, and kept by retraining (``lungburden.inference_sizes``, ``lungburden.export_sizes``)."""
import json

import numpy as np
import pytest
import torch

from lungburden.checkpoints import write_built_run
from lungburden.data.preprocess import PreprocessConfig
from lungburden.ensemble import build_ensemble
from lungburden.export_sizes import export_sizes
from lungburden.inference_sizes import deployed, deployed_architecture, inference_sizes
from lungburden.nets.logit_ensemble import LogitEnsemble
from lungburden.nets.registry import build_net
from lungburden.onnx_bundle import sha256_file, write_bundle

SIZE = 64


def test_sizes_are_validated_and_name_the_architecture():
    assert inference_sizes({"arch": "convlstm-fast"}) is None
    assert deployed_architecture({"arch": "convlstm-fast"}) == "convlstm-fast"
    assert deployed_architecture({"arch": "convlstm-fast", "inference_sizes": [192, 176]}) == "convlstm-fast-sizes192-176"
    for bad in ([192], [192, 192], [192, 170], "192,176", [192, 16]):
        with pytest.raises(ValueError, match="inference_sizes"):
            inference_sizes({"inference_sizes": bad})
    net = build_net("convlstm-fast")
    assert deployed(net, {}) is net
    wrapped = deployed(net, {"inference_sizes": [64, 48]})
    assert isinstance(wrapped, LogitEnsemble) and wrapped.sizes == [64, 48] and not wrapped.mirror


def _source_bundle(tmp_path):
    torch.manual_seed(3)
    net = build_net("convlstm-fast").eval()
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cfg = {"run": "tiny", "arch": "convlstm-fast", "arch_kwargs": {}, "preprocess": {"height": SIZE, "width": SIZE}}
    src = tmp_path / "src"
    write_bundle(net, src, name="lung-burden-convlstm-fast", version="1.19.0", description="Tiny.",
                 architecture="convlstm-fast", pre=pre, training={"data": ["d"], "config": cfg, "durationS": 0},
                 metrics={})
    meta = json.loads((src / "metadata.json").read_text())
    meta["postprocessing"] = {"lesionThreshold": 0.5, "hoThreshold": 0.5, "zSmoothingRadius": 0}
    (src / "metadata.json").write_text(json.dumps(meta))
    (src / "MODEL_CARD.md").write_text("# card\n")
    torch.save({"model": net.state_dict(), "config": cfg, "step": 5}, src / "checkpoint.pt")
    torch.save({"model": net.state_dict(), "config": cfg, "step": 5}, tmp_path / "final.pt")
    return src, net


def _sizes_run(tmp_path, name, member, **kw):
    run = write_built_run(tmp_path / name, build_ensemble([member], name, **kw)).parent
    (run / "postprocess.json").write_text(json.dumps({"lesionThreshold": 0.55, "hoThreshold": 0.7,
                                                      "zSmoothingRadius": 1}))
    (run / "metrics.json").write_text(json.dumps({"medseg": {"dice_ggo": 0.5, "dice_ho": 0.4, "dice_lesion": 0.7}}))
    return run


def test_export_sizes_writes_the_graph_and_keeps_the_network(tmp_path):
    import onnxruntime as ort

    src, net = _source_bundle(tmp_path)
    run = _sizes_run(tmp_path, "ms", tmp_path / "final.pt", mirror=False, sizes=[64, 48])
    out = tmp_path / "out"
    meta = export_sizes(src, run, out, "1.24.0")
    assert meta["version"] == "1.24.0" and meta["architecture"] == "convlstm-fast-sizes64-48"
    assert meta["sha256"] == sha256_file(out / "model.onnx")
    assert meta["postprocessing"] == {"lesionThreshold": 0.55, "hoThreshold": 0.7, "zSmoothingRadius": 1}
    assert meta["metrics"]["medseg_val_dice_ggo"] == 0.5 and meta["training"]["config"]["inference_sizes"] == [64, 48]
    assert (out / "MODEL_CARD.md").read_text() == "# card\n"
    ck = torch.load(out / "checkpoint.pt", map_location="cpu")
    assert ck["config"]["arch"] == "convlstm-fast" and ck["config"]["inference_sizes"] == [64, 48]
    assert all(torch.equal(ck["model"][k], v) for k, v in net.state_dict().items())
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(2, 3, SIZE, SIZE)).astype(np.float32))
    got = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"]).run(None, {"slices": x.numpy()})[0]
    with torch.no_grad():
        want = LogitEnsemble([net], sizes=[64, 48])(x).numpy()
        plain = net(x).numpy()
    assert np.abs(got - want).max() < 1e-3 and np.abs(got - plain).max() > 1e-3
    # in place (--out = --from): staged first, the card kept
    export_sizes(src, run, src, "1.24.0")
    assert json.loads((src / "metadata.json").read_text())["architecture"] == "convlstm-fast-sizes64-48"
    assert (src / "MODEL_CARD.md").read_text() == "# card\n"


def test_export_sizes_refuses_other_weights_or_graphs(tmp_path):
    src, _net = _source_bundle(tmp_path)
    torch.manual_seed(9)
    other = build_net("convlstm-fast")
    torch.save({"model": other.state_dict(), "config": torch.load(tmp_path / "final.pt")["config"], "step": 1},
               tmp_path / "other.pt")
    with pytest.raises(ValueError, match="weights"):
        export_sizes(src, _sizes_run(tmp_path, "o", tmp_path / "other.pt", mirror=False, sizes=[64, 48]),
                     tmp_path / "x", "1.24.0")
    with pytest.raises(ValueError, match="without the mirror"):
        export_sizes(src, _sizes_run(tmp_path, "m", tmp_path / "final.pt", mirror=True, sizes=[64, 48]),
                     tmp_path / "y", "1.24.0")
    with pytest.raises(ValueError, match="two or more input sizes"):
        export_sizes(src, _sizes_run(tmp_path, "s", tmp_path / "final.pt", mirror=False), tmp_path / "z", "1.24.0")
