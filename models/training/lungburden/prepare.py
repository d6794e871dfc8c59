"""Stage 1: fixed validation split + training caches (``python -m lungburden.prepare``).

* ``splits/validation.json`` is written once and never rewritten if it exists (committed).
  MedSeg has no patient ids: split by slice with a fixed seed. MA20: contiguous blocks of 50 slice
  numbers approximate patients. Synthetic: whole base series are held out.
* Caches (``cache/*.npz``, git-ignored): every sample is the F-slice body crop resized to H x W,
  still in HU (float16), plus the middle-slice label (uint8) and a ``partial`` flag (1 = binary
  lesion label only, MA20). Window/normalisation and augmentation happen in the training loop.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .data.dicom_series import CtVolume, read_series
from .data.ma20 import load_ma20_slice, ma20_numbers
from .data.medseg import load_medseg_slice, medseg_ids
from .data.nifti import read_nifti
from .data.preprocess import PreprocessConfig, eight_bit_to_hu, hu_crop_window
from .paths import CACHE_DIR, MA20_PATIENT_SPLIT_FILE, SHARED_DATA, SPLITS_FILE
from .synth.lesions import PROFILES, LesionProfile, insert_lesions
from .synth.lung_mask import lung_mask

SPLIT_SEED = 20261129
SYNTH_BASES = {
    "lidc-idri-0001": "train",
    "rider-1225316081": "train",
    "4d-lung-113-hm10395": "validation",
}


def make_split(seed: int = SPLIT_SEED) -> dict:
    rng = np.random.default_rng(seed)
    ids = medseg_ids()
    perm = rng.permutation(len(ids))
    n_val = max(1, round(0.2 * len(ids)))
    med_val = sorted((ids[i] for i in perm[:n_val]), key=int)
    nums = ma20_numbers()
    blocks = sorted({n // 50 for n in nums})
    val_blocks = sorted(int(b) for b in rng.choice(blocks, size=max(1, len(blocks) // 6), replace=False))
    return {
        "description": "Fixed validation split, written once by lungburden.prepare (never rewritten). "
                       "MedSeg: by slice (no patient ids exist), seeded permutation, 20 %. MA20: contiguous "
                       "blocks of 50 slice numbers approximate patients. Synthetic: whole base series held out.",
        "seed": seed,
        "medseg": {"validation": med_val, "train": sorted((i for i in ids if i not in med_val), key=int)},
        "ma20": {"blockSize": 50, "validationBlocks": val_blocks,
                 "validation": [n for n in nums if n // 50 in val_blocks],
                 "train": [n for n in nums if n // 50 not in val_blocks]},
        "synthetic": {"trainBases": [k for k, v in SYNTH_BASES.items() if v == "train"],
                      "validationBases": [k for k, v in SYNTH_BASES.items() if v == "validation"]},
    }


def load_or_write_split(path: Path = SPLITS_FILE) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    split = make_split()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(split, indent=1) + "\n")
    return split


# Patient runs of ma20-slices, from its PROVENANCE.md (inclusive file numbers, caudal -> cranial).
MA20_PATIENT_RUNS = ((0, 158), (159, 278), (279, 396), (397, 509), (510, 625), (626, 695), (696, 788),
                     (789, 969), (970, 1080), (1081, 1239))


def make_ma20_patient_split(old_split: dict, runs=MA20_PATIENT_RUNS, seed: int = SPLIT_SEED,
                            n_new_validation: int = 1) -> dict:
    """MA20 split BY PATIENT (file-number runs of PROVENANCE.md), extending the old split of slices 0-599.

    The old split held out blocks of 50 slice numbers (not patients). Every patient run that holds an old
    validation slice becomes a validation patient as a whole (so no old validation slice moves into training;
    some old training slices move into validation), and ``n_new_validation`` runs made only of slices the old
    split never had (>= 600, never seen by models <= 1.2.0) are added by a seeded draw: those give a
    clean held-out figure for every model. The other runs are training patients."""
    nums = set(ma20_numbers())
    old_val = set(old_split["ma20"]["validation"])
    old_all = old_val | set(old_split["ma20"]["train"])
    val_runs = [r for r in runs if any(r[0] <= n <= r[1] for n in old_val)]
    fresh = [r for r in runs if r[0] > max(old_all)]
    rng = np.random.default_rng(seed)
    pick = sorted(int(i) for i in rng.choice(len(fresh), size=n_new_validation, replace=False))
    new_val = [fresh[i] for i in pick]
    val = val_runs + new_val
    in_runs = lambda rs: sorted(n for n in nums if any(a <= n <= b for a, b in rs))  # noqa: E731
    return {
        "description": "MA20 split by patient (runs of ma20-slices/PROVENANCE.md), written once by lungburden.prepare "
                       "(never rewritten). Validation = every run holding a slice of the old block split's validation "
                       "(splits/validation.json, kept unchanged for the registry gate) + runs of only new slices "
                       "(>= 600) drawn with the seed; no old validation slice is in training.",
        "seed": seed,
        "runs": [list(r) for r in runs],
        "validationRuns": [list(r) for r in val],
        "cleanValidationRuns": [list(r) for r in new_val],
        "trainRuns": [list(r) for r in runs if r not in val],
        "validation": in_runs(val),
        "cleanValidation": in_runs(new_val),
        "train": in_runs([r for r in runs if r not in val]),
    }


def load_or_write_ma20_split(split: dict, path: Path = MA20_PATIENT_SPLIT_FILE) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    ma = make_ma20_patient_split(split)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ma, indent=1) + "\n")
    return ma


def _save(path: Path, xs, ys, partial, ids, antialias: bool = False) -> None:
    """One cache file; ``antialias`` records how its crops were resized (``cache_format.cache_antialias``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=np.stack(xs).astype(np.float16), y=np.stack(ys).astype(np.uint8),
             partial=np.asarray(partial, dtype=np.uint8), ids=np.asarray(ids), antialias=np.asarray(antialias))


