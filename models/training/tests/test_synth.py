"""Data engine: lesions lie inside the lung, match the class HU ranges, labels equal the inserted cores."""
import numpy as np
import pytest

from lungburden.golden import phantom
from lungburden.synth.lesions import EFFUSION_HU, PROFILES, insert_lesions
from lungburden.synth.lung_mask import lung_mask

SPACING = (2.5, 2.0, 2.0)


@pytest.fixture(scope="module")
def base():
    hu = phantom(seed=3, nk=9, rows=120, cols=160).astype(np.float32)
    hu = np.maximum(hu, -1024)
    return hu, lung_mask(hu)


def test_lung_mask_finds_two_lungs(base):
    hu, lung = base
    assert lung.sum() > 0.1 * lung[0].size
    assert np.median(hu[lung]) < -700
    from scipy import ndimage
    assert ndimage.label(lung[4])[1] == 2


def test_lesions_inside_lung_and_deterministic(base):
    hu, lung = base
    a = insert_lesions(hu, lung, SPACING, np.random.default_rng(11), p_effusion=1.0)
    b = insert_lesions(hu, lung, SPACING, np.random.default_rng(11), p_effusion=1.0)
    assert np.array_equal(a.hu, b.hu) and np.array_equal(a.labels, b.labels)
    assert a.labels.max() > 0
    assert not (a.labels[~lung] > 0).any(), "labels outside the lung"
    assert np.array_equal(a.hu[~lung], hu[~lung]), "voxels outside the lung changed"
    assert set(np.unique(a.labels)) <= {0, 1, 2}


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("kind,label", [("ggo", 1), ("crazy", 1), ("consolidation", 2)])
def test_single_lesion_hu_range_and_volume(base, kind, label, profile):
    hu, lung = base
    prof = PROFILES[profile]
    for seed in range(6):
        r = insert_lesions(hu, lung, SPACING, np.random.default_rng(seed), n_lesions=1, p_effusion=0.0, kinds=(kind,),
                           profile=prof)
        if r.lesions:
            break
    assert len(r.lesions) == 1
    rec = r.lesions[0]
    # label volume equals the inserted lesion core (alpha >= 0.5 inside the lung), voxel for voxel
    assert int((r.labels == label).sum()) == rec.voxels
    assert np.array_equal(r.labels == label, (r.alpha >= 0.5) & lung)
    lo, hi = prof.class_hu_range[label - 1]
    med = float(np.median(r.hu[r.labels == label]))
    assert lo <= med <= hi, f"{kind}: median {med} outside {lo}..{hi}"
    if kind == "ggo":  # vessels stay visible: dense voxels inside the lesion keep more HU than parenchyma
        core = r.labels == 1
        vessel = core & (hu > -200)
        if vessel.any():
            assert r.hu[vessel].mean() > r.hu[core & (hu < -700)].mean() + 150


def test_effusion_is_dependent_fluid(base):
    hu, lung = base
    r = insert_lesions(hu, lung, SPACING, np.random.default_rng(5), n_lesions=0, kinds=(), p_effusion=1.0)
    assert [les.kind for les in r.lesions] == ["effusion"]
    fluid = r.labels == 2
    assert int(fluid.sum()) == r.lesions[0].voxels
    assert EFFUSION_HU[0] - 5 <= float(np.median(r.hu[fluid])) <= EFFUSION_HU[1] + 5
    rows = np.nonzero(fluid)[1]
    lrows = np.nonzero(lung)[1]
    assert rows.mean() > lrows.mean(), "effusion must sit posteriorly (higher row index)"
