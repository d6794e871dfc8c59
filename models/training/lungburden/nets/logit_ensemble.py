"""An output ensemble of several networks of one architecture, optionally mirror-averaged (issue 14, accurate bundle).

``LogitEnsemble(members, mirror)(x)`` is the mean of the members' logits; with ``mirror`` it is also averaged over the
left-right mirror (:func:`lungburden.nets.mirror_tta.mirror_average`, the average the current accurate bundle
exports). The mean is of logits, as the mirror average already is, so a one-member ensemble with ``mirror`` computes
exactly what ``lung-burden-convlstm-tta`` 1.3.0 computes. Input, output and cost model: same contract as any bundle, at
``len(members) x (2 if mirror else 1)`` network passes.
"""
from __future__ import annotations

import torch
from torch import nn

from .mirror_tta import mirror_average


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
        return mirror_average(self._mean, x) if self.mirror else self._mean(x)

