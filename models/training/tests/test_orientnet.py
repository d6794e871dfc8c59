"""OrientNet: the D4 class action, exact equivariance of the symmetrised net, the augmentation's
output, training resume and the ONNX export (tiny, synthetic data only)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from lungburden.orientnet import train as tr
from lungburden.orientnet.augment import network_input, orientnet_config, sample
from lungburden.orientnet.d4 import class_action, from_upright, orientation_class, to_upright
from lungburden.orientnet.export import export, load_checkpoint
from lungburden.orientnet.net import OrientNet, SymmetrisedOrientNet, d4_image


def phantom(n: int = 256) -> np.ndarray:
    """An upright 8-bit chest-like image: body, two dark lungs, a bright spine posterior, a table."""
    yy, xx = np.mgrid[0:n, 0:n] / n
    img = np.zeros((n, n), np.float32)
    img[((xx - 0.5) / 0.42) ** 2 + ((yy - 0.5) / 0.3) ** 2 < 1] = 170
    img[((np.abs(xx - 0.5) - 0.17) / 0.12) ** 2 + ((yy - 0.47) / 0.18) ** 2 < 1] = 30
    img[((xx - 0.5) / 0.05) ** 2 + ((yy - 0.72) / 0.045) ** 2 < 1] = 250
    img[(yy > 0.85) & (yy < 0.87) & (np.abs(xx - 0.5) < 0.4)] = 200
    return img


def test_d4_round_trip_and_class_action_is_a_group_action():
    a = np.arange(12).reshape(3, 4)
    for k in range(8):
        assert np.array_equal(to_upright(from_upright(a, k), k), a)
    perm = class_action()
    assert all(sorted(perm[g]) == [0, 1, 2, 3] for g in range(8))
    assert list(perm[0]) == [0, 1, 2, 3]
    # transposing an upright image makes it "transposed"; flipping rows makes it "upside-down"
    assert perm[4][0] == orientation_class(4) == 2 and perm[2][0] == orientation_class(2) == 1


def test_symmetrised_net_is_exactly_equivariant():
    torch.manual_seed(0)
    net = SymmetrisedOrientNet(OrientNet().eval()).eval()
    x = torch.randn(2, 1, 64, 64)
    with torch.no_grad():
        p = net(x)
        assert torch.allclose(p.sum(1), torch.ones(2), atol=1e-5)
        for g in range(8):
            q = net(d4_image(x, g))
            assert torch.allclose(q[:, torch.from_numpy(class_action()[g])], p, atol=1e-5)


def test_sample_gives_a_64px_input_and_a_class():
    rng = np.random.default_rng(3)
    img = phantom()
    for _ in range(6):
        x, c = sample(img, False, rng)
        assert x.shape == (64, 64) and x.dtype == np.float32 and np.isfinite(x).all() and c in range(4)
    hu = np.where(img > 100, 40.0, -900.0).astype(np.float32)
    x, c = sample(hu, True, rng)
    assert x.shape == (64, 64)
    # the preprocessing is the app's: a transposed image gives the transposed input
    a = network_input(img, orientnet_config())
    assert np.allclose(network_input(np.ascontiguousarray(img.T), orientnet_config()), a.T, atol=1e-5)


def test_training_resumes_and_export_runs_in_onnxruntime(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    img = np.clip(np.round(phantom()), 0, 255).astype(np.uint8)
    hu = np.where(img > 100, 40, -900).astype(np.int16)
    cache = tmp_path / "cache.npz"
    np.savez_compressed(cache, gray=np.stack([img, img[:, ::-1]]), gray_group=np.array([0, 100], np.int16),
                        hu=np.stack([hu]), hu_group=np.array([200], np.int16))
    run = tmp_path / "run"
    assert tr.train(run, 2, 1e9, 4, 1e-3, (0.5, 0.2, 0.3), 1, 0, cache) == 2
    assert tr.train(run, 3, 1e9, 4, 1e-3, (0.5, 0.2, 0.3), 1, 0, cache) == 3
    assert [json.loads(x)["step"] for x in (run / "log.jsonl").read_text().splitlines()] == [1, 2, 3]
    onnx_path = export(run / "checkpoint.pt", tmp_path / "bundle")
    meta = json.loads((tmp_path / "bundle" / "metadata.json").read_text())
    assert [c["name"] for c in meta["classes"]] == ["upright", "upside-down", "transposed", "transposed+upside-down"]
    assert meta["input"]["height"] == 64 and meta["output"]["name"] == "probabilities"
    x = np.random.default_rng(1).normal(size=(3, 1, 64, 64)).astype(np.float32)
    got = ort.InferenceSession(str(onnx_path)).run(None, {"slice": x})[0]
    with torch.no_grad():
        want = SymmetrisedOrientNet(load_checkpoint(run / "checkpoint.pt")).eval()(torch.from_numpy(x)).numpy()
    assert got.shape == (3, 4) and np.allclose(got, want, atol=1e-5)
