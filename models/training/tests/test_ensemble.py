"""The logit ensemble (lungburden.ensemble, nets.logit_ensemble): exact means, the mirror, refusals, loading as a run."""
import pytest
import torch

from lungburden.bundle import export_trained_run
from lungburden.checkpoints import load_model
from lungburden.ensemble import build_ensemble
from lungburden.nets.mirror_tta import MirrorAveraged
from lungburden.nets.registry import build_net

KW = {"dense_window_hu": [-300, 100]}


def _member(tmp_path, name, seed, arch_kwargs=KW, preprocess=None):
    torch.manual_seed(seed)
    net = build_net("convlstm-fast", **arch_kwargs).eval()
    cfg = {"run": name, "arch": "convlstm-fast", "arch_kwargs": arch_kwargs, "teacher": {"checkpoint": "x"},
           "preprocess": preprocess or {}}
    path = tmp_path / f"{name}.pt"
    torch.save({"model": net.state_dict(), "config": cfg, "step": seed}, path)
    return path, net


def _save_and_load(tmp_path, ens):
    run = tmp_path / "ens"
    run.mkdir()
    torch.save(ens, run / "final.pt")
    return load_model(run)


def test_the_ensemble_is_the_mean_of_its_members_logits_and_loads_as_a_run(tmp_path):
    (p1, n1), (p2, n2) = _member(tmp_path, "a", 1), _member(tmp_path, "b", 2)
    model, cfg, _ = _save_and_load(tmp_path, build_ensemble([p1, p2], "ens", mirror=False))
    assert cfg["arch"] == "logit-ensemble" and "teacher" not in cfg
    assert [m["run"] for m in cfg["ensemble"]["members"]] == ["a", "b"]
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), (n1(x) + n2(x)) / 2, atol=1e-5)


def test_a_one_member_mirror_ensemble_is_the_mirror_averaged_bundle(tmp_path):
    p1, n1 = _member(tmp_path, "a", 3)
    model, _, _ = _save_and_load(tmp_path, build_ensemble([p1], "ens", mirror=True))
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), MirrorAveraged(n1).eval()(x), atol=1e-5)


def test_members_that_do_not_share_one_contract_are_refused(tmp_path):
    p1, _ = _member(tmp_path, "a", 1)
    p2, _ = _member(tmp_path, "b", 2, arch_kwargs={})
    p3, _ = _member(tmp_path, "c", 3, preprocess={"slice_window": 5})
    with pytest.raises(ValueError, match="architecture arguments"):
        build_ensemble([p1, p2], "x", mirror=False)
    with pytest.raises(ValueError, match="preprocessing"):
        build_ensemble([p1, p3], "x", mirror=False)
    with pytest.raises(ValueError, match="at least one"):
        build_ensemble([], "x", mirror=False)


def test_an_ensemble_run_is_not_exported_as_a_bundle(tmp_path):
    p1, _ = _member(tmp_path, "a", 1)
    _save_and_load(tmp_path, build_ensemble([p1], "ens", mirror=True))
    with pytest.raises(ValueError, match="logit ensemble"):
        export_trained_run(tmp_path / "ens", tmp_path / "bundle", "lung-burden-convlstm-tta")
    assert not (tmp_path / "bundle").exists()


def test_export_tta_takes_every_figure_of_the_mirror_run_of_the_same_network_and_refuses_another(tmp_path):
    import json

    from lungburden.export_tta import mirror_run_metrics

    (p1, _), (p2, _) = _member(tmp_path, "a", 1), _member(tmp_path, "b", 2)
    run = tmp_path / "mirror-run"
    run.mkdir()
    torch.save(build_ensemble([p1], "mirror-run", mirror=True), run / "final.pt")
    (run / "metrics.json").write_text(json.dumps({"medseg": {"dice_lesion": 0.7}, "ma20_patients": {"dice_lesion": 0.6}}))
    weights = torch.load(p1, map_location="cpu")["model"]
    assert mirror_run_metrics(weights, run) == {"medseg_val_dice_lesion": 0.7, "ma20_patients_val_dice_lesion": 0.6}
    with pytest.raises(ValueError, match="not those of the source bundle"):
        mirror_run_metrics(torch.load(p2, map_location="cpu")["model"], run)
    torch.save(build_ensemble([p1], "plain", mirror=False), run / "final.pt")
    with pytest.raises(ValueError, match="not a mirror-averaged run"):
        mirror_run_metrics(weights, run)


