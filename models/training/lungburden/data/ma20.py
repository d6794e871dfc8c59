"""Ma et al. COVID-19-CT-Seg slices, CLAHE 8-bit 256x256 (``shared/data/ma20-slices``).

Binary lesion masks (GGO + consolidation union) and lung masks. Consecutive file numbers are
usually consecutive slices of one volume, but volume boundaries are unknown (slices with an empty
lesion mask were dropped upstream). Images are used as ``[row, col]`` as stored (the upstream
``np.rot90`` already gives anterior-up display orientation).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ..paths import SHARED_DATA

MA20_DIR = SHARED_DATA / "ma20-slices"


def ma20_numbers(root: Path = MA20_DIR) -> list[int]:
    return sorted(int(p.stem) for p in (root / "ct").glob("*.png"))


def load_ma20_slice(num: int, root: Path = MA20_DIR) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns ``(image uint8 [256,256], lesion bool, lung bool)``."""
    name = f"{num:04d}.png"
    out = []
    for sub in ("ct", "covid", "lungs"):
        p = root / sub / name
        if not p.is_file():
            raise FileNotFoundError(f"MA20 slice {num}: missing {p}")
        out.append(np.asarray(Image.open(p).convert("L"), dtype=np.uint8))
    return out[0], out[1] > 127, out[2] > 127
