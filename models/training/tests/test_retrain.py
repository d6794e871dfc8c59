"""Retraining loop: a lung-burden-v1 export written by the app's TypeScript exporter (a signed synthetic chest
CT with exact labels) fine-tunes a tiny base run; a bundle is written when the gate passes, refused
(comparison.json only) when it cannot, and splits/validation.json stays byte-identical. Evaluation uses the real
MedSeg validation slices of the fixed split (../shared/data); skipped when that data is absent."""
import hashlib
import json
from datetime import UTC

import numpy as np
import pytest
import torch
from ts_export import needs_node, ts_export

from lungburden.contract import EXIT, validate
from lungburden.data.dicom_series import CtVolume
from lungburden.data.preprocess import PreprocessConfig
from lungburden.golden import phantom
from lungburden.onnx_bundle import sha256_file
from lungburden.paths import SHARED_DATA, SPLITS_FILE
from lungburden.prepare import _save, synth_samples
from lungburden.retrain import EXIT_REFUSED, RetrainError, bump_version, main, read_export
from lungburden.train import load_config, train

SIZE = 64
SPACING = (2.5, 2.0, 2.0)  # (dz, dy, dx) mm

needs_medseg = pytest.mark.skipif(not (SHARED_DATA / "medseg-slices").is_dir(),
                                  reason="../shared/data absent: MedSeg validation slices needed for the evaluation")


def make_base_run(tmp_path):
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    hu = np.maximum(phantom(seed=5, nk=9, rows=120, cols=160).astype(np.float32), -1024)
    xs, ys, ids = synth_samples(CtVolume("phantom", hu, SPACING), 2, 0, pre, slab=7, per_slab=2, p_empty=0.0)
    cache = tmp_path / "cache"
    _save(cache / "synth_tiny.npz", xs, ys, [0] * len(xs), ids)
    cfg = load_config(None, {
        "run": "base", "steps": 2, "warmup": 1, "eval_every": 100, "ckpt_every_s": 0,
        "preprocess": {"height": SIZE, "width": SIZE},
        "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True}}, "monitor": {},
    })
    return train(cfg, cache, tmp_path / "runs", quiet=True), cache


def test_bump_version():
    from datetime import datetime

    now = datetime(2026, 11, 29, 22, 43, 0, tzinfo=UTC)
    assert bump_version("1.0.0", now) == "1.1.0-retrain.20261129T224300Z"
    assert bump_version("1.1.0-retrain.20261128T000000Z", now) == "1.2.0-retrain.20261129T224300Z"


@needs_node
def test_read_export_refuses_tampered_file(tmp_path):
    written = ts_export(tmp_path / "exp")
    manifest, sha, cases = read_export(tmp_path / "exp")
    assert manifest == written
    assert len(cases) == 1 and cases[0]["lung"] is not None and sha == sha256_file(tmp_path / "exp" / "manifest.json")
    (tmp_path / "exp" / "cases" / cases[0]["name"] / "lesions.nii.gz").write_bytes(b"tampered")
    with pytest.raises(RetrainError, match="sha256"):
        read_export(tmp_path / "exp")


