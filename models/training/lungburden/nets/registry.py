"""Name -> network constructor, and the input size each network expects."""
from __future__ import annotations

from collections.abc import Callable

from torch import nn

from .faithful import FaithfulConvLSTMNet
from .fast import FastConvLSTMNet
from .logit_ensemble import build_logit_ensemble
from .split_head import SplitHeadNet

ARCHITECTURES: dict[str, tuple[Callable[..., nn.Module], int]] = {
    "convlstm-fast": (FastConvLSTMNet, 192),
    "convlstm-faithful": (FaithfulConvLSTMNet, 256),
    "convlstm-fast-split": (SplitHeadNet, 192),
    "logit-ensemble": (build_logit_ensemble, 192),
}


def build_net(name: str, **kwargs) -> nn.Module:
    """Build a network by name (one of :data:`ARCHITECTURES`)."""
    if name not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {name!r}; known: {sorted(ARCHITECTURES)}")
    return ARCHITECTURES[name][0](**kwargs)


def native_size(name: str) -> int:
    return ARCHITECTURES[name][1]
