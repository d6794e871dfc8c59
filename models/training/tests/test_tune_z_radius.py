"""Choosing the z-smoothing radius (lungburden.tune_z_radius): ties go to the smaller radius; smoothing removes the
bands of a volume whose split probability flips from slice to slice."""
import numpy as np

from lungburden.tune_z_radius import choose_radius, score_radii


def test_the_smallest_radius_within_the_tie_margin_wins():
    assert choose_radius({0: 0.50, 1: 0.60, 2: 0.6008, 3: 0.59}) == 1
    assert choose_radius({0: 0.50, 1: 0.60, 2: 0.62, 3: 0.6195}) == 2


def test_smoothing_removes_alternating_bands_and_scores_them():
    # one lesion column through 9 slices, truth GGO everywhere; the split probability alternates around the threshold
    k, n = 9, 4
    truth = np.zeros((k, n, n), np.uint8)
    truth[:, 1:3, 1:3] = 1
    split = np.zeros((k, n, n), np.uint8)
    split[:, 1:3, 1:3] = np.where(np.arange(k) % 3 == 0, 200, 100)[:, None, None]  # 200/255 >= 0.7: HO every 3rd slice
    rule = np.where(split >= 255 * 0.7, 2, 1).astype(np.uint8) * (truth > 0)
    s = score_radii([rule], [split], [truth], [0, 1], 0.7)
    assert s[0]["z_alternation"] > 0.5 and s[1]["z_alternation"] == 0.0
    assert s[1]["dice_ggo"] == 1.0 and s[0]["dice_ggo"] < 1.0 and s[1]["dice_lesion"] == s[0]["dice_lesion"] == 1.0
