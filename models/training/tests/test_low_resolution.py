"""low_resolution: an image saved at a lower resolution than it is shown at (the stress test's "half resolution")."""
import torch

from lungburden.augment import low_resolution


def _crops(b=4, n=32):
    g = torch.Generator().manual_seed(0)
    return torch.rand(b, 3, n, n, generator=g) * 1400.0 - 1100.0


def test_off_leaves_the_crops_exactly_unchanged():
    x = _crops()
    assert torch.equal(low_resolution(x, torch.Generator().manual_seed(1), p=0.0), x)


def test_on_blurs_every_sample_keeps_its_size_and_mean_and_is_deterministic():
    x = _crops()
    a = low_resolution(x, torch.Generator().manual_seed(2), p=1.0, factor=(2.0, 2.0))
    b = low_resolution(x, torch.Generator().manual_seed(2), p=1.0, factor=(2.0, 2.0))
    assert torch.equal(a, b) and a.shape == x.shape
    for i in range(len(x)):
        # fine detail (pixel-to-pixel differences) is lost, the overall level is kept
        assert a[i].diff(dim=-1).abs().mean() < 0.6 * x[i].diff(dim=-1).abs().mean()
        assert abs(float(a[i].mean() - x[i].mean())) < 15.0


def test_a_smooth_image_survives_unchanged_within_rounding():
    ramp = torch.linspace(-1000.0, 0.0, 32).view(1, 1, 1, 32).repeat(2, 3, 32, 1)
    y = low_resolution(ramp, torch.Generator().manual_seed(3), p=1.0, factor=(2.0, 2.0))
    inner = (slice(None), slice(None), slice(2, -2), slice(2, -2))
    assert torch.allclose(y[inner], ramp[inner], atol=1e-2)


def test_eligible_limits_the_alteration_to_its_samples_with_the_same_draws():
    x = _crops()
    every = low_resolution(x, torch.Generator().manual_seed(5), p=1.0)
    some = low_resolution(x, torch.Generator().manual_seed(5), p=1.0, eligible=torch.tensor([True, False, True, False]))
    assert torch.equal(some[0], every[0]) and torch.equal(some[2], every[2])
    assert torch.equal(some[1], x[1]) and torch.equal(some[3], x[3])
