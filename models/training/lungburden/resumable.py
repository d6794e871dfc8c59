"""Resumable training state of the small trainers (lung mask, orientation): model, optimiser, step
and both random generators in ``runs/<run>/checkpoint.pt``, written atomically (temp + rename)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch


def resume(ckpt: Path, model: torch.nn.Module, opt: torch.optim.Optimizer, rng: np.random.Generator) -> int:
    """Loads the state saved by :func:`save_state` when ``ckpt`` exists; returns the step to continue from."""
    if not ckpt.exists():
        return 0
    st = torch.load(ckpt)
    model.load_state_dict(st["model"])
    opt.load_state_dict(st["opt"])
    rng.bit_generator.state = st["rng"]
    torch.set_rng_state(st["torch_rng"])
    print(f"resumed at step {st['step']}")
    return int(st["step"])


def save_state(ckpt: Path, model: torch.nn.Module, opt: torch.optim.Optimizer, rng: np.random.Generator, step: int) -> None:
    """Writes the training state next to ``ckpt`` and renames it into place (a crash leaves the old one)."""
    tmp = ckpt.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state()}, tmp)
    tmp.replace(ckpt)
