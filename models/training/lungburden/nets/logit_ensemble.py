"""An output ensemble of several networks of one architecture, optionally mirror-averaged (issue 14, accurate bundle).

``LogitEnsemble(members, mirror)(x)`` is the mean of the members' logits; with ``mirror`` it is also averaged over the
left-right mirror (:func:`lungburden.nets.mirror_tta.mirror_average`, the average the current accurate bundle
exports). The mean is of logits, as the mirror average already is, so a one-member ensemble with ``mirror`` computes
exactly what ``lung-burden-convlstm-tta`` 1.3.0 computes. Input, output and cost model: same contract as any bundle, at
``len(members) x (2 if mirror else 1)`` network passes.

``sizes`` (issue 14, the multi-scale average): the input is also resampled (bilinear) to each of these square sizes,
run, and its logits resampled back to the input size before the mean; the input's own size runs as is. A 160 px
second size lifted MedSeg GGO (``DECISION-1.18.0-sizes.md``); why is not established: training MedSeg at the scale it
is run at did not reproduce the gain (``DECISION-1.20.0.md``). 192 + 176 px kept the gain without the whole-chest
cost of 160 px and is the shipped accurate graph (``DECISION-1.22.0.md``, ``DECISION-1.23.0.md``). Cost:
``(size / input size)^2`` of a pass per extra size.

``split_only`` (with ``sizes``; ``DECISION-1.22.0.md``): the sizes decide only GGO vs high opacity. The background
probability is the input size's own (so lesion vs background is exactly the one-size ensemble's), and the lesion is
shared out as p(HO | lesion) of the multi-scale mean. The output is then log-probabilities, which are valid logits
(softmax gives them back). Class order: background, GGO, high opacity.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .mirror_tta import mirror_average


class LogitEnsemble(nn.Module):
    def __init__(self, members: list[nn.Module], mirror: bool = False, sizes: list[int] | None = None,
                 split_only: bool = False):
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if sizes is not None and (not sizes or any(int(v) < 32 or int(v) % 16 for v in sizes)):
            raise ValueError(f"sizes must be multiples of 16 of at least 32, got {sizes}")
        self.members = nn.ModuleList(members)
        self.mirror = mirror
        self.sizes = [int(v) for v in sizes] if sizes else None
        if split_only and (self.sizes is None or len(self.sizes) < 2):
            raise ValueError("split_only needs two or more sizes")
        self.split_only = split_only

    def _mean(self, x: torch.Tensor) -> torch.Tensor:
        out = self.members[0](x)
        for m in self.members[1:]:
            out = out + m(x)
        return out / len(self.members)

    def _one_scale(self, x: torch.Tensor) -> torch.Tensor:
        return mirror_average(self._mean, x) if self.mirror else self._mean(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.sizes:
            return self._one_scale(x)
        rows, cols = int(x.shape[-2]), int(x.shape[-1])
        outs = []
        own: torch.Tensor | None = None
        for n in self.sizes:
            if (n, n) == (rows, cols):
                own = self._one_scale(x)
                outs.append(own)
                continue
            y = self._one_scale(F.interpolate(x, size=(n, n), mode="bilinear", align_corners=False))
            outs.append(F.interpolate(y, size=(rows, cols), mode="bilinear", align_corners=False))
        out = outs[0]
        for o in outs[1:]:
            out = out + o
        out = out / len(outs)
        if not self.split_only:
            return out
        if own is None:
            raise ValueError(f"split_only: the input size {rows}x{cols} must be one of the sizes {self.sizes}")
        return split_from(own, out)


def split_from(lesion_logits: torch.Tensor, split_logits: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Log-probabilities whose background is ``lesion_logits``' and whose GGO / HO shares of the lesion are
    ``split_logits``' (p(HO | lesion) of their softmax)."""
    bg = torch.softmax(lesion_logits, dim=1)[:, :1].clamp(eps, 1 - eps)
    q = torch.softmax(split_logits, dim=1)
    ho = (q[:, 2:3] / (q[:, 1:2] + q[:, 2:3]).clamp_min(eps)).clamp(eps, 1 - eps)
    lesion = 1 - bg
    return torch.log(torch.cat([bg, lesion * (1 - ho), lesion * ho], dim=1))

