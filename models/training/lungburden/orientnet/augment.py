"""One training input of OrientNet from an upright base: the failure classes of the heuristic on
purpose (no table / a table on either side, circular or truncated field of view, CLAHE-like and
other contrast, rotation / scale / shift, noise, blur, low resolution, random 8-bit windows), then a
random one of the 8 stored orientations, then exactly the app's preprocessing of an 8-bit image
(``eightBitWindow`` to HU, body-box crop, resize to 64 x 64, window + normalise).

Every step acts on the whole 256 x 256 slice before the body box is found, as in the app, so the
crop itself sees tables and field-of-view edges as they would occur."""
from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from ..data.preprocess import PreprocessConfig, body_box, eight_bit_to_hu, normalize, resize_box
from .d4 import from_upright, orientation_class
from .net import SIZE


def orientnet_config(margin: int = 8) -> PreprocessConfig:
    """The lesion model's preprocessing contract at 64 x 64, one slice per input."""
    return PreprocessConfig(height=SIZE, width=SIZE, slice_window=1, body_crop_margin_px=margin)


def render_window(hu: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """HU -> 8-bit display values (float 0..255) through a random lung (mostly) or wide window."""
    if rng.random() < 0.8:
        c, w = rng.uniform(-750, -350), rng.uniform(900, 1900)
    else:
        c, w = rng.uniform(-350, 0), rng.uniform(1400, 2200)
    v = np.clip((hu - (c - w / 2)) / w, 0, 1)
    if rng.random() < 0.5:
        lo, hi = np.percentile(v, 0.5), np.percentile(v, 99.5)
        v = np.clip((v - lo) / max(hi - lo, 1e-3), 0, 1)
    return (v * 255).astype(np.float32)


def _body(v: np.ndarray) -> np.ndarray:
    """Largest component >= the body threshold of the 8-bit mapping (gray 127.5 = -500 HU), filled."""
    m = v >= 127.5
    lab, n = ndimage.label(m)
    if n == 0:
        return m
    counts = np.bincount(lab.ravel())
    counts[0] = 0
    return ndimage.binary_fill_holes(lab == int(np.argmax(counts)))


def remove_outside_body(v: np.ndarray, bg: float) -> np.ndarray:
    """Everything outside the (dilated) body set to ``bg``: removes the table, cables, blankets."""
    keep = ndimage.binary_dilation(_body(v), iterations=3)
    return np.where(keep, v, bg).astype(np.float32)


def add_table(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A curved table band below (supine) or above (prone) the body, touching it or not."""
    body = _body(v)
    rows, cols = np.nonzero(body)
    if len(rows) < 50:
        return v
    r0, r1, c0, c1 = rows.min(), rows.max(), cols.min(), cols.max()
    below = rng.random() < 0.65
    gap, thick = int(rng.integers(0, 8)), int(rng.integers(2, 9))
    half = (c1 - c0) / 2 * rng.uniform(0.8, 1.5)
    xc = (c0 + c1) / 2
    curve = rng.uniform(0, 12)
    out = v.copy()
    bright = rng.uniform(110, 255)
    x = np.arange(v.shape[1])
    inside = np.abs(x - xc) <= half
    off = (curve * ((x - xc) / max(half, 1)) ** 2).astype(int)
    for t in range(thick):
        y = (r1 + 1 + gap + t - off) if below else (r0 - 1 - gap - t + off)
        ok = inside & (y >= 0) & (y < v.shape[0])
        out[y[ok], x[ok]] = bright
    return out


def affine(v: np.ndarray, bg: float, rng: np.random.Generator) -> np.ndarray:
    n = v.shape[0]
    a = math.radians(rng.uniform(-25, 25))
    s = rng.uniform(0.75, 1.3)
    m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) / s
    c = np.array([n / 2 - 0.5, n / 2 - 0.5])
    off = c - m @ c + rng.uniform(-20, 20, 2)
    return ndimage.affine_transform(v, m, off, order=1, mode="constant", cval=bg)


def field_of_view(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Circular field of view (outside black or a dark grey) and/or one truncated side."""
    n = v.shape[0]
    out = v
    fill = 0.0 if rng.random() < 0.6 else rng.uniform(0, 100)
    if rng.random() < 0.45:
        yy, xx = np.mgrid[0:n, 0:n]
        cy, cx = n / 2 + rng.uniform(-12, 12, 2)
        r = n * rng.uniform(0.36, 0.56)
        out = np.where((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r, out, fill)
    if rng.random() < 0.15:
        out = out.copy()
        w = int(rng.integers(5, 45))
        side = int(rng.integers(4))
        sl = [(slice(0, w), slice(None)), (slice(n - w, n), slice(None)),
              (slice(None), slice(0, w)), (slice(None), slice(n - w, n))][side]
        out[sl] = fill
    return out.astype(np.float32)


def contrast(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gamma, CLAHE-like local contrast (unsharp mask at a large radius), global equalisation,
    blur, low resolution, noise; returns 0..255 floats."""
    x = np.clip(v / 255.0, 0, 1) ** rng.uniform(0.6, 1.6)
    if rng.random() < 0.3:
        s = rng.uniform(3, 16)
        x = np.clip(x + rng.uniform(0.3, 1.5) * (x - ndimage.gaussian_filter(x, s)), 0, 1)
    if rng.random() < 0.15:
        q = np.round(x * 255).astype(np.int64)
        cdf = np.cumsum(np.bincount(q.ravel(), minlength=256)).astype(np.float64)
        cdf = (cdf - cdf[0]) / max(cdf[-1] - cdf[0], 1)
        x = (1 - (a := rng.uniform(0.3, 1))) * x + a * cdf[q]
    if rng.random() < 0.2:
        x = ndimage.gaussian_filter(x, rng.uniform(0.3, 1.2))
    if rng.random() < 0.2:
        f = rng.uniform(0.35, 0.7)
        small = ndimage.zoom(x, f, order=1)
        x = ndimage.zoom(small, np.array(x.shape) / np.array(small.shape), order=1)
    x = x * rng.uniform(0.85, 1.1) + rng.uniform(-0.06, 0.06)
    if rng.random() < 0.5:
        x = x + rng.normal(0, rng.uniform(0, 0.035), x.shape)
    return np.clip(np.round(x * 255), 0, 255).astype(np.float32)


def upright_8bit(base: np.ndarray, is_hu: bool, rng: np.random.Generator) -> np.ndarray:
    """An augmented upright 8-bit image (float 0..255) from a cached base."""
    v = render_window(base.astype(np.float32), rng) if is_hu else base.astype(np.float32)
    bg = float(np.percentile(v, 1))
    if rng.random() < 0.5:
        v = remove_outside_body(v, bg)
    if rng.random() < 0.35:
        v = add_table(v, rng)
    if rng.random() < 0.85:
        v = affine(v, bg, rng)
    v = field_of_view(v, rng)
    return contrast(v, rng)


def network_input(gray: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """The app's preprocessing of an 8-bit image ``gray[row, col]``: float32 ``[64, 64]``."""
    hu = eight_bit_to_hu(np.asarray(gray, dtype=np.float64), cfg)
    box = body_box(hu, cfg)
    return normalize(resize_box(hu, box, cfg.height, cfg.width), cfg).astype(np.float32)


def sample(base: np.ndarray, is_hu: bool, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """``(input [64, 64], class)`` from one upright base, in a random one of the 8 orientations."""
    v = upright_8bit(base, is_hu, rng)
    k = int(rng.integers(8))
    cfg = orientnet_config(int(rng.integers(2, 13)))
    return network_input(np.ascontiguousarray(from_upright(v, k)), cfg), orientation_class(k)
