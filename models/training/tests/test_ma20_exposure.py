"""lungburden.ma20_exposure: the MA20 validation slices split by whether the reference lineage trained on them."""
import json

import pytest

from lungburden.ma20_exposure import SPLITS, exposure_rows, exposure_subsets


def test_the_committed_splits_give_three_disjoint_subsets_covering_every_validation_slice():
    ps = json.loads((SPLITS / "ma20-patients.json").read_text())
    bs = json.loads((SPLITS / "validation.json").read_text())
    subsets = exposure_subsets(ps, bs)
    sizes = {k.split(" (")[0]: len(v) for k, v in subsets.items()}
    assert sizes == {"seen by 1.2.0": 179, "old validation blocks": 100, "clean patient": 159}
    idx = [i for v in subsets.values() for i in v]
    assert sorted(idx) == list(range(len(ps["validation"])))


def test_uncovered_slices_are_refused():
    ps = {"validation": [1, 2, 3], "cleanValidation": [3]}
    bs = {"ma20": {"train": [1], "validation": []}}
    with pytest.raises(ValueError, match="cover 2 of 3"):
        exposure_subsets(ps, bs)


def test_rows_pair_each_subset_for_argmax_and_the_rule():
    subsets = {"a": [0, 1], "b": [2]}
    ref = {"ma20_patients": {"per_slice_dice_lesion": [0.5, 0.5, 0.9], "post": {"per_slice_dice_lesion": [0.4, 0.4, 0.9]}}}
    cand = {"ma20_patients": {"per_slice_dice_lesion": [0.7, 0.7, 0.8], "post": {"per_slice_dice_lesion": [0.6, 0.6, 0.7]}}}
    rows = {(r["rule"], r["subset"]): r for r in exposure_rows(ref, cand, subsets)}
    assert rows[("argmax", "a")]["diff"] == pytest.approx(0.2)
    assert rows[("argmax", "b")]["diff"] == pytest.approx(-0.1)
    assert rows[("decision rule", "b")]["diff"] == pytest.approx(-0.2)
    assert rows[("decision rule", "a")]["ci95"] == pytest.approx([0.2, 0.2])


def _stress_run(ma_vals, ms_vals):
    sets = [{"name": "medseg validation", "threeClass": True, "ids": ["24", "33"]},
            {"name": "ma20", "threeClass": False, "ids": ["0001", "1100", "1101"]}]
    per = {"as is": {"medseg validation": {"lesion": {"ours": ms_vals}}, "ma20": {"lesion": {"ours": ma_vals}}}}
    return {"sets": sets, "perSlice": per}


def test_the_stress_table_splits_ma20_slices_into_clean_and_exposed():
    from lungburden.stress_by_exposure import table
    run = _stress_run

    rows = table([("a", run([0.2, 0.8, 0.6], [0.5, 0.7])), ("b", run([0.4, 0.6, 0.6], [0.6, 0.6]))], {1100, 1101})
    assert rows[2] == "| as is | 0.70 / 0.60 | 0.20 / 0.40 | 0.60 / 0.60 |"
    assert "(2)" in rows[0] and "(1)" in rows[0]


def test_paired_stress_rows_pair_the_same_slices_per_subset():
    from lungburden.stress_by_exposure import paired_rows
    rows = {r["subset"]: r for r in paired_rows(_stress_run([0.2, 0.8, 0.6], [0.5, 0.7]),
                                                _stress_run([0.4, 0.6, 0.7], [0.6, 0.6]), {1100, 1101})}
    assert rows["MA20 clean patient"]["n"] == 2 and rows["MA20 clean patient"]["diff"] == pytest.approx(-0.05)
    assert rows["MA20 exposed patients"]["ci95"] == pytest.approx([0.2, 0.2])
    assert rows["MedSeg"]["diff"] == pytest.approx(0.0) and all(r["variant"] == "as is" for r in rows.values())
    other = _stress_run([0.4, 0.6, 0.7], [0.6, 0.6])
    other["sets"][1]["ids"] = ["0002", "1100", "1101"]
    with pytest.raises(ValueError, match="other slices"):
        paired_rows(_stress_run([0.2, 0.8, 0.6], [0.5, 0.7]), other, {1100, 1101})
