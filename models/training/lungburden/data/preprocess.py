"""The preprocessing contract of the model bundle (``metadata.json`` -> ``preprocessing``).

Mirrored exactly in TypeScript by ``shared/inference/preprocess.ts``; the golden fixture written by
:mod:`lungburden.golden` pins both. Every step is specified here precisely enough to re-implement:

1. **Slice window.** For middle slice ``k`` of a volume ``hu[k,row,col]`` with K slices, the F slices
   are ``clamp(k + d, 0, K-1)`` for ``d = -F//2 .. F//2`` (edge slices repeat).
2. **Body box** from the middle slice only: ``mask = hu >= bodyThresholdHu``; label its
   4-connected components; keep the largest (ties: the one whose first pixel in row-major order
   comes first). Its inclusive bounding box ``r0..r1, c0..c1``. If the mask is empty, the box is the
   whole slice. With margin ``m``: ``h = r1-r0+1+2m``, ``w = c1-c0+1+2m``, ``side = max(h, w)``,
   ``rs = r0 - m - (side-h)//2``, ``cs = c0 - m - (side-w)//2`` (floor division). The box
   ``[rs, rs+side) x [cs, cs+side)`` may extend past the image.
3. **Resize** the box of every slice to ``H x W`` bilinearly with half-pixel centres:
   ``y = rs + (i + 0.5) * side / H - 0.5``, ``x = cs + (j + 0.5) * side / W - 0.5``;
   ``y0 = floor(y)``, ``fy = y - y0`` (same for x); the value is the bilinear blend of the four
   neighbours ``(y0|y0+1, x0|x0+1)``, where a neighbour outside the image has the value
   ``PAD_HU`` (= -1024, air). No antialiasing, unless ``antialias`` is set (metadata
   ``preprocessing.antialias: true``; absent = false, the contract of bundles up to 1.3.0): then, when
   ``side > H`` (``side > W``), every slice is first smoothed along columns (rows) by a Gaussian of
   ``sigma = (side / H - 1) / 2`` (``side / W``) source pixels, the antialiasing width of scikit-image's
   ``resize``: weights ``exp(-d^2 / (2 sigma^2))`` for ``d = -r..r``, ``r = ceil(3 sigma)``, normalised to sum
   1, a neighbour outside the slice reading ``PAD_HU``; the vertical pass first, then the horizontal one
   (:func:`antialias_slice`).
4. **Intensity:** ``x = clamp((hu - (centerHu - widthHu/2)) / widthHu, 0, 1)``;
   ``x = (x - mean) / std``.

8-bit display images (JPEG/PNG slices) are first mapped to HU with ``eightBitWindow``:
``hu = (centerHu - widthHu/2) + v / 255 * widthHu``.

Labels are resampled with the same box by nearest neighbour: source index
``floor(y + 0.5)``, ``floor(x + 0.5)``; outside the image -> 0.

Arithmetic is float64 here; the result is cast to float32.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import ndimage

PAD_HU = -1024.0


@dataclass(frozen=True)
class PreprocessConfig:
    """The ``preprocessing`` block of metadata.json plus the tensor size."""

    height: int = 192
    width: int = 192
    slice_window: int = 3
    body_threshold_hu: float = -500.0
    body_crop_margin_px: int = 8
    window_center_hu: float = -212.0  # paper: clip to [-1024, +600] HU
    window_width_hu: float = 1624.0
    mean: float = 0.29  # windowed-value mean over body crops of MedSeg train + LIDC slices
    std: float = 0.29
    eight_bit_center_hu: float = -500.0
    eight_bit_width_hu: float = 1500.0
    antialias: bool = False

    def to_metadata(self) -> dict:
        extra = {"antialias": True} if self.antialias else {}
        return {
            "bodyThresholdHu": self.body_threshold_hu,
            "bodyCropMarginPx": self.body_crop_margin_px,
            "window": {"centerHu": self.window_center_hu, "widthHu": self.window_width_hu},
            "normalize": {"mean": self.mean, "std": self.std},
            "eightBitWindow": {"centerHu": self.eight_bit_center_hu, "widthHu": self.eight_bit_width_hu},
            "spacingPolicy": (
                "The square body crop is resized to height x width regardless of pixel spacing "
                "(as in Killekar et al. 2022); slices are used at their native spacing."
            ),
            **extra,
        }

    def as_dict(self) -> dict:
        return asdict(self)


def eight_bit_to_hu(v: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """Map an 8-bit display image (0..255) to HU through ``eightBitWindow``."""
    lo = cfg.eight_bit_center_hu - cfg.eight_bit_width_hu / 2.0
    return lo + v.astype(np.float64) / 255.0 * cfg.eight_bit_width_hu


def hu_to_eight_bit(hu: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """The inverse of :func:`eight_bit_to_hu`: HU rendered to an 8-bit display image through ``eightBitWindow``,
    rounded and clipped to 0..255 (what another site's export, or ``scripts/orientation-confusion.ts``, does)."""
    lo = cfg.eight_bit_center_hu - cfg.eight_bit_width_hu / 2.0
    return np.clip(np.round((hu - lo) / cfg.eight_bit_width_hu * 255.0), 0, 255).astype(np.uint8)


def window_indices(k: int, num_slices: int, f: int) -> list[int]:
    """Slice indices of the F-window centred on ``k`` (edges repeat)."""
    h = f // 2
    return [min(max(k + d, 0), num_slices - 1) for d in range(-h, f - h)]


def body_box(slice_hu: np.ndarray, cfg: PreprocessConfig) -> tuple[int, int, int]:
    """Square crop box ``(rs, cs, side)`` of one slice ``hu[row, col]`` (step 2 of the contract)."""
    mask = slice_hu >= cfg.body_threshold_hu
    rows, cols = slice_hu.shape
    if not mask.any():
        r0, r1, c0, c1 = 0, rows - 1, 0, cols - 1
    else:
        lab, n = ndimage.label(mask)  # default structure = 4-connectivity in 2-D
        counts = np.bincount(lab.ravel())
        counts[0] = 0
        best = int(np.argmax(counts))  # argmax takes the lowest label on ties = first in row-major order
        rr, cc = np.nonzero(lab == best)
        r0, r1, c0, c1 = int(rr.min()), int(rr.max()), int(cc.min()), int(cc.max())
    m = cfg.body_crop_margin_px
    h = r1 - r0 + 1 + 2 * m
    w = c1 - c0 + 1 + 2 * m
    side = max(h, w)
    rs = r0 - m - (side - h) // 2
    cs = c0 - m - (side - w) // 2
    return rs, cs, side


def antialias_sigma(side: int, n: int) -> float:
    """Gaussian width (source pixels) before decimating ``side`` pixels to ``n``; 0 when not decimating."""
    return max(0.0, (side / n - 1.0) / 2.0)


def gaussian_weights(sigma: float) -> np.ndarray:
    """Normalised weights ``exp(-d^2 / (2 sigma^2))``, ``d = -r..r``, ``r = ceil(3 sigma)``."""
    r = int(np.ceil(3.0 * sigma))
    d = np.arange(-r, r + 1, dtype=np.float64)
    w = np.exp(-(d * d) / (2.0 * sigma * sigma))
    return w / w.sum()


def antialias_slice(img: np.ndarray, box: tuple[int, int, int], out_h: int, out_w: int, pad: float = PAD_HU) -> np.ndarray:
    """The antialiasing prefilter of step 3 (vertical pass, then horizontal; outside the slice = ``pad``)."""
    side = box[2]
    out = np.asarray(img, dtype=np.float64)
    sy, sx = antialias_sigma(side, out_h), antialias_sigma(side, out_w)
    if sy > 0:
        out = ndimage.correlate1d(out, gaussian_weights(sy), axis=0, mode="constant", cval=pad)
    if sx > 0:
        out = ndimage.correlate1d(out, gaussian_weights(sx), axis=1, mode="constant", cval=pad)
    return out


def _coords(start: int, side: int, n: int) -> np.ndarray:
    return start + (np.arange(n, dtype=np.float64) + 0.5) * side / n - 0.5


def resize_box(img: np.ndarray, box: tuple[int, int, int], out_h: int, out_w: int, pad: float = PAD_HU,
               antialias: bool = False) -> np.ndarray:
    """Bilinear resample of the square box of ``img[row, col]`` to ``out_h x out_w`` (float64); ``antialias``:
    :func:`antialias_slice` first."""
    if antialias:
        img = antialias_slice(img, box, out_h, out_w, pad)
    rs, cs, side = box
    rows, cols = img.shape
    y = _coords(rs, side, out_h)
    x = _coords(cs, side, out_w)
    y0 = np.floor(y).astype(np.int64)
    x0 = np.floor(x).astype(np.int64)
    fy = (y - y0)[:, None]
    fx = (x - x0)[None, :]
    padded = np.full((rows + 2, cols + 2), pad, dtype=np.float64)
    padded[1:-1, 1:-1] = img
    # indices into the padded image: anything outside maps onto the pad border
    yi0 = np.clip(y0 + 1, 0, rows + 1)
    yi1 = np.clip(y0 + 2, 0, rows + 1)
    xi0 = np.clip(x0 + 1, 0, cols + 1)
    xi1 = np.clip(x0 + 2, 0, cols + 1)
    v00 = padded[yi0[:, None], xi0[None, :]]
    v01 = padded[yi0[:, None], xi1[None, :]]
    v10 = padded[yi1[:, None], xi0[None, :]]
    v11 = padded[yi1[:, None], xi1[None, :]]
    return (v00 * (1 - fy) * (1 - fx) + v01 * (1 - fy) * fx + v10 * fy * (1 - fx) + v11 * fy * fx)


def resize_labels(lab: np.ndarray, box: tuple[int, int, int], out_h: int, out_w: int) -> np.ndarray:
    """Nearest-neighbour resample of a label slice with the same box (outside -> 0)."""
    rs, cs, side = box
    rows, cols = lab.shape
    yi = np.floor(_coords(rs, side, out_h) + 0.5).astype(np.int64)
    xi = np.floor(_coords(cs, side, out_w) + 0.5).astype(np.int64)
    out = np.zeros((out_h, out_w), dtype=np.uint8)
    vy = (yi >= 0) & (yi < rows)
    vx = (xi >= 0) & (xi < cols)
    out[np.ix_(vy, vx)] = lab[np.ix_(yi[vy], xi[vx])]
    return out


def normalize(hu: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """Window to [0, 1] then z-score (step 4)."""
    lo = cfg.window_center_hu - cfg.window_width_hu / 2.0
    x = np.clip((hu - lo) / cfg.window_width_hu, 0.0, 1.0)
    return (x - cfg.mean) / cfg.std


def preprocess_window(slices_hu: Sequence[np.ndarray] | np.ndarray, cfg: PreprocessConfig,
                      labels_mid: np.ndarray | None = None):
    """Preprocess F slices ``[F, row, col]`` (HU) whose middle one is predicted.

    Returns ``(x float32 [F, H, W], box, y uint8 [H, W] or None)``.
    """
    arr = np.asarray(slices_hu, dtype=np.float64)
    f = arr.shape[0]
    box = body_box(arr[f // 2], cfg)
    x = np.stack([normalize(resize_box(arr[i], box, cfg.height, cfg.width, antialias=cfg.antialias), cfg)
                  for i in range(f)])
    y = resize_labels(labels_mid, box, cfg.height, cfg.width) if labels_mid is not None else None
    return x.astype(np.float32), box, y


def preprocess_volume_window(hu: np.ndarray, k: int, cfg: PreprocessConfig, labels: np.ndarray | None = None):
    """Preprocess the F-window of volume ``hu[k,row,col]`` centred on slice ``k``."""
    idx = window_indices(k, hu.shape[0], cfg.slice_window)
    return preprocess_window(hu[idx], cfg, None if labels is None else labels[k])


def hu_crop_window(slices_hu: np.ndarray, cfg: PreprocessConfig, labels_mid: np.ndarray | None = None):
    """Like :func:`preprocess_window` but returns the resized crop in HU (float32), before step 4.

    Used by the training cache so that intensity augmentation can act in HU/window space.
    """
    arr = np.asarray(slices_hu, dtype=np.float64)
    f = arr.shape[0]
    box = body_box(arr[f // 2], cfg)
    x = np.stack([resize_box(arr[i], box, cfg.height, cfg.width, antialias=cfg.antialias) for i in range(f)])
    y = resize_labels(labels_mid, box, cfg.height, cfg.width) if labels_mid is not None else None
    return x.astype(np.float32), box, y


def crop_to_slice(maps: np.ndarray, box: tuple[int, int, int], rows: int, cols: int) -> np.ndarray:
    """Inverse of step 3: resample per-class maps ``[C, H, W]`` (logits) of the crop back onto the
    original slice grid ``[C, rows, cols]`` (bilinear, half-pixel centres, clamped at the crop edges):
    ``yc = (r + 0.5 - rs) * H / side - 0.5`` and ``xc = (c + 0.5 - cs) * W / side - 0.5``."""
    rs, cs, side = box
    _, h, w = maps.shape
    yc = np.clip((np.arange(rows) + 0.5 - rs) * h / side - 0.5, 0, h - 1)
    xc = np.clip((np.arange(cols) + 0.5 - cs) * w / side - 0.5, 0, w - 1)
    y0 = np.minimum(np.floor(yc).astype(np.int64), h - 2) if h > 1 else np.zeros(rows, np.int64)
    x0 = np.minimum(np.floor(xc).astype(np.int64), w - 2) if w > 1 else np.zeros(cols, np.int64)
    fy = (yc - y0)[:, None]
    fx = (xc - x0)[None, :]
    y1 = np.minimum(y0 + 1, h - 1)
    x1 = np.minimum(x0 + 1, w - 1)
    m = maps.astype(np.float32)
    return (m[:, y0][:, :, x0] * (1 - fy) * (1 - fx) + m[:, y0][:, :, x1] * (1 - fy) * fx
            + m[:, y1][:, :, x0] * fy * (1 - fx) + m[:, y1][:, :, x1] * fy * fx)