def medseg_samples(ids, cfg: PreprocessConfig):
    """MedSeg slices are single slices: the F-window repeats the slice F times."""
    xs, ys = [], []
    for sid in ids:
        s = load_medseg_slice(sid)
        hu = eight_bit_to_hu(s.image_u8, cfg)
        x, _, y = hu_crop_window(np.stack([hu] * cfg.slice_window), cfg, s.labels)
        xs.append(x)
        ys.append(y)
    return xs, ys


def ma20_samples(nums, cfg: PreprocessConfig):
    """MA20: neighbours n-1, n+1 when those files exist in the same split list, else the slice repeats."""
    have = set(nums)
    xs, ys = [], []
    h = cfg.slice_window // 2
    for n in nums:
        img, les, _ = load_ma20_slice(n)
        win = []
        for d in range(-h, cfg.slice_window - h):
            m = n + d if (n + d) in have else n
            win.append(eight_bit_to_hu(img if m == n else load_ma20_slice(m)[0], cfg))
        x, _, y = hu_crop_window(np.stack(win), cfg, les.astype(np.uint8))
        xs.append(x)
        ys.append(y)
    return xs, ys


def downsample_inplane(vol: CtVolume, factor: int = 2) -> CtVolume:
    k, r, c = vol.hu.shape
    r2, c2 = r // factor, c // factor
    hu = vol.hu[:, :r2 * factor, :c2 * factor].reshape(k, r2, factor, c2, factor).mean(axis=(2, 4))
    return CtVolume(vol.name, hu.astype(np.float32), (vol.spacing[0], vol.spacing[1] * factor, vol.spacing[2] * factor))


