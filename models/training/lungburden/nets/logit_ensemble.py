"""An output ensemble of several networks of one architecture, optionally mirror-averaged (issue 14, accurate bundle).

``LogitEnsemble(members, mirror)(x)`` is the mean of the members' logits; with ``mirror`` it is also averaged over the
left-right mirror (:class:`lungburden.nets.mirror_tta.MirrorAveraged`, the same average the current accurate bundle
exports). The mean is of logits, as the mirror average already is, so a one-member ensemble with ``mirror`` computes
exactly what ``lung-burden-convlstm-tta`` 1.3.0 computes. Input, output and cost model: same contract as any bundle, at
``len(members) x (2 if mirror else 1)`` network passes.
"""
from __future__ import annotations

import torch
from torch import nn


class LogitEnsemble(nn.Module):
    def __init__(self, members: list[nn.Module], mirror: bool = False):
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        self.members = nn.ModuleList(members)
        self.mirror = mirror

    def _mean(self, x: torch.Tensor) -> torch.Tensor:
        out = self.members[0](x)
        for m in self.members[1:]:
            out = out + m(x)
        return out / len(self.members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.mirror:
            return self._mean(x)
        both = self._mean(torch.cat([x, x.flip(-1)], dim=0))
        b = x.shape[0]
        return (both[:b] + both[b:].flip(-1)) / 2


def build_logit_ensemble(member_arch: str, member_kwargs: dict, n_members: int, mirror: bool = False) -> LogitEnsemble:
    """The registry constructor (arch ``logit-ensemble``): ``n_members`` fresh members whose weights the checkpoint's
    ``members.<i>.*`` entries then fill."""
    from .registry import build_net  # the registry imports this module

    if member_arch == "logit-ensemble":
        raise ValueError("an ensemble's members cannot be ensembles")
    return LogitEnsemble([build_net(member_arch, **member_kwargs) for _ in range(n_members)], mirror=mirror)