def _source_bundle(tmp_path, member_path):
    """A fast bundle folder (checkpoint.pt + metadata.json) whose contract the ensemble must share."""
    import json

    src = tmp_path / "fast-bundle"
    src.mkdir()
    ck = torch.load(member_path, map_location="cpu")
    torch.save(ck, src / "checkpoint.pt")
    meta = {"name": "lung-burden-convlstm-fast", "version": "1.16.0", "architecture": "convlstm-fast",
            "input": {"name": "slices", "sliceWindow": 3, "height": 64, "width": 64}, "output": {"name": "logits"},
            "training": {"data": ["d"], "config": ck["config"]}, "metrics": {"medseg_val_dice_lesion": 0.1},
            "postprocessing": {"lesionThreshold": 0.5, "hoThreshold": 0.5, "zSmoothingRadius": 1}}
    (src / "metadata.json").write_text(json.dumps(meta))
    return src


def test_export_tta_writes_a_two_member_ensemble_into_the_graph_with_its_own_rule_and_figures(tmp_path):
    import json

    ort = pytest.importorskip("onnxruntime")
    from lungburden.export_tta import export_ensemble

    (p1, n1), (p2, n2) = _member(tmp_path, "a", 1), _member(tmp_path, "b", 2)
    src = _source_bundle(tmp_path, p1)
    run = tmp_path / "ens-run"
    run.mkdir()
    torch.save(build_ensemble([p1, p2], "ens-run", mirror=True), run / "final.pt")
    with pytest.raises(ValueError, match="postprocess.json"):
        export_ensemble(src, run, tmp_path / "b0", "1.18.0")
    (run / "postprocess.json").write_text(json.dumps({"lesionThreshold": 0.4, "hoThreshold": 0.7, "zSmoothingRadius": 1,
                                                      "chosenOn": "tuning slices"}))
    with pytest.raises(ValueError, match="metrics.json"):
        export_ensemble(src, run, tmp_path / "b0", "1.18.0")
    assert not (tmp_path / "b0").exists()
    (run / "metrics.json").write_text(json.dumps({"medseg": {"dice_lesion": 0.7}, "ma20_patients": {"dice_lesion": 0.6}}))
    out = tmp_path / "bundle"
    meta = export_ensemble(src, run, out, "1.18.0")
    assert meta["architecture"] == "convlstm-fast-ensemble2+mirror-tta"  # segment skips its own mirror average
    assert meta["version"] == "1.18.0" and meta["name"] == "lung-burden-convlstm-tta"
    assert meta["postprocessing"] == {"lesionThreshold": 0.4, "hoThreshold": 0.7, "zSmoothingRadius": 1}
    assert meta["metrics"] == {"medseg_val_dice_lesion": 0.7, "ma20_patients_val_dice_lesion": 0.6}
    assert [m["run"] for m in meta["training"]["ensemble"]["members"]] == ["a", "b"]
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want = (MirrorAveraged(n1).eval()(x) + MirrorAveraged(n2).eval()(x)) / 2
    got = ort.InferenceSession(str(out / "model.onnx")).run(None, {"slices": x.numpy()})[0]
    assert abs(got - want.numpy()).max() < 1e-4


def test_export_tta_refuses_an_ensemble_of_one_or_of_another_contract(tmp_path):
    from lungburden.export_tta import export_ensemble

    p1, _ = _member(tmp_path, "a", 1)
    p3, _ = _member(tmp_path, "c", 3, preprocess={"antialias": True})
    run = tmp_path / "ens-run"
    run.mkdir()
    torch.save(build_ensemble([p1], "one", mirror=True), run / "final.pt")
    with pytest.raises(ValueError, match="two or more"):
        export_ensemble(_source_bundle(tmp_path, p1), run, tmp_path / "b", "1.18.0")
    torch.save(build_ensemble([p3, p3], "other", mirror=True), run / "final.pt")
    with pytest.raises(ValueError, match="preprocessing differ"):
        export_ensemble(tmp_path / "fast-bundle", run, tmp_path / "b", "1.18.0")
    assert not (tmp_path / "b").exists()