def synth_samples(vol: CtVolume, n_slabs: int, seed: int, cfg: PreprocessConfig, slab: int = 9, per_slab: int = 3,
                  p_empty: float = 0.1, profile: LesionProfile = PROFILES["v1"]):
    """Synthetic windows from one lesion-free base volume (deterministic given ``seed``)."""
    rng = np.random.default_rng(seed)
    lung = lung_mask(vol.hu)
    area = lung.sum(axis=(1, 2))
    ok = np.nonzero(area > 0.25 * area.max())[0]
    ok = ok[(ok >= slab // 2) & (ok < vol.hu.shape[0] - slab // 2)]
    xs, ys, ids = [], [], []
    for s in range(n_slabs):
        kc = int(ok[rng.integers(len(ok))])
        k0 = kc - slab // 2
        hu, lm = vol.hu[k0:k0 + slab], lung[k0:k0 + slab]
        if rng.random() < p_empty:
            hu2, lab = hu, np.zeros(hu.shape, np.uint8)
        else:
            res = insert_lesions(hu, lm, vol.spacing, rng, profile=profile)
            hu2, lab = res.hu, res.labels
        h = cfg.slice_window // 2
        mids = rng.choice(np.arange(h, slab - h), size=per_slab, replace=False)
        for m in sorted(int(v) for v in mids):
            x, _, y = hu_crop_window(hu2[m - h:m - h + cfg.slice_window], cfg, lab[m])
            xs.append(x)
            ys.append(y)
            ids.append(f"{vol.name}:slab{s}:k{k0 + m}")
    return xs, ys, ids


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--slabs-train", type=int, default=150, help="synthetic slabs per training base")
    ap.add_argument("--slabs-val", type=int, default=40)
    ap.add_argument("--only", default="", help="comma list of medseg,ma20,synth")
    ap.add_argument("--extra-base", action="append", default=[], type=Path,
                    help="another lesion-free HU base for training: a folder of DICOM files, a series .tar.xz or a "
                         "NIfTI file (repeatable); cached as synth_train_<name>.npz (add it to the config's sources)")
    ap.add_argument("--profile", default="v1", choices=sorted(PROFILES),
                    help="lesion intensity profile (synth.lesions.PROFILES); v1 caches keep their names, other "
                         "profiles write synth-<profile>_<part>_<base>.npz, and only training bases (the validation "
                         "bases stay as generated by v1, so validation numbers stay comparable)")
    ap.add_argument("--antialias", action="store_true",
                    help="resize with the antialiasing prefilter of the preprocessing contract (step 3); each file "
                         "records it (train refuses a mismatch), but the names do not: write to its own --cache folder")
    args = ap.parse_args(argv)
    cfg = PreprocessConfig(antialias=args.antialias)
    profile = PROFILES[args.profile]
    tag = "synth" if args.profile == "v1" else f"synth-{args.profile}"
    split = load_or_write_split()
    only = set(filter(None, args.only.split(","))) or {"medseg", "ma20", "synth"}
    t0 = time.time()
    if "medseg" in only:
        for part in ("train", "validation"):
            ids = split["medseg"][part]
            xs, ys = medseg_samples(ids, cfg)
            _save(args.cache / f"medseg_{part}.npz", xs, ys, [0] * len(xs), ids, cfg.antialias)
        print(f"medseg done {time.time() - t0:.0f}s", flush=True)
    if "ma20" in only:
        ma_split = load_or_write_ma20_split(split)
        for part in ("train", "validation"):
            nums = ma_split[part]
            xs, ys = ma20_samples(nums, cfg)
            _save(args.cache / f"ma20_{part}.npz", xs, ys, [1] * len(xs), [str(n) for n in nums], cfg.antialias)
        print(f"ma20 done {time.time() - t0:.0f}s", flush=True)
    if "synth" in only:
        for i, (base, part) in enumerate(SYNTH_BASES.items()):
            if part == "validation" and args.profile != "v1":
                continue
            vol = downsample_inplane(read_series(SHARED_DATA / "chest-ct" / base, base))
            n = args.slabs_train if part == "train" else args.slabs_val
            xs, ys, ids = synth_samples(vol, n, SPLIT_SEED + i, cfg, profile=profile)
            _save(args.cache / f"{tag}_{part}_{base}.npz", xs, ys, [0] * len(xs), ids, cfg.antialias)
            print(f"synth {base} ({part}) {len(xs)} samples {time.time() - t0:.0f}s", flush=True)
    for i, path in enumerate(args.extra_base):
        name = path.name.replace(".nii.gz", "").replace(".tar.xz", "")
        vol = read_nifti(path, name) if path.name.endswith((".nii", ".nii.gz")) else read_series(path, name)
        if vol.spacing[1] < 1.0:
            vol = downsample_inplane(vol)
        xs, ys, ids = synth_samples(vol, args.slabs_train, SPLIT_SEED + 100 + i, cfg, profile=profile)
        _save(args.cache / f"{tag}_train_{name}.npz", xs, ys, [0] * len(xs), ids, cfg.antialias)
        print(f"synth extra base {name} {len(xs)} samples", flush=True)


if __name__ == "__main__":
    main()
