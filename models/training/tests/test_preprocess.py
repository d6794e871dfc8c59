"""Preprocessing contract: golden fixture reproducible, crop box rules, inverse mapping."""
import json
from pathlib import Path

import numpy as np

from lungburden.data.preprocess import PreprocessConfig, body_box, crop_to_slice, resize_box, window_indices
from lungburden.golden import OUT_DIR, write_golden, write_golden_antialias


def test_golden_fixture_is_reproducible(tmp_path: Path):
    write_golden(tmp_path)
    write_golden_antialias(tmp_path)
    for name in ("golden.json", "golden-antialias.json"):
        committed = json.loads((OUT_DIR / name).read_text())
        fresh = json.loads((tmp_path / name).read_text())
        assert fresh == committed, name
        for f in [committed["volume"]["file"]] + [c["file"] for c in committed["cases"]]:
            assert (tmp_path / f).read_bytes() == (OUT_DIR / f).read_bytes(), f
    assert sum(p.stat().st_size for p in OUT_DIR.iterdir()) < 1_000_000


def test_the_antialiased_golden_set_filters_every_case():
    g = json.loads((OUT_DIR / "golden-antialias.json").read_text())
    for c in g["cases"]:
        assert c["preprocessing"]["antialias"] is True
        assert c["box"]["side"] > c["height"] or c["box"]["side"] > c["width"], c["file"]


def test_window_indices_repeat_edges():
    assert window_indices(0, 5, 3) == [0, 0, 1]
    assert window_indices(4, 5, 3) == [3, 4, 4]
    assert window_indices(2, 5, 5) == [0, 1, 2, 3, 4]


def test_body_box_square_and_largest_component():
    img = np.full((50, 80), -1000.0)
    img[10:30, 20:60] = 40.0   # body 20 x 40
    img[40:45, 0:10] = 40.0    # smaller object
    rs, cs, side = body_box(img, PreprocessConfig(body_crop_margin_px=2))
    assert side == 44 and cs == 18 and rs == 10 - 2 - (44 - 24) // 2
    assert body_box(np.full((6, 8), -1000.0), PreprocessConfig(body_crop_margin_px=0)) == (-1, 0, 8)


def test_resize_identity_and_inverse():
    rng = np.random.default_rng(0)
    img = rng.normal(size=(32, 32))
    out = resize_box(img, (0, 0, 32), 32, 32)
    assert np.allclose(out, img)
    maps = rng.normal(size=(3, 16, 16)).astype(np.float32)
    back = crop_to_slice(maps, (0, 0, 16), 16, 16)
    assert np.allclose(back, maps, atol=1e-6)


def test_antialias_is_off_by_default_and_in_metadata_only_when_on():
    assert PreprocessConfig().antialias is False
    assert "antialias" not in PreprocessConfig().to_metadata()
    assert PreprocessConfig(antialias=True).to_metadata()["antialias"] is True


def test_antialias_sigma_and_weights():
    from lungburden.data.preprocess import antialias_sigma, gaussian_weights
    assert antialias_sigma(192, 192) == 0.0 and antialias_sigma(100, 192) == 0.0
    assert antialias_sigma(576, 192) == 1.0
    w = gaussian_weights(1.0)
    assert w.size == 7 and abs(w.sum() - 1) < 1e-12 and w[3] == w.max() and np.allclose(w, w[::-1])


def test_antialias_removes_aliasing_of_a_fine_pattern_and_keeps_flat_regions():
    # a one-pixel checkerboard decimated 3x aliases to a strong pattern; the prefilter removes it
    img = np.where((np.add.outer(np.arange(96), np.arange(96)) % 2) == 0, 100.0, -100.0)
    box = (0, 0, 96)
    plain = resize_box(img, box, 32, 32)
    smooth = resize_box(img, box, 32, 32, antialias=True)
    inner = (slice(4, -4), slice(4, -4))
    assert plain[inner].std() > 50 and smooth[inner].std() < 5
    flat = np.full((96, 96), 40.0)
    assert np.allclose(resize_box(flat, box, 32, 32, antialias=True)[inner], 40.0)
    # not decimating: identical to the plain resize
    assert np.array_equal(resize_box(img, (0, 0, 96), 96, 96, antialias=True), resize_box(img, (0, 0, 96), 96, 96))


