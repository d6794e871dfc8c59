"""A tuning split carved from the MedSeg TRAINING slices (``python -m lungburden.medseg_tune_split``).

Model 1.4 trains a GGO/high-opacity split head on 3-class data; its decision thresholds and minimum component
sizes must be chosen on slices the head has not been fitted to, and never on the fixed validation split. This
module draws ``N_TUNE`` of the 40 MedSeg training ids (``splits/validation.json`` ``medseg.train``) with a fixed
seed, writes them once to ``splits/medseg-tune.json`` (committed, never rewritten), and splits
``cache/medseg_train.npz`` into ``cache/medseg_fit.npz`` (the head's 3-class real training slices; also the
copy-paste donors) and ``cache/medseg_tune.npz`` (new cache names; the shared caches are not touched).
The 1.3.0 trunk under the head did see all 40 training slices: its lesion probabilities on the tuning slices
are those of training data (as for every earlier threshold choice), the split head's are not.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .paths import CACHE_DIR, TRAINING_ROOT
from .prepare import load_or_write_split

TUNE_SPLIT_FILE = TRAINING_ROOT / "splits" / "medseg-tune.json"
N_TUNE = 8
SEED = 1414


def load_or_write_tune_split(path: Path = TUNE_SPLIT_FILE) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    train = list(load_or_write_split()["medseg"]["train"])
    rng = np.random.default_rng(SEED)
    tune = sorted(rng.choice(train, N_TUNE, replace=False).tolist(), key=train.index)
    rec = {"seed": SEED, "from": "splits/validation.json medseg.train",
           "tune": tune, "fit": [i for i in train if i not in tune]}
    path.write_text(json.dumps(rec, indent=1) + "\n")
    return rec


def write_caches(cache_dir: Path = CACHE_DIR) -> dict:
    split = load_or_write_tune_split()
    out = {}
    with np.load(cache_dir / "medseg_train.npz") as z:
        arrays = {k: z[k] for k in z.files}
    ids = [str(i) for i in arrays["ids"]]
    for name in ("fit", "tune"):
        idx = [ids.index(i) for i in split[name]]
        path = cache_dir / f"medseg_{name}.npz"
        if not path.exists():
            tmp = path.with_suffix(".tmp.npz")
            # per-slice arrays are indexed; 0-d entries (the cache's ``antialias`` flag) are copied as they are
            np.savez(tmp, **{k: v[idx] if v.ndim else v for k, v in arrays.items()})
            tmp.replace(path)
        out[name] = len(idx)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="the folder holding medseg_train.npz")
    print(json.dumps(write_caches(ap.parse_args(argv).cache)))


if __name__ == "__main__":
    main()
