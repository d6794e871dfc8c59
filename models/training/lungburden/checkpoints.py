"""Trained checkpoints (``runs/<run>/final.pt`` / ``last.pt``) back as evaluation-ready models, and runs that are built
from other runs (soups, ensembles) written as if they had been trained."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from .nets.registry import build_net


def load_model(run_dir: Path, which: str = "final.pt"):
    ck = torch.load(run_dir / which, map_location="cpu")
    cfg = ck["config"]
    model = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    model.load_state_dict(ck["model"])
    return model.eval(), cfg, ck


def write_built_run(out: Path, ck: dict) -> Path:
    """``out/final.pt`` (the checkpoint ``{model, config, step}``) and ``out/config.json``, so that ``evaluate``,
    ``export`` and ``evaluate-candidate.sh`` treat a run built from other runs like a trained one."""
    out.mkdir(parents=True, exist_ok=True)
    torch.save(ck, out / "final.pt")
    (out / "config.json").write_text(json.dumps(ck["config"], indent=2) + "\n")
    return out / "final.pt"


def only_member_is(ensemble_state: dict, weights: dict) -> bool:
    """Whether the first member of an ensemble checkpoint's ``model`` (keys ``members.0.*``) has exactly ``weights``:
    the check before a bundle is labelled with an ensemble run's figures (``export_tta``, ``export_sizes``)."""
    member = {k.removeprefix("members.0."): v for k, v in ensemble_state.items() if k.startswith("members.0.")}
    return member.keys() == weights.keys() and all(torch.equal(member[k], weights[k]) for k in member)
