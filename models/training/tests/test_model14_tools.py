"""Model 1.4 tools: the MedSeg tuning split, paired bootstrap comparison, minimum component size, metrics for the
accurate bundle."""
import json

import numpy as np

from lungburden.compare_runs import recall_precision
from lungburden.export_tta import mirror_metrics
from lungburden.medseg_tune_split import TUNE_SPLIT_FILE
from lungburden.paired_compare import compare, paired_bootstrap
from lungburden.paths import SPLITS_FILE
from lungburden.tune_postprocess import drop_small_components


def test_tuning_split_is_carved_from_training_only():
    split = json.loads(SPLITS_FILE.read_text())["medseg"]
    tune = json.loads(TUNE_SPLIT_FILE.read_text())
    assert len(tune["tune"]) == 8
    assert sorted(tune["tune"] + tune["fit"], key=int) == sorted(split["train"], key=int)
    assert not set(tune["tune"]) & set(tune["fit"])
    assert not set(tune["tune"] + tune["fit"]) & set(split["validation"])


def test_paired_bootstrap_separates_a_shift_from_noise():
    rng = np.random.default_rng(0)
    a = rng.uniform(0.3, 0.7, 10)
    same = paired_bootstrap(a, a)
    assert same["diff"] == 0 and not same["beyond_noise"]
    up = paired_bootstrap(a, a + 0.05 + rng.normal(0, 0.01, 10))
    assert up["beyond_noise"] and up["ci95"][0] > 0
    noisy = paired_bootstrap(a, a + rng.normal(0, 0.2, 10))
    assert noisy["ci95"][0] < noisy["diff"] < noisy["ci95"][1]


def test_compare_reads_per_slice_rows_and_ma20_values():
    rows = [{"id": str(i), "dice_ggo": 0.4, "dice_ho": 0.4, "dice_lesion": 0.6} for i in range(5)]
    better = [{**r, "dice_ggo": 0.5} for r in rows]
    ma, mb = {"medseg_per_slice": rows, "ma20_patients": {"per_slice_dice_lesion": [0.5] * 4}}, \
        {"medseg_per_slice": better, "ma20_patients": {"per_slice_dice_lesion": [0.5] * 4}}
    out = {(r["set"], r["metric"]): r for r in compare(ma, mb)}
    assert abs(out[("MedSeg val (argmax)", "ggo per-slice Dice")]["diff"] - 0.1) < 1e-12
    assert out[("MA20 val patients (argmax)", "lesion per-slice Dice")]["diff"] == 0


def test_drop_small_components_keeps_labels_of_large_ones():
    lab = np.zeros((12, 12), np.uint8)
    lab[1:3, 1:3] = 1          # 4 px
    lab[5:10, 5:10] = 2        # 25 px
    lab[5, 5] = 1
    out = drop_small_components(lab, 5)
    assert out[1:3, 1:3].sum() == 0
    assert (out[5:10, 5:10] == lab[5:10, 5:10]).all()
    assert (drop_small_components(lab, 0) == lab).all()


def test_mirror_metrics_take_the_mirror_averaged_medseg_figures():
    m = {"medseg_mirror": {"dice_ggo": 0.5, "dice_ho": 0.4, "dice_lesion": 0.7, "dice_ggo_infnet": 0.5,
                           "dice_ho_infnet": 0.3, "dice_lesion_infnet": 0.7, "dice_ggo_pooled": 0.6, "dice_ho_pooled": 0.5},
         "medseg_mirror_post": {"dice_ggo": 0.51, "dice_ho": 0.41, "dice_lesion": 0.71}}
    out = mirror_metrics(m)
    assert out["medseg_val_dice_lesion"] == 0.7 and out["medseg_val_post_dice_ho"] == 0.41


def test_recall_precision_pools_the_confusion_matrix_per_class_and_for_the_lesion():
    # rows truth bg/GGO/HO, columns prediction
    rows = [[90, 6, 4], [10, 30, 10], [0, 5, 15]]
    # GGO: 30 of 50 true, 30 of 41 predicted; HO: 15 of 20, 15 of 29; lesion: 60 of 70 true, 60 of 70 predicted
    assert recall_precision(rows) == "0.60/0.73; 0.75/0.52; 0.86/0.86"


def test_tuning_caches_keep_the_antialias_flag(tmp_path):
    """A cache written with ``--antialias`` holds a 0-d ``antialias`` flag; the fit / tune caches copy it (it used to
    raise IndexError on it) and index every per-slice array."""
    from lungburden.cache_format import cache_antialias
    from lungburden.medseg_tune_split import load_or_write_tune_split, write_caches

    split = load_or_write_tune_split()
    ids = split["fit"] + split["tune"]
    n = len(ids)
    np.savez(tmp_path / "medseg_train.npz", x=np.zeros((n, 3, 4, 4), np.float16), y=np.zeros((n, 4, 4), np.uint8),
             partial=np.zeros(n, np.uint8), ids=np.asarray(ids), antialias=np.asarray(True))
    assert write_caches(tmp_path) == {"fit": len(split["fit"]), "tune": 8}
    with np.load(tmp_path / "medseg_tune.npz") as z:
        assert cache_antialias(z) and [str(i) for i in z["ids"]] == split["tune"] and z["x"].shape[0] == 8
