"""Name -> network constructor, and the input size each network expects."""
from __future__ import annotations

from collections.abc import Callable

from torch import nn

from .faithful import FaithfulConvLSTMNet
from .fast import FastConvLSTMNet
from .logit_ensemble import LogitEnsemble
from .split_head import SplitHeadNet


def build_logit_ensemble(member_arch: str, member_kwargs: dict, n_members: int, mirror: bool = False,
                         sizes: list[int] | None = None, split_only: bool = False) -> LogitEnsemble:
    """Arch ``logit-ensemble`` (:mod:`lungburden.ensemble`): ``n_members`` fresh members whose weights the
    checkpoint's ``members.<i>.*`` entries then fill."""
    if member_arch == "logit-ensemble":
        raise ValueError("an ensemble's members cannot be ensembles")
    return LogitEnsemble([build_net(member_arch, **member_kwargs) for _ in range(n_members)], mirror=mirror, sizes=sizes,
                         split_only=split_only)


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