def test_the_multi_scale_average_is_the_mean_over_input_sizes_and_exports_as_one_graph(tmp_path):
    import json

    import torch.nn.functional as F

    ort = pytest.importorskip("onnxruntime")
    from lungburden.export_tta import export_ensemble
    from lungburden.nets.logit_ensemble import LogitEnsemble

    p1, n1 = _member(tmp_path, "a", 1)
    x = torch.randn(2, 3, 64, 64)
    mirrored = MirrorAveraged(n1).eval()
    with torch.no_grad():
        small = F.interpolate(mirrored(F.interpolate(x, size=(48, 48), mode="bilinear", align_corners=False)),
                              size=(64, 64), mode="bilinear", align_corners=False)
        want = (mirrored(x) + small) / 2
        assert torch.allclose(LogitEnsemble([n1], mirror=True, sizes=[64, 48])(x), want, atol=1e-5)
    for bad in ([], [40], [16]):
        with pytest.raises(ValueError, match="multiples of 16"):
            LogitEnsemble([n1], sizes=bad)
    src = _source_bundle(tmp_path, p1)
    run = tmp_path / "mst-run"
    run.mkdir()
    torch.save(build_ensemble([p1], "mst-run", mirror=True, sizes=[64, 48]), run / "final.pt")
    (run / "postprocess.json").write_text(json.dumps({"lesionThreshold": 0.55, "hoThreshold": 0.7, "zSmoothingRadius": 1}))
    (run / "metrics.json").write_text(json.dumps({"medseg": {"dice_ggo": 0.5}}))
    meta = export_ensemble(src, run, tmp_path / "bundle", "1.18.0")
    assert meta["architecture"] == "convlstm-fast-sizes64-48+mirror-tta"
    assert load_model(run)[1]["ensemble"]["sizes"] == [64, 48]
    got = ort.InferenceSession(str(tmp_path / "bundle" / "model.onnx")).run(None, {"slices": x.numpy()})[0]
    assert abs(got - want.numpy()).max() < 1e-4


def test_split_only_keeps_the_input_sizes_lesion_and_takes_the_split_from_the_multi_scale_mean(tmp_path):
    import json

    ort = pytest.importorskip("onnxruntime")
    from lungburden.export_tta import export_ensemble
    from lungburden.nets.logit_ensemble import LogitEnsemble

    p1, n1 = _member(tmp_path, "a", 1)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        own = torch.softmax(LogitEnsemble([n1], mirror=True)(x), 1)
        multi = torch.softmax(LogitEnsemble([n1], mirror=True, sizes=[64, 48])(x), 1)
        got = torch.softmax(LogitEnsemble([n1], mirror=True, sizes=[64, 48], split_only=True)(x), 1)
    # lesion vs background: the input size's own; GGO vs HO inside the lesion: the multi-scale mean's
    assert torch.allclose(got[:, 0], own[:, 0], atol=1e-5)
    share = lambda p: p[:, 2] / (p[:, 1] + p[:, 2])  # noqa: E731
    assert torch.allclose(share(got), share(multi), atol=1e-4)
    assert not torch.allclose(got[:, 0], multi[:, 0], atol=1e-3), "the test can tell the two lesion decisions apart"
    with pytest.raises(ValueError, match="two or more sizes"):
        LogitEnsemble([n1], mirror=True, split_only=True)
    with pytest.raises(ValueError, match="must be one of the sizes"), torch.no_grad():
        LogitEnsemble([n1], mirror=True, sizes=[48, 32], split_only=True)(x)
    with pytest.raises(ValueError, match="--split-only needs --sizes"):
        build_ensemble([p1], "x", mirror=True, split_only=True)
    run = tmp_path / "split-run"
    run.mkdir()
    torch.save(build_ensemble([p1], "split-run", mirror=True, sizes=[64, 48], split_only=True), run / "final.pt")
    (run / "postprocess.json").write_text(json.dumps({"lesionThreshold": 0.55, "hoThreshold": 0.7, "zSmoothingRadius": 1}))
    (run / "metrics.json").write_text(json.dumps({"medseg": {"dice_ggo": 0.5}}))
    meta = export_ensemble(_source_bundle(tmp_path, p1), run, tmp_path / "bundle", "1.22.0")
    assert meta["architecture"] == "convlstm-fast-sizes64-48split+mirror-tta"
    assert "decide only GGO vs high opacity" in meta["description"]
    logits = ort.InferenceSession(str(tmp_path / "bundle" / "model.onnx")).run(None, {"slices": x.numpy()})[0]
    assert abs(torch.softmax(torch.from_numpy(logits), 1) - got).max() < 1e-4
