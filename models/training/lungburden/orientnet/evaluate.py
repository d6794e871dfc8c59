"""Measures OrientNet on the fixed validation sets (never read in training, never used to choose):
the MA20 validation patients, the MedSeg validation slices and every slice of the held-out 4D-Lung
series rendered in the app's ``eightBitWindow``. Each slice is brought upright and stored in all 8
orientations; reported: right up to left-right (the class) and per axis, and the 4-class confusion.

``python -m lungburden.orientnet.evaluate --checkpoint runs/orientnet-v1/checkpoint.pt [--out report.json]``
The reference scorer (heuristic and classifier side by side, as the app runs them) is
``scripts/orientation-confusion.ts``; this is the Python cross-check of the same numbers.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from ..data.dicom_series import read_series
from ..data.ma20 import load_ma20_slice
from ..data.medseg import load_medseg_slice
from ..data.preprocess import PreprocessConfig, hu_to_eight_bit
from ..lungnet.dataset import HELD_OUT_SERIES, ma20_runs
from ..paths import SHARED_DATA
from .augment import network_input, orientnet_config
from .d4 import N_CLASSES, from_upright, orientation_class
from .dataset import medseg_split
from .export import load_checkpoint
from .net import SymmetrisedOrientNet

FOUR_D_LUNG = HELD_OUT_SERIES[0]



def validation_sets() -> dict[str, list[np.ndarray]]:
    """Upright 8-bit validation slices per set."""
    ma = [load_ma20_slice(n)[0] for a, b in ma20_runs("validation") for n in range(a, b + 1)]
    med = [load_medseg_slice(s).image_u8 for s in medseg_split("validation")]
    vol = read_series(SHARED_DATA / "chest-ct" / FOUR_D_LUNG)
    return {"ma20Validation": ma, "medsegValidation": med, "fourDLung": [hu_to_eight_bit(s, PreprocessConfig()) for s in vol.hu]}


@torch.no_grad()
def score(model: SymmetrisedOrientNet, slices: list[np.ndarray]) -> dict:
    cfg = orientnet_config()
    conf = np.zeros((N_CLASSES, N_CLASSES), np.int64)
    for s in slices:
        x = np.stack([network_input(np.ascontiguousarray(from_upright(s, k)), cfg) for k in range(8)])
        pred = model(torch.from_numpy(x)[:, None]).argmax(1).numpy()
        for k in range(8):
            conf[orientation_class(k), int(pred[k])] += 1
    n = int(conf.sum())
    t_right = sum(conf[a, b] for a in range(4) for b in range(4) if (a >> 1) == (b >> 1))
    u_right = sum(conf[a, b] for a in range(4) for b in range(4) if (a & 1) == (b & 1))
    return {"slices": len(slices), "upToLeftRight": round(float(np.trace(conf)) / n, 4),
            "transposeRight": round(t_right / n, 4), "upsideDownRight": round(u_right / n, 4),
            "confusion": conf.tolist()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    torch.set_num_threads(1)
    model = SymmetrisedOrientNet(load_checkpoint(a.checkpoint)).eval()
    rep = {"checkpoint": str(a.checkpoint), "classes": "index = 2 * transposed + upside-down; confusion rows true",
           "sets": {k: score(model, v) for k, v in validation_sets().items()}}
    text = json.dumps(rep, indent=1)
    print(text)
    if a.out:
        a.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
