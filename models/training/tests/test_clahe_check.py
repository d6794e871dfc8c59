"""lungburden.clahe_check: real CLAHE, the 0/1/2 truth it writes, and the paired comparison of two compare-slices CSVs."""
import numpy as np
import pytest
from PIL import Image

from lungburden.clahe_check import clahe, paired, truth_labels


def test_clahe_keeps_size_and_range_and_changes_a_low_contrast_image():
    rng = np.random.default_rng(0)
    gray = (100 + rng.integers(0, 20, (64, 80))).astype(np.uint8)
    out = clahe(gray)
    assert out.shape == gray.shape and out.dtype == np.uint8
    assert out.max() - out.min() > gray.max() - gray.min()  # local equalisation stretches a flat image


def test_truth_labels_read_palette_indices_and_binary_grey_masks(tmp_path):
    pal = Image.fromarray(np.array([[0, 1], [2, 0]], np.uint8), "P")
    pal.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * 759)
    pal.save(tmp_path / "p.png")
    Image.fromarray(np.array([[0, 255], [255, 0]], np.uint8)).save(tmp_path / "g.png")
    assert truth_labels(tmp_path / "p.png").tolist() == [[0, 1], [2, 0]]
    assert truth_labels(tmp_path / "g.png").tolist() == [[0, 1], [1, 0]]


def test_paired_reads_per_image_rows_and_refuses_other_images(tmp_path):
    head = "image,dice_ggo,dice_high_opacity,dice_lesion\n"
    (tmp_path / "a.csv").write_text(head + "1,0.5,,0.6\n2,0.4,0.2,0.5\n")
    (tmp_path / "b.csv").write_text(head + "2,0.6,0.2,0.7\n1,0.5,,0.8\n")
    rows = {r["class"]: r for r in paired(tmp_path / "a.csv", tmp_path / "b.csv")}
    assert rows["lesion"]["diff"] == pytest.approx(0.2) and rows["ho"]["a"] == pytest.approx(0.6)  # empty both = 1
    (tmp_path / "c.csv").write_text(head + "3,0.6,0.2,0.7\n1,0.5,,0.8\n")
    with pytest.raises(ValueError, match="other images"):
        paired(tmp_path / "a.csv", tmp_path / "c.csv")
