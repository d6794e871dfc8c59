"""lungburden.gate_power: minimal detectable difference and items needed, from paired per-slice differences."""
import numpy as np
import pytest

from lungburden.gate_power import items_needed, mde, power_rows


def _m(vals):
    return {"medseg_per_slice": [{"id": str(i), "dice_ggo": v, "dice_ho": v, "dice_lesion": v} for i, v in enumerate(vals)]}


def test_mde_and_items_follow_the_normal_approximation():
    assert mde(0.1, 25) == pytest.approx(2.8016 * 0.1 / 5, rel=1e-4)
    assert items_needed(0.1, 0.02) == int(np.ceil((2.8016 * 5) ** 2))


def test_power_rows_pool_the_paired_spread_of_the_candidates():
    ref = _m([0.5, 0.6, 0.7, 0.4])
    a = _m([0.6, 0.6, 0.7, 0.4])   # differences 0.1, 0, 0, 0
    b = _m([0.5, 0.5, 0.7, 0.4])   # differences 0, -0.1, 0, 0
    rows = {r["metric"]: r for r in power_rows(ref, {"a": a, "b": b})}
    sd = np.std([0.1, 0, 0, 0], ddof=1)
    assert rows["lesion"]["paired_sd"] == pytest.approx(sd)
    assert rows["lesion"]["candidate_differences"] == pytest.approx([-0.025, 0.025])
    assert rows["lesion"]["n"] == 4 and rows["lesion"]["target"] == 0.73
    with pytest.raises(ValueError, match="other MedSeg slices"):
        power_rows(ref, {"c": _m([0.5, 0.6, 0.7])})
