"""display_curve: another site's 8-bit display (gamma, CLAHE-like local contrast) applied to HU crops."""
import torch

from lungburden.augment import display_curve
from lungburden.data.preprocess import PreprocessConfig

PRE = PreprocessConfig()
LO8 = PRE.eight_bit_center_hu - PRE.eight_bit_width_hu / 2
HI8 = LO8 + PRE.eight_bit_width_hu


def _crops(b=6):
    ramp = torch.linspace(-1100.0, 400.0, 3 * 32 * 32).reshape(1, 3, 32, 32)
    return ramp.repeat(b, 1, 1, 1)


def test_off_leaves_the_crops_exactly_unchanged():
    x = _crops()
    assert torch.equal(display_curve(x, PRE, torch.Generator().manual_seed(1), p=0.0), x)


def test_on_changes_every_sample_within_the_eight_bit_window_and_is_deterministic():
    x = _crops()
    a = display_curve(x, PRE, torch.Generator().manual_seed(3), p=1.0)
    b = display_curve(x, PRE, torch.Generator().manual_seed(3), p=1.0)
    assert torch.equal(a, b)
    assert a.min() >= LO8 - 1e-3 and a.max() <= HI8 + 1e-3
    assert all(not torch.allclose(a[i], x[i].clamp(LO8, HI8)) for i in range(len(x)))


def test_gamma_alone_keeps_the_order_of_grey_levels():
    x = _crops(1)
    y = display_curve(x, PRE, torch.Generator().manual_seed(0), p=1.0, contrast=(0.0, 0.0))
    flat = y.flatten()
    assert torch.all(flat[1:] >= flat[:-1] - 1e-3)


def test_eligible_limits_the_alteration_to_its_samples_with_the_same_draws():
    x = _crops(4)
    every = display_curve(x, PRE, torch.Generator().manual_seed(5), p=1.0)
    some = display_curve(x, PRE, torch.Generator().manual_seed(5), p=1.0,
                         eligible=torch.tensor([True, False, True, False]))
    assert torch.equal(some[0], every[0]) and torch.equal(some[2], every[2])
    assert torch.equal(some[1], x[1]) and torch.equal(some[3], x[3])
