"""Training-time augmentation on HU crops ``[B, F, H, W]`` (float32) and labels ``[B, H, W]``.

* Geometry (Killekar et al. 4.1): rotation +-10 deg, translation +-10 px, scale 0.9-1.05 (MedSeg,
  whose slices are cropped to the lungs rather than the body: 0.6-1.05), one
  transform per sample shared by its F slices and label; plus a left-right mirror with p = 0.5
  (added here: only 40 real 3-class training slices). Image bilinear (outside = -1024 HU air),
  label nearest.
* Intensity, so 8-bit and HU sources look alike: HU samples are, with p = ``p_8bit``, rendered to
  8 bits in a random display window (centre -500 +- 100, width 1500 +- 300 HU by
  default; ``render_jitter`` in the config), rounded, and mapped
  back through the fixed ``eightBitWindow`` - exactly what happened to the 8-bit slices; then for all
  samples a random HU gain/offset (+-8 %, +-40 HU), gamma 0.8-1.25 on the window, Gaussian noise.
* Circular field of view (model 1.3): with p = ``p``, everything outside a random circle (radius 0.45-0.62 of
  the crop, centre +-8 px) becomes air and background, as in scanners that store only the reconstruction
  circle; such a circle also cuts off the table and the corners, so the network cannot lean on either.
* Display curves of other sites (model 1.6, after the segmentation stress test): :func:`display_curve` re-renders a
  sample's 8-bit display (through ``eightBitWindow``) with, each with probability ``p``, a random gamma and a CLAHE-like
  local contrast ``v + a (v - box mean of v)``, then maps it back to HU: the two alterations that cost the most Dice.
* Lower resolution (the 1.17.0 candidate, after the stress test's "half resolution and back"): :func:`low_resolution`
  area-averages a sample down by a random factor and brings it back bilinearly, as an image saved at a lower
  resolution than it is shown at (the 256 px MA20 slices halved keep 128 px across the whole image, fewer than the
  network's 192 px input).
* Copy-paste (model 1.3, lever 3 of issue 14): :func:`copy_paste` pastes the labelled lesion pixels of a real
  3-class slice (MedSeg) into the lung-dark pixels of another training sample, with its labels.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from .data.preprocess import PreprocessConfig


def geometric(x: torch.Tensor, y: torch.Tensor, g: torch.Generator, max_rot=10.0, max_shift=10.0,
              scale=(0.9, 1.05), p_flip=0.5, scale_min: torch.Tensor | None = None):
    """``scale_min`` (per sample, optional) overrides the lower scale bound: lung-cropped 8-bit slices
    (MedSeg) are also shown zoomed out to the scale of a body crop."""
    b, f, h, w = x.shape
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ang = (u(b) * 2 - 1) * math.radians(max_rot)
    lo = torch.full((b,), scale[0]) if scale_min is None else scale_min.float()
    sc = lo + u(b) * (scale[1] - lo)
    tx = (u(b) * 2 - 1) * max_shift * 2 / w
    ty = (u(b) * 2 - 1) * max_shift * 2 / h
    flip = torch.where(u(b) < p_flip, -1.0, 1.0)
    cos, sin = torch.cos(ang) / sc, torch.sin(ang) / sc
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, [b, f, h, w], align_corners=False)
    xo = F.grid_sample(x + 1024.0, grid, mode="bilinear", padding_mode="zeros", align_corners=False) - 1024.0
    yo = F.grid_sample(y.unsqueeze(1).float(), grid, mode="nearest", padding_mode="zeros", align_corners=False)
    return xo, yo.squeeze(1).round().long()


def intensity(x: torch.Tensor, is_hu: torch.Tensor, cfg: PreprocessConfig, g: torch.Generator, p_8bit=0.5,
              render_jitter: tuple[float, float] = (100.0, 300.0)):
    """Returns the normalised network input (steps 4 of the preprocessing contract + augmentation).
    ``render_jitter``: +- HU of the random display window's centre and width when a HU sample is
    rendered to 8 bits."""
    b = x.shape[0]
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    to8 = (is_hu.bool() & (u(b) < p_8bit)).view(b, 1, 1, 1)
    c = -500 + (u(b) * 2 - 1).view(b, 1, 1, 1) * render_jitter[0]
    wd = 1500 + (u(b) * 2 - 1).view(b, 1, 1, 1) * render_jitter[1]
    v = torch.round(torch.clamp((x - (c - wd / 2)) / wd, 0, 1) * 255)
    lo8 = cfg.eight_bit_center_hu - cfg.eight_bit_width_hu / 2
    x = torch.where(to8, lo8 + v / 255 * cfg.eight_bit_width_hu, x)
    gain = 1 + (u(b) * 2 - 1).view(b, 1, 1, 1) * 0.08
    off = (u(b) * 2 - 1).view(b, 1, 1, 1) * 40
    x = (x + 1024) * gain - 1024 + off
    lo = cfg.window_center_hu - cfg.window_width_hu / 2
    z = torch.clamp((x - lo) / cfg.window_width_hu, 0, 1)
    gamma = torch.exp((u(b) * 2 - 1).view(b, 1, 1, 1) * math.log(1.25))
    z = z.clamp_min(1e-6) ** gamma
    z = z + torch.randn(z.shape, generator=g) * (u(b).view(b, 1, 1, 1) * 0.02)
    return (z - cfg.mean) / cfg.std


def display_curve(x: torch.Tensor, cfg: PreprocessConfig, g: torch.Generator, p: float = 0.5,
                  gamma=(0.6, 1.6), contrast=(0.3, 1.5), radius=(0.03, 0.1),
                  eligible: torch.Tensor | None = None) -> torch.Tensor:
    """HU crops ``[B, F, H, W]`` seen as another site's 8-bit display: with probability ``p`` each, a gamma (log-uniform
    in ``gamma``) and a local contrast ``v + a (v - mean of v over a (2r+1)^2 box)`` (``a`` uniform in ``contrast``,
    ``r`` a fraction ``radius`` of the crop) on the display ``v`` in [0, 1] of the fixed ``eightBitWindow``; the result
    goes back to HU through the same window (values outside the window stay clipped to its ends, as on an 8-bit image).
    ``eligible`` (bool ``[B]``, optional): only these samples may be altered; the random draws are the same either way."""
    b, f, h, w = x.shape
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lo8 = cfg.eight_bit_center_hu - cfg.eight_bit_width_hu / 2
    v = torch.clamp((x - lo8) / cfg.eight_bit_width_hu, 0, 1)
    allowed = torch.ones(b, dtype=torch.bool) if eligible is None else eligible.bool()
    on_g = ((u(b) < p) & allowed).view(b, 1, 1, 1)
    gm = torch.exp(math.log(gamma[0]) + u(b) * (math.log(gamma[1]) - math.log(gamma[0]))).view(b, 1, 1, 1)
    v = torch.where(on_g, v.clamp_min(1e-6) ** gm, v)
    on_c = (u(b) < p) & allowed
    a = contrast[0] + u(b) * (contrast[1] - contrast[0])
    rad = radius[0] + u(b) * (radius[1] - radius[0])
    out = v.clone()
    for i in torch.nonzero(on_c).flatten().tolist():
        r = max(1, int(round(float(rad[i]) * min(h, w))))
        mean = F.avg_pool2d(F.pad(v[i:i + 1], (r, r, r, r), mode="replicate"), 2 * r + 1, stride=1)
        out[i] = torch.clamp(v[i] + float(a[i]) * (v[i] - mean[0]), 0, 1)
    changed = (on_g | on_c.view(b, 1, 1, 1))
    return torch.where(changed, lo8 + out * cfg.eight_bit_width_hu, x)


def low_resolution(x: torch.Tensor, g: torch.Generator, p: float = 0.25, factor=(1.3, 2.5),
                   eligible: torch.Tensor | None = None) -> torch.Tensor:
    """HU crops ``[B, F, H, W]`` seen at a lower resolution: with probability ``p`` each, area-averaged down by a factor
    uniform in ``factor`` (the same for both axes and all F slices) and bilinearly resized back to ``H x W``.
    ``eligible`` (bool ``[B]``, optional): only these samples may be altered; the random draws are the same either way.
    Labels are not touched (the anatomy stays where it was)."""
    b, _, h, w = x.shape
    u = torch.rand(b, generator=g)
    f = factor[0] + torch.rand(b, generator=g) * (factor[1] - factor[0])
    allowed = torch.ones(b, dtype=torch.bool) if eligible is None else eligible.bool()
    out = x.clone()
    for i in torch.nonzero((u < p) & allowed).flatten().tolist():
        size = (max(2, int(round(h / float(f[i])))), max(2, int(round(w / float(f[i])))))
        low = F.interpolate(x[i:i + 1], size=size, mode="area")
        out[i] = F.interpolate(low, size=(h, w), mode="bilinear", align_corners=False)[0]
    return out


def normalize_tensor(x: torch.Tensor, cfg: PreprocessConfig) -> torch.Tensor:
    """Step 4 of the contract on a HU tensor (no augmentation)."""
    lo = cfg.window_center_hu - cfg.window_width_hu / 2
    return (torch.clamp((x - lo) / cfg.window_width_hu, 0, 1) - cfg.mean) / cfg.std


def circular_fov(x: torch.Tensor, y: torch.Tensor, g: torch.Generator, p: float = 0.3,
                 radius=(0.45, 0.62), max_shift: float = 8.0):
    """Outside a random circle (per sample, with probability ``p``): -1024 HU and label 0."""
    b, f, h, w = x.shape
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    on = u(b) < p
    r = (radius[0] + u(b) * (radius[1] - radius[0])) * min(h, w)
    cy = h / 2 + (u(b) * 2 - 1) * max_shift
    cx = w / 2 + (u(b) * 2 - 1) * max_shift
    yy = torch.arange(h, dtype=torch.float32).view(1, h, 1)
    xx = torch.arange(w, dtype=torch.float32).view(1, 1, w)
    out = ((yy - cy.view(b, 1, 1)) ** 2 + (xx - cx.view(b, 1, 1)) ** 2 > r.view(b, 1, 1) ** 2) & on.view(b, 1, 1)
    return torch.where(out.unsqueeze(1), torch.full_like(x, -1024.0), x), torch.where(out, torch.zeros_like(y), y)


def _lung_like(hu: np.ndarray, below_hu: float) -> np.ndarray:
    """Pixels darker than ``below_hu`` inside the body (the filled region above -500 HU), i.e. lung, not outside air."""
    body = ndimage.binary_fill_holes(hu > -500.0)
    return (hu < below_hu) & body


def copy_paste(x, y, donors_x, donors_y, rng, into: list[bool], p: float = 0.5, lung_below_hu: float = -300.0,
               min_px: int = 30):
    """In place on numpy ``x [B,F,H,W]`` (HU) / ``y [B,H,W]``: for each sample with ``into[i]`` and with
    probability ``p``, a random donor slice's lesion pixels (label > 0, optionally mirrored left-right) are
    copied into the pixels where the sample's middle slice is darker than ``lung_below_hu`` inside the body (lung), in every
    slice of the window, and their labels replace the sample's there. Returns the number of pastes."""
    n = 0
    mid = x.shape[1] // 2
    for i in range(x.shape[0]):
        if not into[i] or rng.random() >= p:
            continue
        j = int(rng.integers(len(donors_x)))
        dx, dy = donors_x[j].astype(np.float32), donors_y[j]
        if rng.random() < 0.5:
            dx, dy = dx[..., ::-1], dy[..., ::-1]
        m = (dy > 0) & _lung_like(x[i, mid], lung_below_hu)
        if m.sum() < min_px:
            continue
        x[i] = np.where(m[None], dx[mid][None], x[i])
        y[i] = np.where(m, dy, y[i])
        n += 1
    return n
