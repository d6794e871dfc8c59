"""A few training steps on a tiny generated set end with a valid ONNX bundle whose metadata matches."""
import json
import re

import numpy as np
import onnxruntime as ort
import torch

from lungburden.checkpoints import load_model
from lungburden.data.dicom_series import CtVolume
from lungburden.data.preprocess import PreprocessConfig
from lungburden.golden import phantom
from lungburden.onnx_bundle import INPUT_NAME, OUTPUT_NAME, sha256_file, write_bundle
from lungburden.prepare import _save, synth_samples
from lungburden.train import Source, load_config, train

SIZE = 64


def _check_metadata_schema(meta: dict) -> None:
    """Python restatement of shared/inference/model-metadata.ts (zod) for the fields it constrains."""
    assert meta["schemaVersion"] == 1
    for k in ("name", "version", "file"):
        assert isinstance(meta[k], str) and meta[k]
    for k in ("description", "createdAt", "architecture", "licenceNotes"):
        assert isinstance(meta[k], str)
    assert re.fullmatch(r"[0-9a-f]{64}", meta["sha256"])
    assert set(meta["input"]) == {"name", "sliceWindow", "height", "width"}
    assert all(isinstance(meta["input"][k], int) and meta["input"][k] > 0 for k in ("sliceWindow", "height", "width"))
    assert set(meta["output"]) == {"name"}
    p = meta["preprocessing"]
    required = {"bodyThresholdHu", "bodyCropMarginPx", "window", "normalize", "eightBitWindow", "spacingPolicy"}
    assert required <= set(p) <= required | {"antialias"}  # antialias: optional, absent = false
    assert isinstance(p.get("antialias", False), bool)
    assert isinstance(p["bodyCropMarginPx"], int) and p["bodyCropMarginPx"] >= 0
    assert p["window"]["widthHu"] > 0 and p["normalize"]["std"] > 0 and p["eightBitWindow"]["widthHu"] > 0
    assert len(meta["classes"]) >= 2
    for i, c in enumerate(meta["classes"]):
        assert c["index"] == i and isinstance(c["name"], str) and len(c["colorRgb"]) == 3
    assert meta["classes"][1]["colorRgb"] == [30, 110, 255] and meta["classes"][2]["colorRgb"] == [255, 215, 0]
    assert isinstance(meta["training"]["data"], list) and isinstance(meta["training"]["config"], dict)
    assert meta["training"]["durationS"] >= 0
    assert all(v is None or isinstance(v, float) for v in meta["metrics"].values())


def _tiny_cache(tmp_path, seed=6, nk=7, rows=96, cols=128, slab=5):
    """``cache/synth_tiny.npz``: synthetic-lesion windows of a small generated phantom; returns the cache and samples."""
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    hu = np.maximum(phantom(seed=seed, nk=nk, rows=rows, cols=cols).astype(np.float32), -1024)
    xs, ys, ids = synth_samples(CtVolume("phantom", hu, (2.5, 2.0, 2.0)), 2, 0, pre, slab=slab, per_slab=2, p_empty=0.0)
    cache = tmp_path / "cache"
    _save(cache / "synth_tiny.npz", xs, ys, [0] * len(xs), ids)
    return cache, xs, ys, ids


