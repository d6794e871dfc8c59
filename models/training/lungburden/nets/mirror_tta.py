"""Left-right mirror test-time augmentation inside the graph (the "accurate" bundle of model 1.4).

``MirrorAveraged(net)(x) = (net(x) + mirror(net(mirror(x)))) / 2`` on the last (column) axis: the same average that
``lung-burden segment`` computes for single 8-bit images (``shared/inference/mirror-average.ts``) and that
:func:`lungburden.evaluate.predict_slice` scores as ``medseg_mirror``, but exported into the ONNX graph, so a bundle
that averages needs no change of the inference contract: it is a second bundle with the same input, output,
preprocessing and decision rule, at twice the network cost.
"""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def mirror_average(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """``(f(x) + mirror(f(mirror(x)))) / 2`` on the column axis, both halves in one batch."""
    both = f(torch.cat([x, x.flip(-1)], dim=0))
    b = x.shape[0]
    return (both[:b] + both[b:].flip(-1)) / 2


class MirrorAveraged(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return mirror_average(self.net, x)
