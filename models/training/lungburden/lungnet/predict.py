"""Runs a trained :class:`LungNet` the way the app does: per slice, body-box crop at 128 x 128,
window + normalise (:func:`lungburden.data.preprocess.normalize`), logits resampled back onto the
slice grid (:func:`crop_to_slice`), lung where the logit is > 0."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..data.preprocess import crop_to_slice, normalize
from .dataset import crop_slice, lungnet_config
from .net import LungNet


def load_checkpoint(path: Path) -> LungNet:
    model = LungNet()
    st = torch.load(path, map_location="cpu")
    model.load_state_dict(st["model"] if "model" in st else st)
    model.eval()
    return model


@torch.no_grad()
def predict_slices(model: LungNet, slices_hu: np.ndarray, batch: int = 32) -> np.ndarray:
    """``slices_hu [K, rows, cols]`` (HU) -> lung mask ``bool [K, rows, cols]``."""
    cfg = lungnet_config()
    k, rows, cols = slices_hu.shape
    out = np.zeros((k, rows, cols), dtype=bool)
    for s in range(0, k, batch):
        xs, boxes = [], []
        for i in range(s, min(k, s + batch)):
            x, _, box = crop_slice(slices_hu[i], None, cfg)
            xs.append(normalize(x.astype(np.float64), cfg).astype(np.float32))
            boxes.append(box)
        logits = model(torch.from_numpy(np.stack(xs))[:, None]).numpy()
        for j, box in enumerate(boxes):
            out[s + j] = crop_to_slice(logits[j], box, rows, cols)[0] > 0
    return out
