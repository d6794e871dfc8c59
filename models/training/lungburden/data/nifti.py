"""NIfTI CT volumes (e.g. the TotalSegmentator crops) -> ``hu[k, row, col]`` in the package's LPS frame."""
from __future__ import annotations

from pathlib import Path

import nibabel as nib
import numpy as np

from .dicom_series import CtVolume


def read_nifti(path: Path, name: str | None = None) -> CtVolume:
    img = nib.as_closest_canonical(nib.load(str(path)))  # RAS+: i -> R..L reversed (toward +R)
    data = np.asarray(img.dataobj, dtype=np.float32)
    if data.ndim != 3:
        raise ValueError(f"{path}: expected a 3-D volume, got shape {data.shape}")
    zooms = img.header.get_zooms()[:3]
    # RAS -> LPS: flip i (x) and j (y); then order as [k, j(row), i(col)]
    data = data[::-1, ::-1, :]
    hu = np.maximum(np.transpose(data, (2, 1, 0)), -1024.0)
    return CtVolume(name or path.name, np.ascontiguousarray(hu), (float(zooms[2]), float(zooms[1]), float(zooms[0])))
