"""Building blocks shared by the faithful and fast networks (tensors are ``[batch, C, H, W]``)."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DenseLayer(nn.Module):
    """DenseNet-BC layer: BN-ReLU-conv1x1(bottleneck) - BN-ReLU-conv3x3(growth), output concatenated."""

    def __init__(self, in_ch: int, growth: int, bottleneck: int):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_ch)
        self.conv1 = nn.Conv2d(in_ch, bottleneck, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bottleneck)
        self.conv2 = nn.Conv2d(bottleneck, growth, 3, padding=1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv1(F.relu(self.norm1(x)))
        y = self.conv2(F.relu(self.norm2(y)))
        return torch.cat([x, y], dim=1)


class DenseTrunk(nn.Module):
    """DenseNet-121 stem (conv7x7 s2 + BN + ReLU + maxpool3 s2) + first dense block.

    With the DenseNet-121 sizes (stem 64, growth 32, bottleneck 128, 6 layers) it maps a
    ``[B, 1, H, W]`` slice to 256 maps at ``H/4 x W/4`` (64x64 for a 256x256 input).
    ``forward`` returns ``(dense_features, stem_features)``; the stem features are at ``H/2``.
    """

    def __init__(self, stem: int = 64, growth: int = 32, bottleneck: int = 128, layers: int = 6, in_ch: int = 1):
        super().__init__()
        self.conv0 = nn.Conv2d(in_ch, stem, 7, stride=2, padding=3, bias=False)
        self.norm0 = nn.BatchNorm2d(stem)
        self.pool0 = nn.MaxPool2d(3, stride=2, padding=1)
        ch = stem
        block = []
        for _ in range(layers):
            block.append(DenseLayer(ch, growth, bottleneck))
            ch += growth
        self.block = nn.Sequential(*block)
        self.out_channels = ch
        self.stem_channels = stem

    def forward(self, x: torch.Tensor):
        s = F.relu(self.norm0(self.conv0(x)))
        return self.block(self.pool0(s)), s


class SegBlock(nn.Module):
    """Segmentation block of the paper: 2 x (conv3x3 + BN + LeakyReLU) + conv1x1 to ``out_ch``."""

    def __init__(self, in_ch: int, mid: int, out_ch: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(in_ch, mid, 3, padding=1, bias=False), nn.BatchNorm2d(mid), nn.LeakyReLU(0.01, inplace=True),
            nn.Conv2d(mid, mid, 3, padding=1, bias=False), nn.BatchNorm2d(mid), nn.LeakyReLU(0.01, inplace=True),
            nn.Conv2d(mid, out_ch, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class ConvLSTMCell(nn.Module):
    """ConvLSTM cell (Shi et al. 2015, without peepholes): all four gates from one conv over [x, h]."""

    def __init__(self, in_ch: int, hidden: int, kernel: int = 3):
        super().__init__()
        self.hidden = hidden
        self.gates = nn.Conv2d(in_ch + hidden, 4 * hidden, kernel, padding=kernel // 2)

    def forward(self, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        i, f, o, g = torch.chunk(self.gates(torch.cat([x, h], dim=1)), 4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class ConvLSTM(nn.Module):
    """Runs a :class:`ConvLSTMCell` over a sequence ``[B, T, C, H, W]`` (slice order k-F//2..k+F//2)
    and returns the last hidden state ``[B, hidden, H, W]``."""

    def __init__(self, in_ch: int, hidden: int, kernel: int = 3):
        super().__init__()
        self.cell = ConvLSTMCell(in_ch, hidden, kernel)

    def forward(self, seq: torch.Tensor) -> torch.Tensor:
        b, t, _, hgt, wid = seq.shape
        h = seq.new_zeros((b, self.cell.hidden, hgt, wid))
        c = seq.new_zeros((b, self.cell.hidden, hgt, wid))
        for step in range(t):
            h, c = self.cell(seq[:, step], h, c)
        return h


def xavier_init(module: nn.Module) -> None:
    """Xavier-uniform for every conv (the paper's initialisation; no ImageNet weights are available here)."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
