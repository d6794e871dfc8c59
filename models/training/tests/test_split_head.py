"""The split head of model 1.4 (nets.split_head) and the in-graph mirror average (nets.mirror_tta)."""
import numpy as np
import onnxruntime as ort
import torch

from lungburden.losses import mixed_loss
from lungburden.nets.fast import load_warm
from lungburden.nets.mirror_tta import MirrorAveraged
from lungburden.nets.registry import build_net
from lungburden.nets.split_head import compose_logits, lesion_split_logits
from lungburden.onnx_bundle import export_onnx

DW = (-300, 100)


def _base_and_split():
    torch.manual_seed(7)
    base = build_net("convlstm-fast", dense_window_hu=DW).eval()
    for m in base.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2.0)
    net = build_net("convlstm-fast-split", dense_window_hu=DW)
    load_warm(net.base, base.state_dict())
    return base, net.eval()


def test_compose_gives_exact_probabilities():
    logits = torch.randn(2, 3, 5, 4) * 3
    les, split = lesion_split_logits(logits)
    assert torch.allclose(compose_logits(les, split).softmax(1), logits.softmax(1), atol=1e-6)


def test_untrained_head_computes_the_base_model():
    base, net = _base_and_split()
    x = torch.randn(2, 3, 64, 64) * 0.5
    with torch.no_grad():
        assert torch.allclose(net(x).softmax(1), base(x).softmax(1), atol=1e-5)


def test_training_moves_only_the_head_and_keeps_the_lesion_probability():
    base, net = _base_and_split()
    frozen = {k: v.clone() for k, v in net.base.state_dict().items()}
    net.train()
    assert not net.base.training
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-2)
    x, y = torch.randn(4, 3, 64, 64) * 0.5, torch.randint(0, 3, (4, 64, 64))
    for _ in range(3):
        out, _, _ = net(x, return_aux=True)
        loss = mixed_loss(out, y, torch.zeros(4), 1.0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    for k, v in net.base.state_dict().items():
        assert torch.equal(v, frozen[k]), k
    net.eval()
    with torch.no_grad():
        p_new, p_base = net(x).softmax(1), base(x).softmax(1)
    assert torch.allclose(p_new[:, 1:].sum(1), p_base[:, 1:].sum(1), atol=1e-5)
    assert not torch.allclose(p_new[:, 2], p_base[:, 2], atol=1e-4)


def test_split_net_and_mirror_average_export_to_onnx(tmp_path):
    _, net = _base_and_split()
    with torch.no_grad():
        net.head.out.weight.normal_(0, 0.5)
    for name, model in (("split", net), ("mirror", MirrorAveraged(net).eval())):
        p = tmp_path / f"{name}.onnx"
        export_onnx(model, p, 3, 96, 96)
        x = np.random.default_rng(0).normal(size=(2, 3, 96, 96)).astype(np.float32)
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        out = ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]).run(None, {"slices": x})[0]
        assert out.shape == (2, 3, 96, 96)
        assert np.isfinite(out).all()
        assert np.abs(out - ref).max() < 1e-4


def test_mirror_average_is_the_mean_of_both_passes():
    _, net = _base_and_split()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        ref = (net(x) + net(x.flip(-1)).flip(-1)) / 2
        assert torch.allclose(MirrorAveraged(net)(x), ref, atol=1e-5)
