"""Trained checkpoints (``runs/<run>/final.pt`` / ``last.pt``) back as evaluation-ready models."""
from __future__ import annotations

from pathlib import Path

import torch

from .nets.registry import build_net


def load_model(run_dir: Path, which: str = "final.pt"):
    ck = torch.load(run_dir / which, map_location="cpu")
    cfg = ck["config"]
    model = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    model.load_state_dict(ck["model"])
    return model.eval(), cfg, ck