def test_training_smoke_to_valid_bundle(tmp_path):
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cache, xs, ys, ids = _tiny_cache(tmp_path, seed=5, nk=9, rows=120, cols=160, slab=7)
    _save(cache / "partial_tiny.npz", xs, [(y > 0).astype(np.uint8) for y in ys], [1] * len(xs), ids)
    cfg = load_config(None, {
        "run": "smoke", "steps": 3, "warmup": 1, "eval_every": 3, "ckpt_every_s": 0,
        "preprocess": {"height": SIZE, "width": SIZE},
        "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True},
                    "ma20": {"files": ["partial_tiny.npz"], "per_batch": 1, "hu": False}},
        "monitor": {"synth": ["synth_tiny.npz"]},
    })
    run = train(cfg, cache, tmp_path / "runs", quiet=True)
    lines = [json.loads(ln) for ln in (run / "log.jsonl").read_text().splitlines()]
    log = [r for r in lines if "step" in r]
    assert [r["step"] for r in log] == [1, 2, 3] and all(np.isfinite(r["loss"]) for r in log)
    assert lines[-1]["final_step"] == 3 and "synth_dice_lesion" in lines[-1]
    # resumable: a resumed run at its final step does no more steps and keeps the weights
    before = torch.load(run / "final.pt")["model"]
    train(cfg, cache, tmp_path / "runs", resume=True, quiet=True)
    after = torch.load(run / "final.pt")["model"]
    assert all(torch.equal(before[k], after[k]) for k in before)

    model, cfg2, ck = load_model(run)
    bundle = tmp_path / "bundle"
    meta = write_bundle(model, bundle, name="smoke", version="0.0.1", description="smoke", architecture=cfg2["arch"],
                        pre=pre, training={"data": ["phantom"], "config": cfg2, "durationS": ck["elapsed_s"]},
                        metrics={"synth_dice_lesion": lines[-1]["synth_dice_lesion"], "absent": None})
    on_disk = json.loads((bundle / "metadata.json").read_text())
    assert on_disk == meta
    _check_metadata_schema(on_disk)
    assert on_disk["sha256"] == sha256_file(bundle / "model.onnx")
    sess = ort.InferenceSession(str(bundle / "model.onnx"), providers=["CPUExecutionProvider"])
    x = np.stack(xs[:2]).astype(np.float32)
    assert sess.get_inputs()[0].name == INPUT_NAME and sess.get_outputs()[0].name == OUTPUT_NAME
    out = sess.run(None, {INPUT_NAME: (np.clip((x + 1024) / 1624, 0, 1) - pre.mean) / pre.std})[0]
    assert out.shape == (2, 3, SIZE, SIZE) and np.isfinite(out).all()


def test_shipped_bundle_metadata_if_present():
    from lungburden.paths import REPO_ROOT

    for d in (REPO_ROOT / "models").iterdir():
        if (d / "metadata.json").exists():
            meta = json.loads((d / "metadata.json").read_text())
            _check_metadata_schema(meta)
            if (d / meta["file"]).exists():
                assert meta["sha256"] == sha256_file(d / meta["file"])
    _check_metadata_schema(json.loads((REPO_ROOT / "test/fixtures/models/random-init/metadata.json").read_text()))