@needs_node
@needs_medseg
def test_retrain_writes_bundle_or_refuses(tmp_path):
    split_before = SPLITS_FILE.read_bytes()
    exported = [c["case"] for c in ts_export(tmp_path / "exp")["cases"]]
    run, cache = make_base_run(tmp_path)
    # the base was distilled from a teacher that is not on this machine (as 1.15.0's runs/v1.3.0/final.pt is not on a
    # reader's): the fine-tune on signed cases runs without it
    ck = torch.load(run / "final.pt", map_location="cpu")
    ck["config"]["teacher"] = {"checkpoint": "runs/not-on-this-machine/final.pt", "mirror": True}
    torch.save(ck, run / "final.pt")
    common = ["--from", str(tmp_path / "exp"), "--base-run", str(run), "--steps", "2", "--cache", str(cache),
              "--eval-sets", "medseg", "--export-per-batch", "2", "--quiet"]

    # min-delta -1.5: new lesion Dice would have to beat old by 1.5 -> always refused, only comparison.json
    refused = tmp_path / "refused"
    assert main(common + ["--out", str(refused), "--min-delta", "-1.5"]) == EXIT_REFUSED
    assert sorted(p.name for p in refused.iterdir()) == ["comparison.json"]
    c = json.loads((refused / "comparison.json").read_text())
    validate("retrain-comparison", c)
    assert c["accepted"] is False and c["gate"]["metric"] == "medseg_val_dice_lesion"
    assert c["old"]["medseg"]["n"] == c["new"]["medseg"]["n"] == 10  # the same fixed validation slices
    assert c["export"]["cases"] == exported and c["export"]["windows"] > 0

    # min-delta 1: any Dice passes -> bundle
    out = tmp_path / "bundle"
    assert main(common + ["--out", str(out), "--min-delta", "1.0"]) == EXIT["ok"]
    meta = json.loads((out / "metadata.json").read_text())
    manifest_sha = sha256_file(tmp_path / "exp" / "manifest.json")
    assert meta["sha256"] == sha256_file(out / "model.onnx")
    assert meta["version"].startswith("1.1.0-retrain.")
    assert any(manifest_sha in d for d in meta["training"]["data"])
    assert meta["input"]["height"] == SIZE and "medseg_val_dice_lesion" in meta["metrics"]
    assert {"comparison.json", "MODEL_CARD.md", "checkpoint.pt"} <= {p.name for p in out.iterdir()}
    assert json.loads((out / "comparison.json").read_text())["accepted"] is True

    # refuses to overwrite a bundle
    assert main(common + ["--out", str(out), "--min-delta", "1.0"]) == EXIT["error"]
    assert hashlib.sha256(SPLITS_FILE.read_bytes()).digest() == hashlib.sha256(split_before).digest()
    assert SPLITS_FILE.read_bytes() == split_before


@needs_node
@needs_medseg
def test_retrain_keeps_the_base_bundles_input_sizes(tmp_path):
    """DECISION-1.24.0.md, criterion F: a base whose graph averages input sizes is fine-tuned as its network and written
    back as the same graph (architecture name, checkpoint config, ONNX = the new weights at those sizes)."""
    import onnxruntime as ort

    from lungburden.nets.logit_ensemble import LogitEnsemble
    from lungburden.nets.registry import build_net

    ts_export(tmp_path / "exp")
    run, cache = make_base_run(tmp_path)
    ck = torch.load(run / "final.pt", map_location="cpu")
    ck["config"]["inference_sizes"] = [SIZE, 48]
    torch.save(ck, run / "final.pt")
    out = tmp_path / "bundle"
    assert main(["--from", str(tmp_path / "exp"), "--base-run", str(run), "--steps", "2", "--cache", str(cache),
                 "--eval-sets", "medseg", "--export-per-batch", "2", "--quiet", "--out", str(out),
                 "--min-delta", "1.0"]) == EXIT["ok"]
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["architecture"] == f"convlstm-fast-sizes{SIZE}-48"
    new = torch.load(out / "checkpoint.pt", map_location="cpu")
    assert new["config"]["arch"] == "convlstm-fast" and new["config"]["inference_sizes"] == [SIZE, 48]
    net = build_net("convlstm-fast", **new["config"].get("arch_kwargs", {}))
    net.load_state_dict(new["model"])
    net.eval()
    x = torch.from_numpy(np.random.default_rng(1).normal(size=(1, 3, SIZE, SIZE)).astype(np.float32))
    got = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"]).run(None, {"slices": x.numpy()})[0]
    with torch.no_grad():
        want = LogitEnsemble([net], sizes=[SIZE, 48])(x).numpy()
    assert np.abs(got - want).max() < 1e-3


def test_a_bundles_input_sizes_reach_the_config_when_its_training_run_is_the_checkpoint(tmp_path, monkeypatch):
    """A bundle without checkpoint.pt whose training run is on this machine: the run's config does not name the sizes,
    the bundle's metadata does, and the base config carries them (else the first retraining would drop the graph)."""
    import lungburden.retrain as rt

    run, _cache = make_base_run(tmp_path)
    monkeypatch.setattr(rt, "RUNS_DIR", run.parent)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "metadata.json").write_text(json.dumps({
        "architecture": f"convlstm-fast-sizes{SIZE}-48", "input": {"height": SIZE, "width": SIZE},
        "training": {"config": {"run": run.name, "arch": "convlstm-fast", "inference_sizes": [SIZE, 48]}}}))
    base = rt.resolve_base(bundle)
    assert base["ckpt_path"] == run / "final.pt" and base["cfg"]["inference_sizes"] == [SIZE, 48]
    assert "inference_sizes" not in torch.load(run / "final.pt", map_location="cpu")["config"]
