"""The network of Killekar et al. 2022 (section 4.2), as described in the paper.

* Trunk = DenseNet-121 stem + first dense block: 256 maps at 64x64 for a 256x256 slice.
* Main branch (eq. 4): ``S_main = seg1(scale_up(trunk(I_k)))``, bilinear up-scaling to H x W.
* Attention branch (eqs. 5-6): ConvLSTM over the F input slices (``Phi_clstm(I)``) at full
  resolution; ``S_attn = seg2(I_k (+) clstm(I))`` (concatenation); ``alpha = attn(clstm(I))``
  with the same structure as a seg block ending in one sigmoid channel.
* Fusion (eq. 7, Tao et al. 2020): logits ``(1-alpha) S_main + alpha S_attn``; the softmax/argmax
  of eq. 7 is done by the consumer (output = pre-softmax logits).

Unspecified in the paper and chosen here: seg-block width 64, ConvLSTM hidden width 32, kernel 3.
Input ``[B, F, H, W]`` float32, output ``[B, 3, H, W]`` logits of the middle slice.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .blocks import ConvLSTM, DenseTrunk, SegBlock, xavier_init


class FaithfulConvLSTMNet(nn.Module):
    def __init__(self, num_classes: int = 3, seg_width: int = 64, lstm_hidden: int = 32):
        super().__init__()
        self.trunk = DenseTrunk(64, 32, 128, 6)
        self.seg_main = SegBlock(self.trunk.out_channels, seg_width, num_classes)
        self.clstm = ConvLSTM(1, lstm_hidden)
        self.seg_attn = SegBlock(1 + lstm_hidden, seg_width, num_classes)
        self.attn = SegBlock(lstm_hidden, seg_width, 1)
        xavier_init(self)

    def forward(self, x: torch.Tensor, return_aux: bool = False):
        b, f, h, w = x.shape
        mid = x[:, f // 2: f // 2 + 1]
        feats, _ = self.trunk(mid)
        s_main = self.seg_main(F.interpolate(feats, size=(h, w), mode="bilinear", align_corners=False))
        z = self.clstm(x.unsqueeze(2))
        s_attn = self.seg_attn(torch.cat([mid, z], dim=1))
        alpha = torch.sigmoid(self.attn(z))
        out = (1 - alpha) * s_main + alpha * s_attn
        if return_aux:
            return out, s_main, s_attn
        return out
