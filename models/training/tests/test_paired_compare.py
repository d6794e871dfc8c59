"""lungburden.paired_compare: the Inf-Net-style rows score a slice whose truth lacks the class as 0 for both models."""
from lungburden.paired_compare import compare


def _run(ho_values):
    per = [{"id": str(i), "dice_ggo": 0.5, "dice_ho": v, "dice_lesion": 0.6} for i, v in enumerate(ho_values)]
    return {"medseg_post_per_slice": per}


def test_a_slice_without_true_high_opacity_swings_ours_but_not_infnet_style():
    ref = _run([1.0, 0.4, 0.5])  # slice 0: no HO in truth, the reference predicts none (ours: 1)
    cand = _run([0.0, 0.4, 0.5])  # the candidate predicts a few HO pixels there (ours: 0)
    truth = {"0": {"ggo", "lesion"}, "1": {"ggo", "ho", "lesion"}, "2": {"ggo", "ho", "lesion"}}
    rows = {(r["set"], r["metric"]): r for r in compare(ref, cand, truth)}
    ours = rows[("MedSeg val (decision rule)", "ho per-slice Dice")]
    infnet = rows[("MedSeg val (decision rule), Inf-Net style", "ho per-slice Dice")]
    assert round(ours["diff"], 6) == round(-1 / 3, 6)
    assert infnet["diff"] == 0.0 and infnet["a"] == (0.4 + 0.5) / 3
    assert ("MedSeg val (decision rule), Inf-Net style", "ho per-slice Dice") not in {
        (r["set"], r["metric"]) for r in compare(ref, cand)}


def test_synthetic_volumes_are_paired_per_volume_when_both_runs_kept_them():
    def run(lesion):
        return {"synthetic": {"per_volume": {"rule_z": {"volume_dice_ggo": [0.5] * 3, "volume_dice_ho": [0.2] * 3,
                                                        "volume_dice_lesion": lesion}}}}
    rows = {(r["set"], r["metric"]): r for r in compare(run([0.5, 0.6, 0.7]), run([0.49, 0.59, 0.69]))}
    les = rows[("Synthetic volumes (decision rule + z)", "lesion per-volume Dice")]
    assert les["n"] == 3 and round(les["diff"], 6) == -0.01 and les["ci95"][1] < 0
    assert ("Synthetic volumes (argmax)", "lesion per-volume Dice") not in rows
    assert not [r for r in compare({"synthetic": {}}, run([0.5]))]
