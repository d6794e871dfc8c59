"""MedSeg COVID-19 slices as re-packaged by Inf-Net (``shared/data/medseg-slices``).

8-bit JPEG slices (a display window already applied, no HU) with multi-class PNG labels
(0 background, 1 GGO, 2 consolidation -> our "high opacity"). Both are stored transposed
relative to radiological display, so ``img.T`` gives ``[row, col]`` (anterior up, patient right on
the left). No patient ids exist: splits are by slice.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..paths import SHARED_DATA

MEDSEG_DIR = SHARED_DATA / "medseg-slices"


@dataclass
class MedSegSlice:
    id: str
    image_u8: np.ndarray   # [row, col] uint8, display orientation
    labels: np.ndarray     # [row, col] uint8 0/1/2


def medseg_ids(root: Path = MEDSEG_DIR) -> list[str]:
    with open(root / "manifest_train.csv", newline="") as fh:
        return [row["id"] for row in csv.DictReader(fh)]


def load_medseg_slice(sid: str, root: Path = MEDSEG_DIR) -> MedSegSlice:
    img_path = root / "MultiClassInfection-Train" / "Imgs" / f"{sid}.jpg"
    gt_path = root / "MultiClassInfection-Train" / "GT" / f"{sid}.png"
    if not img_path.is_file() or not gt_path.is_file():
        raise FileNotFoundError(f"MedSeg slice {sid!r}: missing {img_path} or {gt_path}")
    img = np.asarray(Image.open(img_path).convert("L"), dtype=np.uint8).T.copy()
    gt = np.asarray(Image.open(gt_path), dtype=np.uint8).T.copy()
    if img.shape != gt.shape:
        raise ValueError(f"MedSeg slice {sid}: image {img.shape} and label {gt.shape} differ")
    if gt.max() > 2:
        raise ValueError(f"MedSeg slice {sid}: label values {np.unique(gt)} outside 0..2")
    return MedSegSlice(sid, img, gt)
