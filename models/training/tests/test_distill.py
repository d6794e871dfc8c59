"""The teacher terms (lungburden.distill): what they train, where, and that a run with a teacher trains and resumes."""
import json

import torch
from test_train_smoke import SIZE, _tiny_cache

import lungburden.train as train_module
from lungburden.data.preprocess import PreprocessConfig
from lungburden.distill import distillation_loss, load_teacher, pseudo_split_target, teacher_terms
from lungburden.train import Source, load_config, make_batch, train


def _logits(*pixels):
    """Logits ``[1, 3, 1, n]`` from per-pixel triples."""
    return torch.tensor(pixels, dtype=torch.float32).T.reshape(1, 3, 1, len(pixels))


def test_distillation_is_zero_for_the_teacher_itself_and_grows_with_disagreement():
    t = _logits((2.0, 0.0, -1.0), (0.0, 3.0, 1.0))
    assert float(distillation_loss(t, t)) < 1e-7
    near = distillation_loss(t + _logits((0.1, 0, 0), (0, 0.1, 0)), t)
    far = distillation_loss(_logits((-1.0, 2.0, 0.0), (3.0, 0.0, 0.0)), t)
    assert 0 < float(near) < float(far)
    # T^2 scaling keeps the gradient's size comparable across temperatures
    assert float(distillation_loss(far.new_zeros(1, 3, 1, 2), t, temperature=2.0)) > 0


def test_pseudo_split_only_inside_the_true_lesion_and_where_the_teacher_is_confident():
    # pixel 0: HO confident; 1: GGO confident; 2: undecided (p(HO|lesion) = 0.5); 3: HO confident, but not true lesion
    teacher = _logits((0, 0, 4), (0, 4, 0), (0, 1, 1), (0, 0, 4))
    lesion = torch.tensor([[[True, True, True, False]]])
    target = pseudo_split_target(teacher, lesion, 0.8)
    assert target.tolist() == [[[2, 1, 0, 0]]]


def test_teacher_terms_apply_the_pseudo_split_to_partial_samples_only():
    teacher = torch.cat([_logits((0, 0, 4), (0, 4, 0))] * 2)
    student = torch.cat([_logits((0, 4, 0), (0, 0, 4))] * 2)  # the opposite split
    target = torch.ones(2, 1, 2, dtype=torch.long)
    spec = {"distill_weight": 0.0, "pseudo_split_weight": 1.0, "min_confidence": 0.8}
    none_partial = teacher_terms(spec, student, teacher, target, torch.tensor([0, 0]))
    one_partial = teacher_terms(spec, student, teacher, target, torch.tensor([0, 1]))
    assert float(none_partial) == 0.0 and float(one_partial) > 1.0


def test_a_run_with_a_teacher_trains_resumes_and_leaves_the_teacher_unchanged(tmp_path):
    cache, *_ = _tiny_cache(tmp_path)
    base = {"steps": 2, "warmup": 1, "eval_every": 100, "ckpt_every_s": 1e9, "monitor": {},
            "preprocess": {"height": SIZE, "width": SIZE},
            "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 2, "hu": True}}}
    first = train(load_config(None, {**base, "run": "teacher"}), cache, tmp_path / "runs", quiet=True)
    ckpt = first / "final.pt"
    before = {k: v.clone() for k, v in torch.load(ckpt)["model"].items()}
    spec = {"checkpoint": str(ckpt), "distill_weight": 1.0, "pseudo_split_weight": 0.5}
    student = train(load_config(None, {**base, "run": "student", "teacher": spec}), cache, tmp_path / "runs", quiet=True)
    log = [json.loads(ln) for ln in (student / "log.jsonl").read_text().splitlines() if '"step"' in ln]
    assert [r["step"] for r in log] == [1, 2] and all(r["loss"] == r["loss"] for r in log)
    after = torch.load(ckpt)["model"]
    assert all(torch.equal(before[k], after[k]) for k in before)
    teacher = load_teacher(spec, "convlstm-fast", torch.device("cpu"))
    assert not teacher.training and not any(p.requires_grad for p in teacher.parameters())
    clean = train(load_config(None, {**base, "run": "clean-view", "p_display": 1.0,
                                     "teacher": {**spec, "clean_view": True}}), cache, tmp_path / "runs", quiet=True)
    log = [json.loads(ln) for ln in (clean / "log.jsonl").read_text().splitlines() if '"step"' in ln]
    assert [r["step"] for r in log] == [1, 2] and all(r["loss"] == r["loss"] for r in log)


def _clean_view_cfg(tmp_path, clean_view: bool, p_display: float = 1.0) -> tuple[dict, dict]:
    cache, *_ = _tiny_cache(tmp_path)
    cfg = load_config(None, {"steps": 1, "run": "views", "preprocess": {"height": SIZE, "width": SIZE},
                             "p_display": p_display, "p_8bit": 0.5,
                             "teacher": {"checkpoint": "unused.pt", "clean_view": clean_view},
                             "sources": {"synth": {"files": ["synth_tiny.npz"], "per_batch": 4, "hu": True}}})
    return cfg, {"synth": Source([cache / "synth_tiny.npz"])}


def test_the_clean_view_teacher_sees_the_student_batch_without_the_display_curve(tmp_path, monkeypatch):
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cfg, sources = _clean_view_cfg(tmp_path, clean_view=True)
    shown = make_batch(sources, cfg, 3, pre)
    assert shown.x_teacher is not None and shown.x_teacher.shape == shown.x.shape
    assert not torch.allclose(shown.x_teacher, shown.x)  # p_display 1: every student sample is re-displayed
    # with the display curve made the identity (same draws consumed), the two views are bit-identical: the teacher's
    # view shares the student's geometry, 8-bit render, gain, gamma and noise, and differs by the display curve only
    real = train_module.display_curve
    monkeypatch.setattr(train_module, "display_curve", lambda x, p, g, q, **kw: (real(x, p, g, q, **kw), x)[1])
    same = make_batch(sources, cfg, 3, pre)
    assert torch.equal(same.x_teacher, same.x)
    assert torch.equal(same.x_teacher, shown.x_teacher) and torch.equal(same.y, shown.y)


def test_without_clean_view_or_display_curves_the_teacher_sees_the_student_input(tmp_path):
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cfg, sources = _clean_view_cfg(tmp_path, clean_view=False)
    assert make_batch(sources, cfg, 0, pre).x_teacher is None
    cfg, sources = _clean_view_cfg(tmp_path / "b", clean_view=True, p_display=0.0)
    assert make_batch(sources, cfg, 0, pre).x_teacher is None


def test_the_clean_view_teacher_also_sees_the_batch_before_the_low_resolution_alteration(tmp_path):
    pre = PreprocessConfig(height=SIZE, width=SIZE)
    cfg, sources = _clean_view_cfg(tmp_path, clean_view=True, p_display=0.0)
    cfg["p_lowres"] = 1.0
    shown = make_batch(sources, cfg, 2, pre)
    assert shown.x_teacher is not None and not torch.allclose(shown.x_teacher, shown.x)
    # the teacher's view is sharper: larger pixel-to-pixel differences than the student's
    assert shown.x_teacher.diff(dim=-1).abs().mean() > shown.x.diff(dim=-1).abs().mean()
