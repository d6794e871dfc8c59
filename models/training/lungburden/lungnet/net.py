"""LungNet: a small 2-D U-Net (one HU slice in, one lung logit out) sized for CPU inference.

Three down-sampling levels, widths ``base, 2b, 4b, 8b`` (default 8..64 channels), BatchNorm + ReLU,
bilinear up-sampling; about 0.12 M parameters and 0.07 GMAC per 128 x 128 slice, so a 128-slice
series runs in about a second in onnxruntime on 2 CPU cores.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class LungNet(nn.Module):
    """``x [B, 1, H, W]`` (normalised HU, H and W divisible by 8) -> lung logits ``[B, 1, H, W]``."""

    def __init__(self, base: int = 8) -> None:
        super().__init__()
        w = [base, base * 2, base * 4, base * 8]
        self.enc = nn.ModuleList([_block(1, w[0]), _block(w[0], w[1]), _block(w[1], w[2]), _block(w[2], w[3])])
        self.dec = nn.ModuleList([_block(w[3] + w[2], w[2]), _block(w[2] + w[1], w[1]), _block(w[1] + w[0], w[0])])
        self.head = nn.Conv2d(w[0], 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, enc in enumerate(self.enc):
            x = enc(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        x = skips.pop()
        for dec in self.dec:
            skip = skips.pop()
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = dec(torch.cat([x, skip], dim=1))
        return self.head(x)
