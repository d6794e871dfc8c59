"""Preprocessing contract: golden fixture reproducible, crop box rules, inverse mapping."""
import json
from pathlib import Path

import numpy as np

from lungburden.data.preprocess import PreprocessConfig, body_box, crop_to_slice, resize_box, window_indices
from lungburden.golden import OUT_DIR, write_golden


def test_golden_fixture_is_reproducible(tmp_path: Path):
    write_golden(tmp_path)
    committed = json.loads((OUT_DIR / "golden.json").read_text())
    fresh = json.loads((tmp_path / "golden.json").read_text())
    assert fresh == committed
    for f in ["volume.i16"] + [c["file"] for c in committed["cases"]]:
        assert (tmp_path / f).read_bytes() == (OUT_DIR / f).read_bytes(), f
    assert sum(p.stat().st_size for p in OUT_DIR.iterdir()) < 1_000_000


def test_window_indices_repeat_edges():
    assert window_indices(0, 5, 3) == [0, 0, 1]
    assert window_indices(4, 5, 3) == [3, 4, 4]
    assert window_indices(2, 5, 5) == [0, 1, 2, 3, 4]


def test_body_box_square_and_largest_component():
    img = np.full((50, 80), -1000.0)
    img[10:30, 20:60] = 40.0   # body 20 x 40
    img[40:45, 0:10] = 40.0    # smaller object
    rs, cs, side = body_box(img, PreprocessConfig(body_crop_margin_px=2))
    assert side == 44 and cs == 18 and rs == 10 - 2 - (44 - 24) // 2
    assert body_box(np.full((6, 8), -1000.0), PreprocessConfig(body_crop_margin_px=0)) == (-1, 0, 8)


def test_resize_identity_and_inverse():
    rng = np.random.default_rng(0)
    img = rng.normal(size=(32, 32))
    out = resize_box(img, (0, 0, 32), 32, 32)
    assert np.allclose(out, img)
    maps = rng.normal(size=(3, 16, 16)).astype(np.float32)
    back = crop_to_slice(maps, (0, 0, 16), 16, 16)
    assert np.allclose(back, maps, atol=1e-6)
