"""Loaders on the team data (skipped when ../shared/data is absent)."""
import numpy as np
import pytest

from lungburden.paths import SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data absent: loader tests skipped")


def test_medseg_slice_is_transposed_to_display():
    from lungburden.data.medseg import load_medseg_slice
    s = load_medseg_slice("0")
    assert s.image_u8.shape == (273, 369)  # stored 369 x 273 (transposed)
    assert set(np.unique(s.labels)) <= {0, 1, 2}
    # consolidation is denser than GGO in the 8-bit image
    assert s.image_u8[s.labels == 2].mean() > s.image_u8[s.labels == 1].mean()


def test_ma20_slice():
    from lungburden.data.ma20 import load_ma20_slice
    img, les, lung = load_ma20_slice(0)
    assert img.shape == les.shape == lung.shape == (256, 256)
    assert les.any() and (les & lung).sum() > 0.5 * les.sum()


def test_nifti_crop_is_lps_k_row_col():
    from lungburden.data.nifti import read_nifti
    v = read_nifti(SHARED_DATA / "chest-ct" / "totalseg-chest-crops" / "totalseg_chest_ct_cropped_1p5mm.nii.gz")
    assert v.hu.shape == (164, 126, 120) and v.spacing == (1.5, 1.5, 1.5)
    assert v.hu.min() >= -1024
