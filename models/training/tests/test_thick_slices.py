"""thick_slices: thicker reconstructions made from thinner ones, and their truth."""
import numpy as np

from lungburden.thick_slices import thick_truth, thicken


def test_thicken_averages_runs_of_slices_and_drops_the_remainder():
    a = np.arange(5, dtype=np.float32).reshape(5, 1, 1) * np.ones((5, 2, 2), np.float32)
    t = thicken(a, 2)
    assert t.shape == (2, 2, 2)
    assert np.allclose(t[:, 0, 0], [0.5, 2.5])


def test_thick_truth_needs_half_the_thin_voxels_and_takes_the_larger_class():
    lab = np.zeros((4, 1, 4), np.uint8)
    lab[0, 0, :] = [1, 2, 1, 0]  # slice pair 1: (1,1) GGO, (2,0) HO half, (1,2) tie -> GGO, (0,0) background
    lab[1, 0, :] = [1, 0, 2, 0]
    lab[2, 0, :] = [2, 2, 0, 1]  # slice pair 2: (2,2) HO, (2,1) tie -> GGO, (0,0), (1,0) GGO half
    lab[3, 0, :] = [2, 1, 0, 0]
    t = thick_truth(lab, 2)
    assert t[0, 0].tolist() == [1, 2, 1, 0]
    assert t[1, 0].tolist() == [2, 1, 0, 1]


def test_summary_rows_pair_every_row_with_the_base_per_volume():
    from lungburden.thick_slices import summary_rows

    row = lambda les, pred: {"dice": {"ggo": [0.5, 0.5], "ho": [0.2, 0.2], "lesion": les},  # noqa: E731
                             "pred_ml": pred, "true_ml": [10.0, 20.0]}
    lines = summary_rows({"a": row([0.5, 0.7], [10.0, 20.0]), "b": row([0.4, 0.6], [15.0, 25.0])}, "a",
                         {"a": "A", "b": "B"}, "what")
    assert lines[0].startswith("| what |") and "vs A" in lines[0] and len(lines) == 4
    assert lines[2].startswith("| A | 0.500 / 0.200 / 0.600 | +0.000")
    assert lines[3].startswith("| B | 0.500 / 0.200 / 0.500 | -0.100") and "+5.0 [+5.0, +5.0]" in lines[3]