def test_antialias_pads_with_air_outside_the_slice():
    from lungburden.data.preprocess import PAD_HU, antialias_slice
    img = np.full((30, 30), 0.0)
    out = antialias_slice(img, (0, 0, 90), 30, 30)
    assert out[15, 15] == 0.0 and out[0, 15] < -100 and out[0, 15] > PAD_HU


def test_a_run_with_the_antialiased_resize_is_exported_with_the_flag(tmp_path: Path, monkeypatch):
    """The application implements the antialiased resize: export no longer refuses such a run, and metadata.json
    says ``preprocessing.antialias: true`` (ONNX export, panel and card are stubbed: they do not read the flag)."""
    import torch

    from lungburden import bundle
    from lungburden.nets.registry import build_net
    from lungburden.onnx_bundle import build_metadata

    def write_bundle_without_onnx(model, out_dir: Path, *, pre: PreprocessConfig, **kw) -> dict:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "model.onnx").write_bytes(b"not exported in this test")
        meta = build_metadata(onnx_path=out_dir / "model.onnx", pre=pre, **kw)
        (out_dir / "metadata.json").write_text(json.dumps(meta))
        return meta

    monkeypatch.setattr(bundle, "write_bundle", write_bundle_without_onnx)
    monkeypatch.setattr(bundle, "make_panel", lambda *a, **k: None)
    monkeypatch.setattr(bundle, "write_model_card", lambda *a, **k: None)
    net = build_net("convlstm-fast").eval()
    run = tmp_path / "aa"
    run.mkdir()
    cfg = {"run": "aa", "arch": "convlstm-fast", "arch_kwargs": {}, "preprocess": {"antialias": True}, "sources": {}}
    torch.save({"model": net.state_dict(), "config": cfg, "step": 1}, run / "final.pt")
    (run / "metrics.json").write_text("{}")
    meta = bundle.export_trained_run(run, tmp_path / "bundle", "lung-burden-convlstm-fast")
    assert meta["preprocessing"]["antialias"] is True
    assert json.loads((tmp_path / "bundle" / "metadata.json").read_text())["preprocessing"]["antialias"] is True


def test_refreshing_a_bundles_metrics_keeps_its_preprocessing(tmp_path: Path, monkeypatch):
    """``evaluate --bundle`` rewrites the metrics block only: the antialias flag (and the rest of the contract) stays."""
    from lungburden import bundle

    monkeypatch.setattr(bundle, "flat_metrics", lambda m: m["flat"])
    monkeypatch.setattr(bundle, "write_model_card", lambda *a, **k: None)
    pre = {**PreprocessConfig(antialias=True).to_metadata()}
    (tmp_path / "metadata.json").write_text(json.dumps({"preprocessing": pre, "metrics": {"old": 1.0}}))
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.json").write_text(json.dumps({"flat": {"medseg_val_dice_lesion": 0.67, "ma20_val_dice_lesion": None}}))
    bundle.refresh_bundle_metrics(tmp_path, run)
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert meta["preprocessing"] == pre and meta["preprocessing"]["antialias"] is True
    assert meta["metrics"] == {"medseg_val_dice_lesion": 0.67, "ma20_val_dice_lesion": None}


def test_retrain_takes_the_antialias_flag_from_the_bundle_metadata():
    from lungburden.retrain import with_bundle_antialias
    cfg = {"arch": "convlstm-fast", "preprocess": {"height": 192}}
    aa_meta = {"preprocessing": {"antialias": True}}
    assert with_bundle_antialias(cfg, aa_meta)["preprocess"] == {"height": 192, "antialias": True}
    assert with_bundle_antialias(cfg, {"preprocessing": {}}) is cfg  # absent = false = the config's default
    on = {"preprocess": {"antialias": True}}
    assert with_bundle_antialias(on, {"preprocessing": {}})["preprocess"]["antialias"] is False
    assert cfg == {"arch": "convlstm-fast", "preprocess": {"height": 192}}  # not modified in place
