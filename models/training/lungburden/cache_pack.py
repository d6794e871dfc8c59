"""Training caches packed small enough to travel to a GPU machine (which cannot read ``../shared``), and back.

A cache (``prepare._save``: ``x`` float16 HU ``[N, F, H, W]``, ``y``, ``partial``, ``ids``, ``antialias``) is packed as
one ``<name>.npz.xz`` file:

- ``x`` is quantised to 8 bits on a fixed HU grid. Caches of 8-bit slices (MA20, MedSeg) use the ``eightBitWindow``
  their images were mapped through (``[-1250, 250]`` HU, the 256 levels of the source PNG/JPEG); HU caches (synthetic
  lesions in real CT) use ``[-1100, 1000]`` HU in 255 steps of 8.2 HU, clipped outside: the network's window is
  ``[-1024, 600]`` and the intensity augmentation's gain reaches at most ~800 HU into it. The largest error is half a
  step plus float16 rounding (measured on the training caches: 3.0 HU on 8-bit caches, 4.25 HU on HU caches), below
  CT noise and below the 8-bit render that the training
  itself applies to 60 % of HU samples.
- The F slices of neighbouring samples repeat (MA20 runs of adjacent slices): each distinct slice is stored once,
  with an index ``[N, F]``.
- Rows are delta-coded and the whole is compressed with LZMA.

``unpack`` writes ordinary cache files (float16, with the ``antialias`` flag), so ``train`` reads them unchanged.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import lzma
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .data.preprocess import PreprocessConfig

_PRE = PreprocessConfig()
EIGHT_BIT_GRID = (_PRE.eight_bit_center_hu - _PRE.eight_bit_width_hu / 2,
                  _PRE.eight_bit_center_hu + _PRE.eight_bit_width_hu / 2)  # the contract's eightBitWindow
HU_GRID = (-1100.0, 1000.0)
SUFFIX = ".npz.xz"


def grid_for(x: np.ndarray) -> tuple[float, float]:
    """The 8-bit window when every value lies inside it (a cache of 8-bit images), else the HU grid."""
    lo, hi = EIGHT_BIT_GRID
    return EIGHT_BIT_GRID if float(x.min()) >= lo and float(x.max()) <= hi else HU_GRID


def quantise(x: np.ndarray, grid: tuple[float, float]) -> np.ndarray:
    lo, hi = grid
    return np.round((np.clip(x.astype(np.float32), lo, hi) - lo) / (hi - lo) * 255).astype(np.uint8)


def dequantise(q: np.ndarray, grid: tuple[float, float]) -> np.ndarray:
    lo, hi = grid
    return (lo + q.astype(np.float32) / 255 * (hi - lo)).astype(np.float16)


def pack_file(src: Path, out_dir: Path) -> dict:
    with np.load(src) as z:
        arrays = {k: z[k] for k in z.files}
    x = arrays.pop("x")
    grid = grid_for(x)
    q = quantise(x, grid)
    n, f, h, w = q.shape
    slices = q.reshape(n * f, h, w)
    first: dict[bytes, int] = {}
    index = np.empty(n * f, np.int32)
    keep: list[int] = []
    for i, s in enumerate(slices):
        key = hashlib.blake2b(s.tobytes(), digest_size=16).digest()
        if key not in first:
            first[key] = len(keep)
            keep.append(i)
        index[i] = first[key]
    unique = slices[keep]
    delta = np.diff(unique.astype(np.int16), axis=-1, prepend=0).astype(np.uint8)
    buf = io.BytesIO()
    np.savez(buf, delta=delta, index=index.reshape(n, f), grid=np.asarray(grid), **arrays)
    out = out_dir / (src.name + ".xz")
    out.write_bytes(lzma.compress(buf.getvalue(), preset=6))
    return {"file": src.name, "samples": n, "unique_slices": len(keep), "grid": list(grid),
            "max_error_hu": round(float(np.abs(dequantise(q, grid).astype(np.float32)
                                               - np.clip(x.astype(np.float32), *grid)).max()), 2),
            "bytes": out.stat().st_size}


def unpack_file(src: Path, cache_dir: Path) -> Path:
    with np.load(io.BytesIO(lzma.decompress(src.read_bytes()))) as z:
        arrays = {k: z[k] for k in z.files}
    unique = np.cumsum(arrays.pop("delta"), axis=-1, dtype=np.uint8)  # wraps mod 256: the inverse of the delta
    index = arrays.pop("index")
    grid = tuple(float(v) for v in arrays.pop("grid"))
    x = dequantise(unique[index], (grid[0], grid[1]))
    out = cache_dir / src.name[: -len(".xz")]
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, x=x, **arrays)
    tmp.replace(out)
    return out


def pack(files: list[Path], out_dir: Path, workers: int = 2) -> list[dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(workers) as ex:
        return list(ex.map(pack_file, files, [out_dir] * len(files)))


def unpack(pack_dirs: list[Path], cache_dir: Path) -> list[Path]:
    files = sorted(p for d in pack_dirs for p in d.glob("*" + SUFFIX))
    with ProcessPoolExecutor(min(8, max(1, len(files)))) as ex:
        return list(ex.map(unpack_file, files, [cache_dir] * len(files)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="cache files -> OUT/<name>.npz.xz")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True)
    u = sub.add_parser("unpack", help="folders of packed files -> CACHE/<name>.npz")
    u.add_argument("dirs", nargs="+", type=Path)
    u.add_argument("--cache", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "pack":
        print(json.dumps(pack(args.files, args.out), indent=1))
    else:
        print(json.dumps([str(p) for p in unpack(args.dirs, args.cache)]))


if __name__ == "__main__":
    main()
