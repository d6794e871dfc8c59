"""MedSeg twins (lungburden.medseg_twins): a re-scaled crop is found, registered and its labels compared; unrelated
images are not paired; the exposure table splits the per-slice Dice."""
import numpy as np
from PIL import Image

from lungburden.medseg_twins import exposure_table, label_agreement, register, similar_pairs, warp_labels


def _scene(seed: int, shape=(120, 130)) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    img = np.zeros(shape)
    labels = np.zeros(shape, np.uint8)
    for k in range(6):
        cy, cx, r = rng.uniform(15, shape[0] - 15), rng.uniform(15, shape[1] - 15), rng.uniform(6, 14)
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 < r * r
        img[disc] += rng.uniform(60, 120)
        labels[disc] = 1 + k % 2
    img += rng.normal(0, 4, shape)
    return np.clip(img + 40, 0, 255).astype(np.uint8), labels


def _rescaled_crop(a: np.ndarray, nearest: bool) -> np.ndarray:
    big = Image.fromarray(a).resize((136, 126), Image.Resampling.NEAREST if nearest else Image.Resampling.BILINEAR)
    return np.asarray(big)[2:124, 3:134]


def test_a_rescaled_crop_is_paired_registered_and_its_labels_agree():
    img, lab = _scene(1)
    twin, twin_lab = _rescaled_crop(img, False), _rescaled_crop(lab, True)
    other, _ = _scene(2)
    pairs = similar_pairs({"a": img, "b": twin, "c": other}, 0.85)
    assert [(p[1], p[2]) for p in pairs] == [("a", "b")]
    reg = register(img, twin, max_offset=8)
    assert reg.mad < 10
    agree = label_agreement(lab, warp_labels(twin_lab, reg, lab.shape))
    assert agree["dice_lesion"] > 0.9 and agree["dice_ggo"] > 0.85 and agree["dice_ho"] > 0.85


def test_label_agreement_counts_a_class_swap_as_disagreement_but_not_the_lesion():
    a = np.zeros((10, 10), np.uint8)
    a[2:6, 2:6] = 1
    b = a.copy()
    b[2:6, 2:4] = 2
    g = label_agreement(a, b)
    assert g["dice_lesion"] == 1.0 and g["dice_ho"] == 0.0 and abs(g["dice_ggo"] - 2 * 8 / 24) < 1e-9
    assert g["confusion_px"][1][2] == 8


def test_exposure_table_splits_exposed_slices_from_the_rest():
    rows = {"1": {"dice_lesion": 0.8}, "2": {"dice_lesion": 0.4}, "3": {"dice_lesion": 0.6}}
    t = exposure_table(rows, {"1"})
    assert t["exposed"] == 0.8 and abs(t["rest"] - 0.5) < 1e-9 and t["n_rest"] == 2 and abs(t["all"] - 0.6) < 1e-9
    assert exposure_table(rows, set())["exposed"] is None
