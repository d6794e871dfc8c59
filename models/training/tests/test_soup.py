"""The uniform weight soup (lungburden.soup): exact means, refusals, and a soup that the evaluation loads."""
import pytest
import torch

from lungburden.checkpoints import load_model
from lungburden.nets.registry import build_net
from lungburden.soup import average_state_dicts, build_soup


def test_floats_are_averaged_and_integer_buffers_kept_from_the_first_member():
    a = {"w": torch.tensor([1.0, 2.0]), "bn.num_batches_tracked": torch.tensor(5)}
    b = {"w": torch.tensor([3.0, 6.0]), "bn.num_batches_tracked": torch.tensor(9)}
    c = {"w": torch.tensor([2.0, 1.0]), "bn.num_batches_tracked": torch.tensor(1)}
    out = average_state_dicts([a, b, c])
    assert torch.allclose(out["w"], torch.tensor([2.0, 3.0]))
    assert int(out["bn.num_batches_tracked"]) == 5


def test_mismatched_members_are_refused():
    with pytest.raises(ValueError, match="at least two"):
        average_state_dicts([{"w": torch.zeros(1)}])
    with pytest.raises(ValueError, match="other parameters"):
        average_state_dicts([{"w": torch.zeros(1)}, {"v": torch.zeros(1)}])
    with pytest.raises(ValueError, match="shape"):
        average_state_dicts([{"w": torch.zeros(1)}, {"w": torch.zeros(2)}])


def _member(tmp_path, name, seed, arch_kwargs):
    torch.manual_seed(seed)
    net = build_net("convlstm-fast", **arch_kwargs)
    cfg = {"run": name, "arch": "convlstm-fast", "arch_kwargs": arch_kwargs, "teacher": {"checkpoint": "x"}}
    path = tmp_path / f"{name}.pt"
    torch.save({"model": net.state_dict(), "config": cfg, "step": seed}, path)
    return path, net


def test_a_soup_of_real_members_loads_as_a_run_and_refuses_other_architectures(tmp_path):
    kw = {"dense_window_hu": [-300, 100]}
    (p1, n1), (p2, n2) = _member(tmp_path, "a", 1, kw), _member(tmp_path, "b", 2, kw)
    soup = build_soup([p1, p2], "soup-test")
    run = tmp_path / "soup-test"
    run.mkdir()
    torch.save(soup, run / "final.pt")
    model, cfg, _ = load_model(run)
    assert cfg["soup"]["method"] == "uniform" and len(cfg["soup"]["members"]) == 2
    assert "teacher" not in cfg  # a soup trains nothing; the members' teacher block does not describe it
    name = next(k for k, v in n1.state_dict().items() if v.is_floating_point() and v.dim() == 4)
    expected = (n1.state_dict()[name] + n2.state_dict()[name]) / 2
    assert torch.allclose(model.state_dict()[name], expected, atol=1e-6)
    p3, _ = _member(tmp_path, "c", 3, {})
    with pytest.raises(ValueError, match="architecture"):
        build_soup([p1, p3], "mixed")
