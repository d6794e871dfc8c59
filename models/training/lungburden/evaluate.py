"""Stage 3: evaluation on the fixed validation split (``python -m lungburden.evaluate --run runs/<run>``).

Nothing here was used for training decisions (no checkpoint selection, fixed step count).

* **MedSeg validation slices** (real COVID-19, 3 classes, 8-bit): per-slice Dice of GGO, high opacity
  (HO) and all lesion at the slice's *native* resolution (logits mapped back through the crop box),
  plus pooled Dice (all validation pixels together; MedSeg has no volumes, so this stands in for
  per-volume Dice), and per-slice lesion-area agreement (pixels): R^2, Bland-Altman bias.
  The same with left-right mirror averaging (``medseg_mirror``), as the application segments single
  8-bit images.
* **MA20 validation blocks** (real COVID-19, binary lesion labels only, CLAHE 8-bit): lesion Dice.
* **Synthetic validation volumes** on the held-out base series (4D-Lung): ``--synth-cases`` sub-volumes
  of 15 slices at native 512x512 resolution with lesions inserted by the data engine; per-slice and
  per-volume Dice, and per-volume lesion volume agreement (mL): R^2, Bland-Altman bias, for the raw
  prediction and for the prediction restricted to the lung mask (as burden is computed).

Empty-vs-empty (no lesion of a class in prediction and truth) counts as Dice 1; how often that
happened is reported next to every Dice (``n_empty_both_*``). Writes ``<run>/metrics.json`` and, with
``--bundle``, refreshes the bundle's metrics in metadata.json and MODEL_CARD.md.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .bundle import refresh_bundle_metrics
from .checkpoints import load_model
from .data.dicom_series import read_series
from .data.ma20 import load_ma20_slice
from .data.medseg import load_medseg_slice
from .data.preprocess import PreprocessConfig, crop_to_slice, eight_bit_to_hu, hu_to_eight_bit, preprocess_window, window_indices
from .metric_summary import flat_metrics
from .metrics import agreement, bootstrap_ci, dice_scores, per_item_dice
from .paths import MA20_PATIENT_SPLIT_FILE, SHARED_DATA
from .postprocess import decide, smooth_split_along_z, softmax, z_alternation
from .prepare import load_or_write_split
from .synth.lesions import insert_lesions
from .synth.lung_mask import lung_mask


@torch.no_grad()
def predict_slice(model, window_hu: np.ndarray, pre: PreprocessConfig, mirror: bool = False,
                  post: dict | None = None) -> np.ndarray:
    """Labels ``[rows, cols]`` of the middle slice of an F-window in HU, at native resolution. ``mirror``:
    average the logits with those of the left-right mirrored input, mirrored back (as the application's
    ``segment`` command does for single 8-bit images, ``shared/inference/mirror-average.ts``). ``post``: the
    decision rule of ``metadata.json`` ``postprocessing`` (:func:`lungburden.postprocess.decide`) instead of argmax."""
    x, box, _ = preprocess_window(window_hu, pre)
    t = torch.from_numpy(x)[None]
    out = model(t)[0]
    if mirror:
        out = (out + model(t.flip(-1))[0].flip(-1)) / 2
    logits = crop_to_slice(out.numpy(), box, window_hu.shape[1], window_hu.shape[2])
    if post is None:
        return logits.argmax(0).astype(np.uint8)
    return decide(softmax(logits), post["lesionThreshold"], post["hoThreshold"])[0]


@torch.no_grad()
def predict_probs(model, window_hu: np.ndarray, pre: PreprocessConfig, mirror: bool = False) -> np.ndarray:
    """Class probabilities ``[3, rows, cols]`` of the middle slice at native resolution (softmax of the
    resampled logits, as ``postprocessSlice`` computes them)."""
    x, box, _ = preprocess_window(window_hu, pre)
    t = torch.from_numpy(x)[None]
    out = model(t)[0]
    if mirror:
        out = (out + model(t.flip(-1))[0].flip(-1)) / 2
    return softmax(crop_to_slice(out.numpy(), box, window_hu.shape[1], window_hu.shape[2]))


def infnet_dice(preds, gts, values) -> list[float]:
    """Per-slice Dice as Inf-Net's scorer counts it: a slice with no true positive scores 0 (also when
    prediction and truth are both empty, which our Dice counts as 1)."""
    out = []
    for p, g in zip(preds, gts, strict=False):
        pm, gm = np.isin(p, values), np.isin(g, values)
        tp = int((pm & gm).sum())
        out.append(0.0 if tp == 0 else 2.0 * tp / (int(pm.sum()) + int(gm.sum())))
    return out


def _summ(prefix: str, d: dict) -> dict:
    return {f"{prefix}_{k}": v for k, v in d.items()}


def eval_medseg(model, ids, pre, mirror: bool = False, post: dict | None = None) -> tuple[dict, list]:
    preds: list[np.ndarray] = []
    gts: list[np.ndarray] = []
    rows: list[dict] = []
    for sid in ids:
        s = load_medseg_slice(sid)
        hu = eight_bit_to_hu(s.image_u8, pre)
        p = predict_slice(model, np.stack([hu] * pre.slice_window), pre, mirror, post)
        preds.append(p)
        gts.append(s.labels)
    res: dict[str, Any] = {}
    for name, vals in {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}.items():
        r = per_item_dice(preds, gts, vals)
        res[f"dice_{name}"] = float(np.mean(r["values"]))
        res[f"dice_{name}_ci95"] = list(bootstrap_ci(r["values"]))
        res[f"n_empty_both_{name}"] = r["n_empty_both"]
        inf = infnet_dice(preds, gts, vals)
        res[f"dice_{name}_infnet"] = float(np.mean(inf))
        res[f"dice_{name}_infnet_ci95"] = list(bootstrap_ci(inf))
        pooled = dice_scores(np.concatenate([p.ravel() for p in preds])[None], np.concatenate([g.ravel() for g in gts])[None])
        res[f"dice_{name}_pooled"] = pooled[f"dice_{name}_pooled"]
        for i, sid in enumerate(ids):
            if len(rows) <= i:
                rows.append({"id": sid})
            rows[i][f"dice_{name}"] = r["values"][i]
    conf = np.zeros((3, 3), np.int64)  # rows = truth (bg, GGO, HO), columns = prediction
    for p, g in zip(preds, gts, strict=False):
        conf += np.bincount(g.ravel().astype(np.int64) * 3 + p.ravel(), minlength=9).reshape(3, 3)
    res["confusion_px"] = conf.tolist()
    ag = agreement([int((p > 0).sum()) for p in preds], [int((g > 0).sum()) for g in gts])
    res.update({f"area_px_{k}": v for k, v in ag.items()})
    res["n"] = len(ids)
    return res, rows


def eval_ma20(model, nums, pre, post: dict | None = None, groups: dict | None = None) -> dict:
    """Lesion Dice on MA20 slices ``nums`` (neighbours taken when they are in ``nums``). ``groups``: name ->
    subset of ``nums`` (e.g. per patient) reported beside the whole set."""
    have = set(nums)
    preds, preds_post, gts = [], [], []
    h = pre.slice_window // 2
    for n in nums:
        img, les, _ = load_ma20_slice(n)
        win = [eight_bit_to_hu(load_ma20_slice(n + d if (n + d) in have else n)[0], pre) for d in range(-h, pre.slice_window - h)]
        pr = predict_probs(model, np.stack(win), pre)
        preds.append(pr.argmax(0).astype(np.uint8))
        if post is not None:
            preds_post.append(decide(pr, post["lesionThreshold"], post["hoThreshold"])[0])
        gts.append(les.astype(np.uint8))
    out = _ma20_scores(preds, gts, nums, groups)
    if post is not None:
        out["post"] = _ma20_scores(preds_post, gts, nums, groups)
    return out


def _ma20_scores(preds, gts, nums, groups) -> dict:
    out = dice_scores(np.stack(preds), np.stack(gts), binary=True)
    vals = per_item_dice(preds, gts, (1, 2))["values"]
    out["dice_lesion_ci95"] = list(bootstrap_ci(vals))
    inf = infnet_dice(preds, gts, (1, 2))
    out["dice_lesion_infnet"] = float(np.mean(inf))
    out["n"], out["per_slice_dice_lesion"] = len(nums), vals
    for name, sub in (groups or {}).items():
        idx = [i for i, n in enumerate(nums) if n in set(sub)]
        if not idx:
            continue
        v = [vals[i] for i in idx]
        pooled = dice_scores(np.stack([preds[i] for i in idx]), np.stack([gts[i] for i in idx]), binary=True)
        out[f"group_{name}"] = {"n": len(idx), "dice_lesion": float(np.mean(v)), "dice_lesion_ci95": list(bootstrap_ci(v)),
                                "dice_lesion_infnet": float(np.mean([inf[i] for i in idx])),
                                "dice_lesion_pooled": pooled["dice_lesion_pooled"]}
    return out


def synthetic_slabs(bases: list[str], n_cases: int, rng: np.random.Generator, slab: int = 15):
    """``(series, lung mask, first slice, InsertResult)`` of ``n_cases`` synthetic-lesion slabs of ``slab`` slices,
    taken in turn from the real lesion-free ``bases`` where the lung is large, lesions inserted by the synth engine."""
    vols = [read_series(SHARED_DATA / "chest-ct" / b, b) for b in bases]
    lungs = [lung_mask(v.hu) for v in vols]
    for i in range(n_cases):
        v, lung = vols[i % len(vols)], lungs[i % len(vols)]
        area = lung.sum(axis=(1, 2))
        ok = np.nonzero(area > 0.25 * area.max())[0]
        ok = ok[(ok >= slab // 2) & (ok < v.hu.shape[0] - slab // 2)]
        k0 = int(ok[rng.integers(len(ok))]) - slab // 2
        yield v, lung, k0, insert_lesions(v.hu[k0:k0 + slab], lung[k0:k0 + slab], v.spacing, rng)


def eval_synthetic(model, bases, pre, n_cases: int, seed: int = 4242, slab: int = 15, post: dict | None = None) -> dict:
    rng = np.random.default_rng(seed)
    per_vol: dict[str, list[float]] = {"ggo": [], "ho": [], "lesion": []}
    empties = {"ggo": 0, "ho": 0, "lesion": 0}
    slice_preds, slice_gts, vol_pred_ml, vol_gt_ml, vol_pred_lung_ml = [], [], [], [], []
    post_vol: dict[str, list] = {}
    for v, lung, k0, res in synthetic_slabs(bases, n_cases, rng, slab):
        probs = [predict_probs(model, res.hu[window_indices(k, slab, pre.slice_window)], pre) for k in range(slab)]
        pred = np.stack([p.argmax(0).astype(np.uint8) for p in probs])
        if post is not None:
            dec = [decide(p, post["lesionThreshold"], post["hoThreshold"]) for p in probs]
            lab_rule = np.stack([d[0] for d in dec])
            lab_z = smooth_split_along_z(lab_rule, np.stack([d[1] for d in dec]), int(post.get("zSmoothingRadius", 0)),
                                         post["hoThreshold"])
            for tag, lab in (("argmax", pred), ("rule", lab_rule), ("rule_z", lab_z)):
                for name, vals in {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}.items():
                    dice = per_item_dice([lab], [res.labels], vals)["values"][0]
                    post_vol.setdefault(f"{tag}_volume_dice_{name}", []).append(dice)
                post_vol.setdefault(f"{tag}_z_alternation", []).append(z_alternation(lab))
        post_vol.setdefault("truth_z_alternation", []).append(z_alternation(res.labels))
        for name, vals in {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}.items():
            r = per_item_dice([pred], [res.labels], vals)
            per_vol[name].append(r["values"][0])
            empties[name] += r["n_empty_both"]
        slice_preds.append(pred)
        slice_gts.append(res.labels)
        vox_ml = v.spacing[0] * v.spacing[1] * v.spacing[2] / 1000.0
        vol_pred_ml.append(float((pred > 0).sum() * vox_ml))
        vol_pred_lung_ml.append(float(((pred > 0) & lung[k0:k0 + slab]).sum() * vox_ml))
        vol_gt_ml.append(float((res.labels > 0).sum() * vox_ml))
    sl = dice_scores(np.concatenate(slice_preds), np.concatenate(slice_gts))
    out = {f"slice_{k}": v for k, v in sl.items()}
    for name in per_vol:
        out[f"volume_dice_{name}"] = float(np.mean(per_vol[name]))
        out[f"volume_n_empty_both_{name}"] = empties[name]
    out.update({f"lesion_ml_{k}": v for k, v in agreement(vol_pred_ml, vol_gt_ml).items()})
    # as the application computes burden: prediction restricted to the lung mask
    out.update({f"lesion_in_lung_ml_{k}": v for k, v in agreement(vol_pred_lung_ml, vol_gt_ml).items()})
    for k, vs in post_vol.items():
        out[f"post_{k}"] = float(np.nanmean(vs)) if np.isfinite(vs).any() else float("nan")
    out["n_volumes"] = n_cases
    out["n_slices"] = n_cases * slab
    # per-volume values, for paired intervals between models (lungburden.paired_compare)
    out["per_volume"] = {"argmax": {f"volume_dice_{k}": v for k, v in per_vol.items()},
                         **({"rule_z": {k.removeprefix("rule_z_"): v for k, v in post_vol.items()
                                        if k.startswith("rule_z_volume_dice_")}} if post is not None else {})}
    return out


def eval_synthetic_8bit(model, bases, pre, n_cases: int, post: dict, seed: int = 4242, slab: int = 15) -> dict:
    """The synthetic validation volumes (same generator and seed as :func:`eval_synthetic`) exported as full-size 8-bit
    slices and segmented one by one as ``segment`` segments an 8-bit image: F copies of the slice, left-right mirror
    average, the decision rule (no z smoothing). Per-volume Dice of the stacked slices (DECISION-1.13.0.md)."""
    rng = np.random.default_rng(seed)
    per_vol: dict[str, list[float]] = {"volume_dice_ggo": [], "volume_dice_ho": [], "volume_dice_lesion": []}
    for _v, _lung, _k0, res in synthetic_slabs(bases, n_cases, rng, slab):
        slices = [eight_bit_to_hu(hu_to_eight_bit(res.hu[k], pre), pre) for k in range(slab)]
        lab = np.stack([predict_slice(model, np.stack([s] * pre.slice_window), pre, mirror=True, post=post)
                        for s in slices])
        for name, vals in {"ggo": (1,), "ho": (2,), "lesion": (1, 2)}.items():
            per_vol[f"volume_dice_{name}"].append(per_item_dice([lab], [res.labels], vals)["values"][0])
    out: dict = {k: float(np.mean(v)) for k, v in per_vol.items()}
    out["per_volume"] = {"mirror_rule": per_vol}
    out["n_volumes"] = n_cases
    return out


REAL_CT = {
    "ricord1a-000082-covid": "ricord1a-000082-covid/series_2_ROUTINE_CHEST_NON-CON_1.25mm_EVERY_2ND_FILE",
    "lidc-idri-0001": "lidc-idri-0001",
    "rider-1225316081": "rider-1225316081",
}


def real_ct_burden(model, pre, post: dict | None = None) -> dict:
    """Unlabelled real HU series: predicted GGO / HO volume inside a threshold lung mask, burden %, and
    predicted lesion volume *outside* that mask. RICORD has real COVID-19 GGO; LIDC/RIDER have none
    (LIDC/RIDER were synthetic training bases, so this is a sanity check, not a validation)."""
    out = {}
    for name, rel in REAL_CT.items():
        path = SHARED_DATA / "chest-ct" / rel
        if not path.exists():
            continue
        v = read_series(path, name)
        lung = lung_mask(v.hu)
        preds, rule, split = [], [], []
        for k in range(v.hu.shape[0]):
            pr = predict_probs(model, v.hu[window_indices(k, v.hu.shape[0], pre.slice_window)], pre)
            preds.append(pr.argmax(0).astype(np.uint8))
            if post is not None:
                lab, sp = decide(pr, post["lesionThreshold"], post["hoThreshold"])
                rule.append(lab)
                split.append(sp)
        vox = v.spacing[0] * v.spacing[1] * v.spacing[2] / 1000.0
        out[name] = _volume_summary(np.stack(preds), lung, vox)
        if post is not None:
            out[name]["post"] = _volume_summary(smooth_split_along_z(np.stack(rule), np.stack(split),
                                                                     int(post.get("zSmoothingRadius", 0)),
                                                                     post["hoThreshold"]), lung, vox)
    return out


def _volume_summary(pred: np.ndarray, lung: np.ndarray, vox: float) -> dict:
    """Lung, GGO and HO volumes (mL, voxel volume ``vox`` mL) and burden of a predicted label volume inside ``lung``."""
    inl = np.where(lung, pred, 0)
    return {"lung_ml": round(float(lung.sum() * vox), 1), "ggo_ml": round(float((inl == 1).sum() * vox), 1),
            "ho_ml": round(float((inl == 2).sum() * vox), 1),
            "burden_pct": round(100.0 * float((inl > 0).sum()) / max(1, int(lung.sum())), 2),
            "lesion_outside_lung_ml": round(float(((pred > 0) & ~lung).sum() * vox), 1),
            "z_alternation_in_lung": round(z_alternation(inl), 4)}


ALL_SETS = ("medseg", "ma20", "ma20_patients", "synthetic", "real_ct")
EXTRA_SETS = ("synthetic_8bit",)  # scored only when asked for (--sets)


def evaluate_run(run_dir: Path, synth_cases: int = 8, threads: int = 2, checkpoint: str = "final.pt",
                 post_file: Path | None = None, sets: tuple[str, ...] = ALL_SETS, out_name: str = "metrics.json") -> dict:
    """``post_file``: a ``postprocess.json`` (:mod:`lungburden.tune_postprocess`, chosen on training slices);
    every set is then also scored with that decision rule (and z smoothing on volumes), under ``*_post`` /
    ``post`` keys. ``sets``: which sets to score (each is written as soon as it is done)."""
    torch.set_num_threads(threads)
    model, cfg, ck = load_model(run_dir, checkpoint)
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    split = load_or_write_split()
    post = json.loads(Path(post_file).read_text()) if post_file else None
    t0 = time.time()
    cmd = (f"cd models/training && ../../.venv/bin/python -m lungburden.evaluate --run runs/{cfg['run']} "
           f"--synth-cases {synth_cases}" + (f" --post {post_file}" if post_file else "")
           + ("" if tuple(sets) == ALL_SETS else f" --sets {','.join(sets)}"))
    m = {"run": cfg["run"], "step": ck["step"], "training_s": ck.get("elapsed_s"), "command": cmd, "postprocessing": post}
    out_path = run_dir / out_name

    def save():
        m["eval_s"] = round(time.time() - t0, 1)
        m["summary"] = flat_metrics(m)
        out_path.write_text(json.dumps(m, indent=2) + "\n")

    if "medseg" in sets:
        m["medseg"], m["medseg_per_slice"] = eval_medseg(model, split["medseg"]["validation"], pre)
        m["medseg_mirror"], m["medseg_mirror_per_slice"] = eval_medseg(model, split["medseg"]["validation"], pre, mirror=True)
        if post is not None:
            m["medseg_post"], m["medseg_post_per_slice"] = eval_medseg(model, split["medseg"]["validation"], pre, post=post)
            m["medseg_mirror_post"], m["medseg_mirror_post_per_slice"] = eval_medseg(
                model, split["medseg"]["validation"], pre, mirror=True, post=post)
        save()
    if "ma20" in sets:
        m["ma20"] = eval_ma20(model, split["ma20"]["validation"], pre, post=post)
        save()
    if "ma20_patients" in sets and MA20_PATIENT_SPLIT_FILE.exists():
        ms = json.loads(MA20_PATIENT_SPLIT_FILE.read_text())
        groups = {"clean": ms["cleanValidation"]}
        for a, b in ms["validationRuns"]:
            groups[f"patient_{a:04d}_{b:04d}"] = [n for n in ms["validation"] if a <= n <= b]
        m["ma20_patients"] = eval_ma20(model, ms["validation"], pre, post=post, groups=groups)
        save()
    if "synthetic" in sets:
        m["synthetic"] = eval_synthetic(model, split["synthetic"]["validationBases"], pre, synth_cases, post=post)
        save()
    if "synthetic_8bit" in sets:
        if post is None:
            raise ValueError("synthetic_8bit needs the decision rule (--post)")
        m["synthetic_8bit"] = eval_synthetic_8bit(model, split["synthetic"]["validationBases"], pre, synth_cases, post)
        save()
    if "real_ct" in sets:
        m["real_ct"] = real_ct_burden(model, pre, post=post)
        save()
    save()
    return m


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--synth-cases", type=int, default=8)
    ap.add_argument("--bundle", type=Path, default=None, help="bundle dir whose metadata/card to refresh")
    ap.add_argument("--checkpoint", default="final.pt", help="checkpoint file in the run dir (final.pt is what ships)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--post", type=Path, default=None, help="postprocess.json: also score with this decision rule")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help=f"comma list of {','.join(ALL_SETS + EXTRA_SETS)}")
    ap.add_argument("--out-name", default="metrics.json", help="file name of the metrics in the run dir")
    args = ap.parse_args(argv)
    sets = tuple(x for x in args.sets.split(",") if x)
    bad = [x for x in sets if x not in ALL_SETS + EXTRA_SETS]
    if bad:
        ap.error(f"--sets: unknown {bad}; known {ALL_SETS}")
    m = evaluate_run(args.run, args.synth_cases, args.threads, args.checkpoint, args.post, sets, args.out_name)
    print(json.dumps(m["summary"], indent=1))
    if args.bundle is not None:
        refresh_bundle_metrics(args.bundle, args.run)


if __name__ == "__main__":
    main()
