"""Stage 5, input side: a ``lung-burden-v1`` training export (written by the app's exporter) checked against the
contract and its sha256s, and turned into F-slice training windows. Used by :mod:`lungburden.retrain`."""
from __future__ import annotations

import json
from pathlib import Path

import nibabel as nib
import numpy as np

from .contract import ContractError, validate
from .data.dicom_series import CtVolume
from .data.nifti import read_nifti
from .data.preprocess import PreprocessConfig, hu_crop_window, window_indices
from .onnx_bundle import sha256_file


class RetrainError(Exception):
    """Bad input (export, base model, output folder): reported as one line, exit code 1."""


# ---------------------------------------------------------------- export -> training windows


def read_export(export_dir: Path) -> tuple[dict, str, list[dict]]:
    """Manifest, its sha256, and the cases ``{name, image, lesions, lung|None}`` of a lung-burden-v1 export.
    Every file listed in the manifest must exist and match its sha256."""
    mp = export_dir / "manifest.json"
    if not mp.is_file():
        raise RetrainError(f"{export_dir}: no manifest.json (expected a `lung-burden export --format lung-burden-v1` folder)")
    try:
        manifest = json.loads(mp.read_text())
    except json.JSONDecodeError as e:
        raise RetrainError(f"{mp}: not valid JSON ({e})") from e
    try:
        validate("training-export-manifest", manifest)
    except ContractError as e:
        raise RetrainError(f"{mp}: {e}") from e
    if manifest["format"] != "lung-burden-v1":
        raise RetrainError(f"{mp}: format {manifest['format']!r} is not lung-burden-v1 (export with --format lung-burden-v1)")
    root = export_dir.resolve()
    for f in manifest.get("files", []):
        p = (export_dir / f["path"]).resolve()
        if root not in p.parents:
            raise RetrainError(f"{mp}: file path {f['path']!r} leaves the export folder")
        if not p.is_file():
            raise RetrainError(f"{export_dir}: {f['path']} listed in manifest.json is missing")
        if sha256_file(p) != f["sha256"]:
            raise RetrainError(f"{export_dir}: {f['path']} does not match its sha256 in manifest.json (modified after export)")
    cases = []
    for c in manifest.get("cases", []):
        d = export_dir / "cases" / c["case"]
        files = set(c.get("files", []))
        img, les, lung = d / "image.nii.gz", d / "lesions.nii.gz", d / "lung.nii.gz"
        for need in (img, les):
            if not need.is_file() or need.relative_to(export_dir).as_posix() not in files:
                raise RetrainError(f"{export_dir}: case {c['case']} lacks {need.name}")
        cases.append({"name": c["case"], "image": img, "lesions": les,
                      "lung": lung if lung.is_file() and lung.relative_to(export_dir).as_posix() in files else None})
    if not cases:
        raise RetrainError(f"{mp}: no cases")
    return manifest, sha256_file(mp), cases


def _labels(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    """A label NIfTI reoriented exactly like :func:`lungburden.data.nifti.read_nifti` -> ``[k, row, col]`` uint8."""
    img = nib.as_closest_canonical(nib.load(str(path)))
    data = np.asarray(img.dataobj)
    lab = np.ascontiguousarray(np.transpose(data[::-1, ::-1, :], (2, 1, 0)))
    if lab.shape != shape:
        raise RetrainError(f"{path}: label grid {lab.shape} differs from the image grid {shape}")
    if lab.min() < 0 or lab.max() > 2:
        raise RetrainError(f"{path}: label values outside 0..2")
    return lab.astype(np.uint8)


def export_samples(cases: list[dict], pre: PreprocessConfig, max_slices: int, seed: int):
    """F-slice HU windows (body crop, resized) + middle-slice labels of every case: all slices with lesion,
    plus an equal number of lesion-free slices inside the lung (lung mask, else any), at most ``max_slices``
    per case (seeded choice)."""
    rng = np.random.default_rng(seed)
    xs, ys, ids = [], [], []
    for c in cases:
        vol: CtVolume = read_nifti(c["image"], c["name"])
        lab = _labels(c["lesions"], vol.hu.shape)
        nk = vol.hu.shape[0]
        has_lesion = lab.reshape(nk, -1).any(1)
        in_lung = _labels(c["lung"], vol.hu.shape).reshape(nk, -1).any(1) if c["lung"] else np.ones(nk, bool)
        pos = np.nonzero(has_lesion)[0]
        neg = np.nonzero(~has_lesion & in_lung)[0]
        neg = rng.permutation(neg)[: max(1, len(pos))]
        ks = np.concatenate([pos, neg])
        if len(ks) > max_slices:
            ks = rng.choice(ks, max_slices, replace=False)
        for k in sorted(int(k) for k in ks):
            x, _, y = hu_crop_window(vol.hu[window_indices(k, nk, pre.slice_window)], pre, lab[k])
            xs.append(x)
            ys.append(y)
            ids.append(f"{c['name']}:{k}")
    return xs, ys, ids