def test_weight_average_is_the_final_model_and_survives_resume(tmp_path):
    """With ``ema_decay`` the final checkpoint holds the weight average; a run interrupted and resumed ends with
    the same average as an uninterrupted one (the average's state travels in last.pt)."""
    cache, *_ = _tiny_cache(tmp_path)
    base = {"steps": 4, "warmup": 1, "eval_every": 100, "ckpt_every_s": 1e9, "ema_decay": 0.9, "monitor": {},
            "preprocess": {"height": SIZE, "width": SIZE},
            "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True}}}
    straight = train(load_config(None, {**base, "run": "straight"}), cache, tmp_path / "runs", quiet=True)
    final = torch.load(straight / "final.pt")
    last = torch.load(straight / "last.pt")
    assert final["step"] == last["step"] == 4 and last["ema"]["updates"] == 4
    assert all(torch.equal(final["model"][k].float(), last["ema"]["shadow"][k].float()) for k in final["model"])
    assert any(not torch.equal(final["model"][k], last["model"][k]) for k in final["model"]
               if final["model"][k].is_floating_point())
    assert json.loads((straight / "log.jsonl").read_text().splitlines()[-1])["weights"] == "ema"

    train(load_config(None, {**base, "run": "split", "steps": 2}), cache, tmp_path / "runs", quiet=True)
    split = train(load_config(None, {**base, "run": "split"}), cache, tmp_path / "runs", resume=True, quiet=True)
    resumed = torch.load(split / "final.pt")["model"]
    assert all(torch.allclose(resumed[k].float(), final["model"][k].float(), atol=1e-5) for k in resumed)


def test_device_choice(tmp_path):
    """``device``: auto picks CUDA only when torch sees a GPU; cuda without one is a clear error; cpu trains."""
    import pytest

    from lungburden.train import resolve_device

    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA GPU"):
            resolve_device("cuda")
    cache, *_ = _tiny_cache(tmp_path)
    cfg = load_config(None, {"run": "dev", "steps": 1, "warmup": 1, "ckpt_every_s": 1e9, "device": "cpu", "monitor": {},
                             "preprocess": {"height": SIZE, "width": SIZE},
                             "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True}}})
    run = train(cfg, cache, tmp_path / "runs", quiet=True)
    assert all(v.device.type == "cpu" for v in torch.load(run / "final.pt")["model"].values())


def test_fast_v5_features_train_resume_finalize_and_export(tmp_path):
    """Model 1.3 options together: dense-window channel warm-started from a one-channel checkpoint (same function at
    step 0), split loss, copy-paste, class-balanced sampling, circular FOV; --finalize writes the weight average."""
    from lungburden.nets.fast import FastConvLSTMNet, load_warm
    from lungburden.train import finalize

    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cache, xs, ys, ids = _tiny_cache(tmp_path)
    _save(cache / "donor_tiny.npz", xs, ys, [0] * len(xs), ids)
    base = FastConvLSTMNet()
    ck = tmp_path / "base.pt"
    torch.save({"model": base.state_dict(), "config": {}, "step": 0}, ck)
    wide = FastConvLSTMNet(dense_window_hu=(-300, 100))
    assert load_warm(wide, base.state_dict()) == ["trunk.conv0.weight"]
    x = torch.randn(2, 3, SIZE, SIZE)
    base.eval(), wide.eval()
    assert torch.allclose(base(x), wide(x), atol=1e-6)
    cfg = load_config(None, {
        "run": "v5", "steps": 4, "warmup": 1, "eval_every": 100, "ckpt_every_s": 0, "ema_decay": 0.99,
        "preprocess": {"height": SIZE, "width": SIZE}, "arch_kwargs": {"dense_window_hu": [-300, 100]},
        "init_checkpoint": str(ck), "split_weight": 0.5, "p_circle": 0.5,
        "copy_paste": {"from": "donor", "into": ["synth"], "p": 1.0},
        "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True},
                    "donor": {"files": ["donor_tiny.npz"], "per_batch": 1, "hu": True, "balance": "classes"}},
        "monitor": {},
    })
    cfg["steps"] = 2
    run = train(cfg, cache, tmp_path / "runs", quiet=True)
    last = torch.load(run / "last.pt")
    finalize(cfg, tmp_path / "runs")
    final = torch.load(run / "final.pt")
    assert final["step"] == 2 and all(torch.equal(final["model"][k].float(), last["ema"]["shadow"][k].float())
                                      for k in final["model"])
    model, cfg2, _ = load_model(run)
    meta = write_bundle(model, tmp_path / "bundle", name="v5", version="0.0.1", description="v5",
                        architecture=cfg2["arch"], pre=pre, training={"data": [], "config": cfg2, "durationS": 1.0},
                        metrics={})
    sess = ort.InferenceSession(str(tmp_path / "bundle" / "model.onnx"))
    xin = np.random.default_rng(0).normal(size=(1, 3, SIZE, SIZE)).astype(np.float32)
    with torch.no_grad():
        ref = model.eval()(torch.from_numpy(xin)).numpy()
    assert np.abs(sess.run([OUTPUT_NAME], {INPUT_NAME: xin})[0] - ref).max() < 1e-3
    assert meta["input"]["sliceWindow"] == 3


def test_cache_records_its_resize_and_training_refuses_the_other(tmp_path):
    """A cache resized without the antialiasing prefilter must not feed a run that preprocesses with it (and vice
    versa): the network would train on one contract and ship another."""
    cache, xs, ys, ids = _tiny_cache(tmp_path)
    _save(cache / "aa_tiny.npz", xs, ys, [0] * len(xs), ids, antialias=True)
    assert len(Source([cache / "synth_tiny.npz"], antialias=False)) == len(xs)
    assert len(Source([cache / "aa_tiny.npz"], antialias=True)) == len(xs)
    for f, aa in (("synth_tiny.npz", True), ("aa_tiny.npz", False)):
        try:
            Source([cache / f], antialias=aa)
        except ValueError as e:
            assert "antialias" in str(e) and f in str(e)
        else:
            raise AssertionError(f"{f} accepted for antialias={aa}")
