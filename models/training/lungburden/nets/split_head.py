"""``convlstm-fast-split``: "lesion first, then GGO vs high opacity inside the lesion" (lever 1 of issue 14).

The trained fast network (:class:`.fast.FastConvLSTMNet`, model 1.3.0) stays as it is (``freeze_base``: frozen,
BatchNorm in eval mode) and decides lesion vs background. A small **split head** re-decides GGO vs high opacity
(HO) inside the lesion; it reads, at half resolution (96x96):

* the middle slice's trunk features that the base seg blocks read (``mid_up``: 32 reduced trunk + 24 stem maps),
  squeezed to ``width`` maps by a 1x1 conv;
* the base's lesion logit ``logsumexp(l_GGO, l_HO) - l_bg`` and split logit ``l_HO - l_GGO`` (the lesion
  probability as an input channel);
* the middle slice in the lung window and every slice of the window in the dense window (-300..+100 HU, the
  in-graph channel of model 1.3.0; computed from the same input, no contract change), 2x2 average-pooled
  (the input is 192x192, the features 96x96);

then 3x3 convs with dilation 1, 2, 4 (receptive field of ~30 px at 96x96, i.e. texture and lesion context).
The head's output is a correction of the split logit, up-sampled to full resolution and added to the base split
logit. Its last conv starts at zero, so the untrained network computes exactly the base's probabilities.

Output: 3-class log-probabilities ``[log p_bg, log p_les + log q_GGO, log p_les + log q_HO]`` (a valid logits tensor:
softmax returns exactly ``p_bg``, ``p_les (1 - q)``, ``p_les q``), so the ONNX output, ``metadata.json`` and the
TypeScript decision rule (``p(GGO)+p(HO)``, ``p(HO | lesion)``) are unchanged. Logits are clamped to +-30 before
the log-sigmoids (probabilities below 1e-13 are irrelevant; keeps ONNX free of infinities).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .fast import FastConvLSTMNet

CLAMP = 30.0


def _conv(cin: int, cout: int, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=dilation, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.LeakyReLU(0.01, inplace=True))


class SplitHead(nn.Module):
    """GGO-vs-HO correction logit ``[B, 1, H/2, W/2]`` from base features, base logits and the windowed slices."""

    def __init__(self, feat_ch: int, slices: int, width: int = 16):
        super().__init__()
        self.squeeze = nn.Sequential(nn.Conv2d(feat_ch, width, 1, bias=False), nn.BatchNorm2d(width),
                                     nn.LeakyReLU(0.01, inplace=True))
        extra = 2 + 1 + slices
        self.body = nn.Sequential(_conv(width + extra, width), _conv(width, width, 2), _conv(width, width, 4))
        self.out = nn.Conv2d(width, 1, 1)
        nn.init.zeros_(self.out.weight)
        assert self.out.bias is not None
        nn.init.zeros_(self.out.bias)

    def forward(self, feats: torch.Tensor, logit_ch: torch.Tensor, image_ch: torch.Tensor) -> torch.Tensor:
        return self.out(self.body(torch.cat([self.squeeze(feats), logit_ch, image_ch], dim=1)))


def lesion_split_logits(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(lesion logit, split logit)`` ``[B, H, W]`` of 3-class logits: ``logit p_les`` and ``logit p(HO | lesion)``."""
    les = torch.logsumexp(logits[:, 1:], dim=1) - logits[:, 0]
    return les, logits[:, 2] - logits[:, 1]


def compose_logits(les: torch.Tensor, split: torch.Tensor) -> torch.Tensor:
    """3-class log-probabilities ``[B, 3, H, W]`` from a lesion logit and a split logit ``[B, H, W]``."""
    les = les.clamp(-CLAMP, CLAMP)
    split = split.clamp(-CLAMP, CLAMP)
    lp_les, lp_bg = F.logsigmoid(les), F.logsigmoid(-les)
    return torch.stack([lp_bg, lp_les + F.logsigmoid(-split), lp_les + F.logsigmoid(split)], dim=1)


class SplitHeadNet(nn.Module):
    def __init__(self, width: int = 16, freeze_base: bool = True, slices: int = 3, **base_kwargs):
        super().__init__()
        self.base = FastConvLSTMNet(**base_kwargs)
        if self.base.dense_window_hu is None:
            raise ValueError("convlstm-fast-split needs the base's dense_window_hu")
        feat_ch = self.base.reduce[0].out_channels + self.base.trunk.stem_channels
        self.head = SplitHead(feat_ch, slices, width)
        self.freeze_base = freeze_base
        if freeze_base:
            for p in self.base.parameters():
                p.requires_grad_(False)

    def train(self, mode: bool = True):
        super().train(mode)
        if self.freeze_base:
            self.base.eval()
        return self

    def forward(self, x: torch.Tensor, return_aux: bool = False):
        h, w = x.shape[-2:]
        if self.freeze_base and self.training:
            with torch.no_grad():
                base, _, _, feats = self.base.forward_parts(x)
        else:
            base, _, _, feats = self.base.forward_parts(x)
        les, split = lesion_split_logits(base)
        logit_ch = F.avg_pool2d(torch.stack([les, split], 1).clamp(-CLAMP, CLAMP) / 10.0, 2)
        image = torch.cat([x[:, x.shape[1] // 2:x.shape[1] // 2 + 1], self.base.dense_channel(x)], dim=1)
        image_ch = F.avg_pool2d(image, 2)
        delta = self.head(feats, logit_ch, image_ch)
        delta = F.interpolate(delta, size=(h, w), mode="bilinear", align_corners=False)[:, 0]
        out = compose_logits(les, split + delta)
        if return_aux:
            return out, out, out
        return out
