"""Real HU chest CT series: any folder of DICOM files, or a ``.tar.xz`` of one (extracted to the cache).

Returns volumes as ``hu[k, row, col]`` float32 with spacing ``(dz, dy, dx)`` mm, k sorted by position
along the slice normal (increasing), rows along LPS +y and columns along LPS +x (flipped if the
series' direction cosines point the other way). Padding values below -1024 map to -1024 (air).
"""
from __future__ import annotations

import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom

from ..paths import CACHE_DIR


@dataclass
class CtVolume:
    name: str
    hu: np.ndarray                        # [k, row, col] float32 HU
    spacing: tuple[float, float, float]   # (dz, dy, dx) mm


def extract_archive(archive: Path, cache: Path = CACHE_DIR / "extracted") -> Path:
    """Extract a tar(.xz) once into the cache; returns the folder."""
    dest = cache / archive.name.replace(".tar.xz", "").replace(".tar", "")
    done = dest / ".extracted"
    if not done.exists():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tf:
            for m in tf.getmembers():
                if not (m.isfile() or m.isdir()) or m.name.startswith("/") or ".." in Path(m.name).parts:
                    continue  # no links, no path traversal
                tf.extract(m, dest)
        done.write_text("ok\n")
    return dest


def read_dicom_folder(folder: Path, name: str | None = None) -> CtVolume:
    """Read the largest CT series of a folder tree (files of other series / non-images are skipped)."""
    series: dict[str, list] = defaultdict(list)
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        try:
            ds = pydicom.dcmread(p, stop_before_pixels=True)
        except Exception:
            continue
        if getattr(ds, "Modality", "CT") != "CT" or "ImagePositionPatient" not in ds or "Rows" not in ds:
            continue
        series[str(ds.SeriesInstanceUID)].append(p)
    if not series:
        raise ValueError(f"no CT image series in {folder}")
    files = max(series.values(), key=len)
    dss = [pydicom.dcmread(p) for p in files]
    ori = np.array(dss[0].ImageOrientationPatient, dtype=np.float64)
    row_dir, col_dir = ori[:3], ori[3:]
    normal = np.cross(row_dir, col_dir)
    dss.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=np.float64), normal)))
    pos = np.array([np.dot(np.array(d.ImagePositionPatient, dtype=np.float64), normal) for d in dss])
    slices = []
    for d in dss:
        arr = d.pixel_array.astype(np.float32) * float(getattr(d, "RescaleSlope", 1)) + float(getattr(d, "RescaleIntercept", 0))
        slices.append(arr)
    hu = np.maximum(np.stack(slices), -1024.0).astype(np.float32)
    # columns advance along row_dir (ImageOrientation first triplet); make them +x, rows +y
    if row_dir[0] < 0:
        hu = hu[:, :, ::-1]
    if col_dir[1] < 0:
        hu = hu[:, ::-1, :]
    dz = float(np.median(np.diff(pos))) if len(pos) > 1 else float(getattr(dss[0], "SliceThickness", 1.0))
    dy, dx = (float(v) for v in dss[0].PixelSpacing)
    return CtVolume(name or folder.name, np.ascontiguousarray(hu), (abs(dz), dy, dx))


def read_series(path: Path, name: str | None = None) -> CtVolume:
    """A DICOM folder, or a folder holding a series ``.tar.xz``, or the archive itself."""
    if path.is_file() and path.name.endswith((".tar.xz", ".tar")):
        return read_dicom_folder(extract_archive(path), name or path.name)
    archives = [p for p in sorted(path.glob("*.tar.xz")) if "RTSTRUCT" not in p.name]
    if archives:
        return read_dicom_folder(extract_archive(archives[0]), name or path.name)
    return read_dicom_folder(path, name)
