"""OrientNet: 64 x 64 body crop (the lesion model's preprocessing contract) -> 4 orientation logits.

Four conv stages (8, 16, 32, 48 channels, BatchNorm + ReLU, max-pool), then the 4 x 4 x 48 map is
flattened (position matters: the spine is posterior) into one linear layer; about 35 k parameters,
about 12 MMAC per input. :class:`SymmetrisedOrientNet` is what is exported: it runs the net on the 8
D4 images of the input and averages the class probabilities mapped back (so the prediction is
exactly consistent under transposes / flips of the crop, and a little steadier)."""
from __future__ import annotations

import torch
from torch import nn

from .d4 import N_CLASSES, class_action

SIZE = 64


def _conv(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class OrientNet(nn.Module):
    """``x [B, 1, 64, 64]`` (normalised) -> logits ``[B, 4]`` (classes of :mod:`.d4`)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            *_conv(1, 8), *_conv(8, 8), nn.MaxPool2d(2),
            *_conv(8, 16), *_conv(16, 16), nn.MaxPool2d(2),
            *_conv(16, 32), *_conv(32, 32), nn.MaxPool2d(2),
            *_conv(32, 48), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(48 * 4 * 4, N_CLASSES))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def d4_image(x: torch.Tensor, k: int) -> torch.Tensor:
    """``from_upright`` of :mod:`.d4` on the last two axes of ``x [B, 1, H, W]`` (export-friendly)."""
    if k & 1:
        x = torch.flip(x, dims=[3])
    if k & 2:
        x = torch.flip(x, dims=[2])
    if k & 4:
        x = x.transpose(2, 3)
    return x


class SymmetrisedOrientNet(nn.Module):
    """``x [B, 1, 64, 64]`` -> class probabilities ``[B, 4]``: ``p(c) = mean_g softmax(net(g x))[g . c]``."""

    def __init__(self, net: OrientNet) -> None:
        super().__init__()
        self.net = net
        self.perm: torch.Tensor
        self.register_buffer("perm", torch.from_numpy(class_action()), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = x.shape[0]
        batch = torch.cat([d4_image(x, g) for g in range(8)], dim=0)
        p = torch.softmax(self.net(batch), dim=1).reshape(8, b, N_CLASSES)
        out = torch.stack([p[g][:, self.perm[g]] for g in range(8)], dim=0)
        return out.mean(dim=0)
