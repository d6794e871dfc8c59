"""volume_stress: dose and kernel variants of a HU volume (same grid, so the truth is unchanged)."""
import numpy as np

from lungburden.volume_stress import VARIANTS, added_noise, sharp_kernel, smooth_kernel


def _volume():
    hu = np.full((3, 32, 32), -850.0, np.float32)
    hu[:, 10:20, 10:20] = 40.0
    return hu


def test_every_variant_keeps_the_grid_and_as_is_is_the_identity():
    hu = _volume()
    for name, variant in VARIANTS.items():
        out = variant(hu, np.random.default_rng(0))
        assert out.shape == hu.shape and out.dtype == np.float32, name
    assert np.array_equal(VARIANTS["as is"](hu, np.random.default_rng(0)), hu)


def test_added_noise_has_the_asked_standard_deviation_and_is_reproducible():
    hu = _volume()
    a = added_noise(50.0)(hu, np.random.default_rng(1))
    assert abs(float((a - hu).std()) - 50.0) < 2.0
    assert np.array_equal(a, added_noise(50.0)(hu, np.random.default_rng(1)))


def test_kernels_soften_or_enhance_an_edge_and_keep_flat_regions():
    hu = _volume()
    soft, sharp = smooth_kernel(hu, None), sharp_kernel(hu, None)
    assert abs(float(soft[1, 15, 15]) - 40.0) < 1 and abs(float(sharp[1, 2, 2]) + 850.0) < 1
    step = lambda v: float(v[1, 15, 10] - v[1, 15, 9])  # noqa: E731
    assert step(soft) < step(hu) < step(sharp)
