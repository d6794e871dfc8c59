"""Insert synthetic COVID-19 lesions into a lesion-free HU slab ``hu[k,row,col]`` (after Yao et al. 2021).

Each lesion is a 3-D shape (union of 1-3 ellipsoids whose implicit field is deformed by smooth
noise) clipped to the lung mask, with a soft opacity ``alpha`` (field ramp + Gaussian blur = blurred
borders). The **label** of a lesion is exactly the set of lung voxels where its alpha >= 0.5 (its
half-maximum core); voxels with 0 < alpha < 0.5 are the partial-volume border and stay unlabelled.
Kinds:

* ``ggo``: blend towards a target in -700..-350 HU with peak alpha 0.6-0.85, so vessels keep
  contrast (label 1);
* ``crazy``: GGO + a reticular septal pattern (thin ridges of smooth noise, +120..+220 HU) (label 1);
* ``consolidation``: target -70..+40 HU, peak alpha 0.97-1.0: vessels are obscured (label 2);
* ``effusion``: dependent fluid 0..+20 HU filling the posterior (gravity side) part of the lung,
  deepest on the caudal slices of the slab (label 2).

Texture noise (smooth + white) is added to the targets. Centres are subpleural (within 12 mm of the
lung border) with probability 0.7; lesions are spread over both lungs. Label priority: 2 over 1.
Deterministic given ``numpy.random.Generator`` state.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

EFFUSION_HU = (0.0, 20.0)


@dataclass(frozen=True)
class LesionProfile:
    """Intensity parameters of the inserted lesions.

    ``v1`` is the first engine (model 1.0). ``v2`` widens both classes towards what the *training*
    slices of MedSeg show once mapped to HU (GGO cores spread over -920..-340, high opacity over
    -740..+110; see ``models/training/README.md``): fainter GGO (lower peak opacity, targets down to
    -760 HU) and less dense, partly aerated consolidation (targets from -150 HU).
    """

    ggo_target: tuple[float, float] = (-700.0, -350.0)
    ggo_peak: tuple[float, float] = (0.6, 0.85)
    cons_target: tuple[float, float] = (-70.0, 40.0)
    class_hu_range: tuple[tuple[float, float], tuple[float, float]] = ((-750.0, -300.0), (-100.0, 50.0))


PROFILES = {
    "v1": LesionProfile(),
    "v2": LesionProfile(ggo_target=(-760.0, -300.0), ggo_peak=(0.45, 0.9), cons_target=(-150.0, 40.0),
                        class_hu_range=((-820.0, -300.0), (-160.0, 50.0))),
}
GGO_TARGET = PROFILES["v1"].ggo_target
CONS_TARGET = PROFILES["v1"].cons_target
CLASS_HU_RANGE = {1: PROFILES["v1"].class_hu_range[0], 2: PROFILES["v1"].class_hu_range[1]}


@dataclass
class LesionRecord:
    kind: str
    label: int
    target_hu: float
    voxels: int          # voxels of this lesion's core (alpha >= 0.5) inside the lung


@dataclass
class SynthResult:
    hu: np.ndarray                 # modified slab, float32
    labels: np.ndarray             # uint8 0/1/2
    alpha: np.ndarray              # float32 max opacity of any lesion per voxel
    lesions: list[LesionRecord] = field(default_factory=list)


def smooth_noise(shape, sigma, rng: np.random.Generator) -> np.ndarray:
    """Unit-variance Gaussian-filtered white noise (sigma in voxels, per axis)."""
    n = ndimage.gaussian_filter(rng.standard_normal(shape).astype(np.float32), sigma, mode="reflect")
    s = float(n.std())
    return n / s if s > 0 else n


def _pick_centre(lung: np.ndarray, periph: np.ndarray, side_mask: np.ndarray, rng, subpleural: bool):
    cand = lung & side_mask & (periph if subpleural else ~periph)
    if not cand.any():
        cand = lung & side_mask
    if not cand.any():
        cand = lung
    idx = np.flatnonzero(cand)
    return np.array(np.unravel_index(idx[rng.integers(len(idx))], lung.shape), dtype=np.float32)


def _shape_field(shape, centre, radii_vox, rng, grid) -> np.ndarray:
    """Implicit field (>0 inside) of a union of 1-3 ellipsoids around ``centre``."""
    f = np.full(shape, -np.inf, dtype=np.float32)
    for _ in range(int(rng.integers(1, 4))):
        c = centre + rng.uniform(-0.6, 0.6, 3).astype(np.float32) * radii_vox
        r = radii_vox * rng.uniform(0.6, 1.0, 3).astype(np.float32)
        d2 = sum(((grid[a] - c[a]) / r[a]) ** 2 for a in range(3))
        f = np.maximum(f, 1.0 - d2)
    return f


def insert_lesions(hu: np.ndarray, lung: np.ndarray, spacing: tuple[float, float, float], rng: np.random.Generator,
                   n_lesions: int | None = None, p_effusion: float = 0.25, kinds: tuple[str, ...] | None = None,
                   profile: LesionProfile = PROFILES["v1"]) -> SynthResult:
    """Insert lesions into ``hu`` (not modified in place). ``spacing = (dz, dy, dx)`` mm."""
    hu = hu.astype(np.float32)
    lung = lung.astype(bool)
    out = hu.copy()
    labels = np.zeros(hu.shape, dtype=np.uint8)
    alpha_max = np.zeros(hu.shape, dtype=np.float32)
    records: list[LesionRecord] = []
    if not lung.any():
        return SynthResult(out, labels, alpha_max, records)
    sp = np.array(spacing, dtype=np.float32)
    grid = np.indices(hu.shape, dtype=np.float32)
    # distance to the lung border in the axial plane (mm) -> subpleural zone
    dist = np.stack([ndimage.distance_transform_edt(lung[k], sampling=spacing[1:]) for k in range(hu.shape[0])])
    periph = lung & (dist < 12.0)
    cols = np.nonzero(lung.any(axis=(0, 1)))[0]
    mid_col = (cols.min() + cols.max()) / 2.0
    right = grid[2] < mid_col  # image left = patient right
    if n_lesions is None:
        n_lesions = int(rng.integers(2, 9))
    if kinds is None:
        kinds = tuple(rng.choice(["ggo", "ggo", "ggo", "crazy", "consolidation", "consolidation"], size=n_lesions))
    texture = smooth_noise(hu.shape, (0.7, 2.0, 2.0), rng)
    white = rng.standard_normal(hu.shape).astype(np.float32)
    order = sorted(range(len(kinds)), key=lambda i: kinds[i] == "consolidation")  # GGO first, HO painted over
    for j, i in enumerate(order):
        kind = str(kinds[i])
        side = right if (j % 2 == 0) == bool(rng.integers(2)) else ~right
        centre = _pick_centre(lung, periph, side, rng, subpleural=rng.random() < 0.7)
        r_mm = np.array([rng.uniform(6, 30), rng.uniform(12, 60), rng.uniform(12, 60)], dtype=np.float32)
        if kind == "consolidation":
            r_mm *= 0.7
        f = _shape_field(hu.shape, centre, r_mm / sp, rng, grid)
        f = f + 0.35 * smooth_noise(hu.shape, (1.0, 4.0, 4.0), rng)
        ramp = np.clip(f / 0.4, 0.0, 1.0)
        a = ndimage.gaussian_filter(ramp, (0.5, 1.2, 1.2)) * lung
        if kind == "consolidation":
            peak, target = rng.uniform(0.97, 1.0), rng.uniform(*profile.cons_target)
            tex = 15.0 * texture + 10.0 * white
        else:
            peak, target = rng.uniform(*profile.ggo_peak), rng.uniform(*profile.ggo_target)
            tex = 30.0 * texture + 15.0 * white
        core = a >= 0.5
        if not core.any():
            continue
        tgt = target + tex
        if kind == "crazy":
            ridge = np.abs(smooth_noise(hu.shape, (0.3, 1.6, 1.6), rng)) < 0.12
            tgt = tgt + ridge * rng.uniform(120, 220)
        aa = a * peak
        out = (1.0 - aa) * out + aa * tgt
        lab = 2 if kind == "consolidation" else 1
        labels[core] = np.maximum(labels[core], lab)
        alpha_max = np.maximum(alpha_max, a)
        records.append(LesionRecord(kind, lab, float(target), int(core.sum())))
    if rng.random() < p_effusion:
        rec = _effusion(out, labels, alpha_max, lung, spacing, rng)
        if rec is not None:
            records.append(rec)
    return SynthResult(out.astype(np.float32), labels, alpha_max, records)


def _effusion(out, labels, alpha_max, lung, spacing, rng) -> LesionRecord | None:
    """Dependent pleural fluid: posterior-most ``depth`` mm of each lung column, deeper caudally."""
    nk, nr, nc = lung.shape
    depth_mm = rng.uniform(10, 45)
    slope = np.linspace(1.0, rng.uniform(0.2, 0.8), nk)  # k increases cranially: deepest at k = 0
    wobble = 1.0 + 0.25 * smooth_noise((nk, nc), (1.0, 6.0), rng)
    rows = np.arange(nr)[None, :, None]
    has = lung.any(axis=1)                                     # [k, col]
    post = np.where(has, nr - 1 - np.argmax(lung[:, ::-1, :], axis=1), -1)  # posterior-most lung row
    d_px = depth_mm * slope[:, None] * wobble / spacing[1]
    fluid = lung & (rows >= (post - d_px)[:, None, :]) & has[:, None, :]
    if not fluid.any():
        return None
    target = rng.uniform(*EFFUSION_HU)
    val = target + 4.0 * rng.standard_normal(out.shape).astype(np.float32)
    out[fluid] = val[fluid]
    labels[fluid] = 2
    alpha_max[fluid] = 1.0
    return LesionRecord("effusion", 2, float(target), int(fluid.sum()))
