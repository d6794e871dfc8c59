"""The fast variant that is trained and shipped (``lung-burden-convlstm-fast``).

Same structure as :mod:`.faithful` (trunk -> main seg block; ConvLSTM -> attention seg block and
sigmoid attention; ``(1-alpha) S_main + alpha S_attn``), changed for <= ~1.5 GFLOP per slice on CPU:

1. Input 192x192 instead of 256x256 (the square body crop is resized to 192).
2. Slim dense trunk: stem 24 maps, growth 12, bottleneck 48, 6 layers -> 96 maps at 48x48
   (DenseNet-121 block 1: stem 64, growth 32, bottleneck 128 -> 256 maps).
3. The trunk runs on every slice of the window with shared weights, and the ConvLSTM runs on
   those trunk features (reduced to 16 maps by a 1x1 conv) at 48x48, instead of on raw slices at
   full resolution.
4. Seg blocks run at 96x96 (half resolution): trunk features are reduced to 32 maps (1x1), up-scaled
   x2 and concatenated with the 24 stem maps of the middle slice (a U-Net-style skip, added to
   recover lesion borders); seg-block width 16. The attention branch's seg block gets the same
   middle-slice features concatenated with the up-scaled ConvLSTM state (eq. 6 with trunk features
   instead of the raw slice). The attention block acts on the ConvLSTM state at 48x48.
5. Fused logits are up-sampled x2 bilinearly to 192x192.

Option ``dense_window_hu`` (model 1.3, lever 2 of issue 14): a second, dense display window (e.g. -300..+100 HU)
of every slice is computed INSIDE the network from its lung-window input (the lung window [-1024, 600] HU
contains it, so the dense window is an exact clamp of the input) and fed to the trunk as a second channel.
The ONNX input and the preprocessing contract are unchanged. The stem weights of the new channel start at
zero, so a warm start from a one-channel checkpoint begins as exactly that model (:func:`load_warm`).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .blocks import ConvLSTM, DenseTrunk, SegBlock, xavier_init


class FastConvLSTMNet(nn.Module):
    def __init__(self, num_classes: int = 3, stem: int = 24, growth: int = 12, bottleneck: int = 48,
                 layers: int = 6, reduce: int = 32, lstm_in: int = 16, lstm_hidden: int = 16, seg_width: int = 16,
                 dense_window_hu: tuple[float, float] | None = None, window_lo_hu: float = -1024.0,
                 window_width_hu: float = 1624.0, norm_mean: float = 0.29, norm_std: float = 0.29):
        super().__init__()
        self.dense_window_hu = tuple(dense_window_hu) if dense_window_hu is not None else None
        self._norm = (window_lo_hu, window_width_hu, norm_mean, norm_std)
        self.trunk = DenseTrunk(stem, growth, bottleneck, layers, in_ch=2 if self.dense_window_hu else 1)
        tc = self.trunk.out_channels
        self.reduce = nn.Sequential(nn.Conv2d(tc, reduce, 1, bias=False), nn.BatchNorm2d(reduce), nn.ReLU(inplace=True))
        self.lstm_proj = nn.Sequential(nn.Conv2d(tc, lstm_in, 1, bias=False), nn.BatchNorm2d(lstm_in), nn.ReLU(inplace=True))
        self.clstm = ConvLSTM(lstm_in, lstm_hidden)
        self.seg_main = SegBlock(reduce + stem, seg_width, num_classes)
        self.seg_attn = SegBlock(reduce + stem + lstm_hidden, seg_width, num_classes)
        self.attn = SegBlock(lstm_hidden, lstm_hidden, 1)
        xavier_init(self)

    def dense_channel(self, x: torch.Tensor) -> torch.Tensor:
        """The dense window of a normalised lung-window input, mapped to about [-1, 1] (same shape as ``x``)."""
        lo, wd, mean, std = self._norm
        assert self.dense_window_hu is not None
        d_lo, d_hi = self.dense_window_hu
        hu = (x * std + mean) * wd + lo
        return torch.clamp((hu - d_lo) / (d_hi - d_lo), 0.0, 1.0) * 2.0 - 1.0

    def forward(self, x: torch.Tensor, return_aux: bool = False):
        out, s_main, s_attn, _ = self.forward_parts(x)
        h, w = x.shape[-2:]
        if return_aux:
            up = lambda t: F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)  # noqa: E731
            return out, up(s_main), up(s_attn)
        return out

    def forward_parts(self, x: torch.Tensor):
        """``(logits [B,3,H,W], s_main, s_attn [B,3,H/2,W/2], mid_up [B,reduce+stem,H/2,W/2])``: the fused logits,
        both branches at half resolution, and the middle slice's features that the seg blocks read (for heads
        built on this trunk, :mod:`.split_head`)."""
        b, f, h, w = x.shape
        xs = x.reshape(b * f, 1, h, w)
        if self.dense_window_hu is not None:
            xs = torch.cat([xs, self.dense_channel(xs)], dim=1)
        feats, stem = self.trunk(xs)
        th, tw = feats.shape[-2:]
        feats = feats.reshape(b, f, -1, th, tw)
        stem_mid = stem.reshape(b, f, -1, stem.shape[-2], stem.shape[-1])[:, f // 2]
        half = stem_mid.shape[-2:]
        mid = self.reduce(feats[:, f // 2])
        mid_up = torch.cat([F.interpolate(mid, size=half, mode="bilinear", align_corners=False), stem_mid], dim=1)
        s_main = self.seg_main(mid_up)
        seq = self.lstm_proj(feats.reshape(b * f, -1, th, tw)).reshape(b, f, -1, th, tw)
        z = self.clstm(seq)
        z_up = F.interpolate(z, size=half, mode="bilinear", align_corners=False)
        s_attn = self.seg_attn(torch.cat([mid_up, z_up], dim=1))
        alpha = torch.sigmoid(F.interpolate(self.attn(z), size=half, mode="bilinear", align_corners=False))
        out = (1 - alpha) * s_main + alpha * s_attn
        out = F.interpolate(out, size=(h, w), mode="bilinear", align_corners=False)
        return out, s_main, s_attn, mid_up


def load_warm(model: nn.Module, state: dict) -> list[str]:
    """Load ``state`` into ``model``; a stem conv with fewer input channels than the model's is copied into the
    first channels and the others are set to zero (the warm-started model computes the old function).
    Returns the names of tensors widened this way."""
    own = model.state_dict()
    widened = []
    fixed = {}
    for k, v in state.items():
        if k in own and own[k].shape != v.shape and v.dim() == 4 and own[k].shape[1] > v.shape[1] \
                and own[k].shape[0] == v.shape[0] and own[k].shape[2:] == v.shape[2:]:
            w = torch.zeros_like(own[k])
            w[:, :v.shape[1]] = v
            fixed[k] = w
            widened.append(k)
        else:
            fixed[k] = v
    model.load_state_dict(fixed)
    return widened
