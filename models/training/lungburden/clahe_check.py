"""A display curve no training run has seen: real CLAHE (``skimage.exposure.equalize_adapthist``, its defaults: tiles of
1/8 of the image, clip limit 0.01) on the labelled validation slices, scored through the application's own 8-bit path.

The stress test's "CLAHE-like" variant (``scripts/segment-stress.ts``) is a box-mean unsharp mask of the same family as
the training augmentation ``augment.display_curve``; this check is out of that family, so it says whether robustness to
another site's display curve transfers or was learned for one formula. A measurement, not a ship rule.

    python -m lungburden.clahe_check write --out /tmp/clahe        # images (as is and CLAHE) and 0/1/2 ground truth
    lung-burden segment /tmp/clahe/<set>/<variant> --out /tmp/clahe-out/<model>/<set>/<variant> --model <bundle>
    lung-burden compare-slices /tmp/clahe-out/<model>/<set>/<variant> /tmp/clahe/<set>/gt --out <model>-<set>-<variant>.csv
    python -m lungburden.clahe_check paired REF=ref.csv CAND=cand.csv   # paired bootstrap per class

``scripts/clahe-check.sh <bundle>...`` runs the three steps for each bundle.
Sets: the MA20 clean validation patient (159 slices, binary lesion truth) and the 10 MedSeg validation slices (3-class).
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
from PIL import Image

from .paired_compare import paired_bootstrap
from .paths import SHARED_DATA, TRAINING_ROOT

VARIANTS = ("as-is", "clahe")
CSV_CLASSES = (("ggo", "dice_ggo"), ("ho", "dice_high_opacity"), ("lesion", "dice_lesion"))


def clahe(gray: np.ndarray) -> np.ndarray:
    """8-bit image -> 8-bit image after ``equalize_adapthist`` with its default parameters."""
    from skimage.exposure import equalize_adapthist
    return np.round(equalize_adapthist(gray.astype(np.float64) / 255.0) * 255.0).astype(np.uint8)


def _sets() -> list[tuple[str, list[tuple[str, Path, Path]]]]:
    """(set name, [(id, image, truth)]) for the MA20 clean patient and the MedSeg validation slices."""
    ma = SHARED_DATA / "ma20-slices"
    clean = json.loads((TRAINING_ROOT / "splits" / "ma20-patients.json").read_text())["cleanValidation"]
    medseg = SHARED_DATA / "medseg-slices" / "MultiClassInfection-Train"
    val = json.loads((TRAINING_ROOT / "splits" / "validation.json").read_text())["medseg"]["validation"]
    return [("ma20-clean", [(f"{n:04d}", ma / "ct" / f"{n:04d}.png", ma / "covid" / f"{n:04d}.png") for n in clean]),
            ("medseg-validation", [(i, medseg / "Imgs" / f"{i}.jpg", medseg / "GT" / f"{i}.png") for i in val])]


def truth_labels(path: Path) -> np.ndarray:
    """0/1/2 labels: a palette PNG gives its indices (MedSeg), a grey mask 0/255 gives 0/1 (MA20's binary lesion)."""
    im = Image.open(path)
    a = np.asarray(im)
    return a.astype(np.uint8) if im.mode == "P" else (a > 0).astype(np.uint8)


def write(out: Path) -> dict[str, int]:
    counts = {}
    for name, items in _sets():
        for sub in (*VARIANTS, "gt"):
            (out / name / sub).mkdir(parents=True, exist_ok=True)
        for sid, img, gt in items:
            gray = np.asarray(Image.open(img).convert("L"))
            Image.fromarray(gray).save(out / name / "as-is" / f"{sid}.png")
            Image.fromarray(clahe(gray)).save(out / name / "clahe" / f"{sid}.png")
            Image.fromarray(truth_labels(gt)).save(out / name / "gt" / f"{sid}.png")
        counts[name] = len(items)
    return counts


def _per_image(path: Path) -> dict[str, dict[str, float]]:
    """image -> class -> Dice ("ours": an image where both are empty scores 1) from a compare-slices CSV."""
    with open(path, newline="") as f:
        return {r["image"]: {c: float(r[col]) if r[col] not in ("", "null") else 1.0 for c, col in CSV_CLASSES}
                for r in csv.DictReader(f)}


def paired(ref: Path, cand: Path) -> list[dict]:
    a, b = _per_image(ref), _per_image(cand)
    if sorted(a) != sorted(b):
        raise ValueError(f"{ref} and {cand} scored other images")
    ids = sorted(a)
    return [{"class": c, **paired_bootstrap([a[i][c] for i in ids], [b[i][c] for i in ids])} for c, _ in CSV_CLASSES]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write the images (as is, CLAHE) and the 0/1/2 truth of both sets")
    w.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("paired", help="paired bootstrap, candidate minus reference, of two compare-slices CSVs")
    p.add_argument("runs", nargs=2, help="REF=ref.csv CAND=cand.csv")
    args = ap.parse_args(argv)
    if args.cmd == "write":
        print(json.dumps(write(args.out)))
        return
    (na, pa), (nb, pb) = (r.split("=", 1) for r in args.runs)
    for r in paired(Path(pa), Path(pb)):
        print(f"{r['class']:6s} ({r['n']}): {na} {r['a']:.3f} -> {nb} {r['b']:.3f}, {r['diff']:+.3f} "
              f"[{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}]")


if __name__ == "__main__":
    main()
