"""Stage 5: retraining on reader-signed ground truth exported by the app.

``python -m lungburden.retrain --from <export-dir> --base-run <run dir | bundle dir> --out <bundle dir>
--steps N --min-delta D``

1. Reads a ``lung-burden-v1`` training export (``manifest.json`` + ``cases/<case>/image.nii.gz`` (int16
   HU), ``lesions.nii.gz`` (0/1/2), optional ``lung.nii.gz``; written by
   ``electron/services/exports/training-export.ts``), checks every file against the sha256 in the manifest,
   and turns each case into F-slice windows (same body crop / resize as :mod:`lungburden.prepare`, HU
   float16, exact 3-class labels of the middle slice) in a temporary cache.
2. Fine-tunes from the base model's weights: ``<run>/final.pt`` (or ``last.pt``) of a run dir, the
   ``checkpoint.pt`` of a bundle written by this module, or the run named in a bundle's
   ``training.config.run`` when that run exists in ``runs/``. Without any checkpoint it trains from the
   same config (from scratch). The export is one more batch source next to the base config's sources
   (those whose caches exist); the schedule is step-based (warm-up + cosine, ``--lr``).
3. Evaluates the old and the new model on the SAME fixed split (``splits/validation.json``, read only:
   its sha256 is asserted unchanged at the end) with the functions of :mod:`lungburden.evaluate`.
   Exported cases are never added to it. Without a base checkpoint, the old model is the bundle's
   ONNX file run with onnxruntime. Writes ``<out>/comparison.json``.
4. If ``new[gate] >= old[gate] - min_delta`` (gate: MedSeg validation lesion Dice by default) writes the
   bundle into ``--out`` (model.onnx, metadata.json with the version bumped to
   ``<major>.<minor+1>.0-retrain.<UTC timestamp>`` and the export manifest's sha256 in
   ``training.data``, MODEL_CARD.md, checkpoint.pt for the next retraining) and exits 0; otherwise exits
   3 with a message, and ``comparison.json`` is the only file written.

Exit codes (``shared/contracts/retraining/python-exit-codes.json``): 0 bundle written, 1 bad input / error,
2 usage, 3 refused (new model worse). Stdout lines starting with ``{`` are the contract's step / phase lines;
``manifest.json`` and ``comparison.json`` are validated against their JSON Schemas (:mod:`lungburden.contract`).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .cache_format import cache_antialias
from .contract import EXIT, phase_line, validate
from .data.preprocess import PreprocessConfig
from .evaluate import eval_ma20, eval_medseg, eval_synthetic
from .inference_sizes import KEY as SIZES_KEY
from .inference_sizes import deployed, deployed_architecture
from .metric_summary import flat_metrics
from .nets.registry import build_net
from .onnx_bundle import sha256_file, write_bundle
from .paths import AA_CACHE_DIR, CACHE_DIR, RUNS_DIR, SPLITS_FILE
from .prepare import _save
from .retrain_card import model_card
from .retrain_export import RetrainError, export_samples, read_export
from .train import DEFAULT_CONFIG, load_config, train

EXIT_REFUSED = EXIT["refused"]
EVAL_SETS = ("medseg", "ma20", "synthetic")
DEFAULT_GATE = "medseg_val_dice_lesion"


# ---------------------------------------------------------------- base model


class OnnxModel:
    """An ONNX bundle as a callable with the torch-module surface :mod:`lungburden.evaluate` uses."""

    def __init__(self, path: Path, threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        self.sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self.input = self.sess.get_inputs()[0].name

    def eval(self):
        return self

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(self.sess.run(None, {self.input: x.numpy().astype(np.float32)})[0])


def _cache_matches(path: Path, antialias: bool) -> bool:
    """A cache file exists and was resized as the base model preprocesses (``cache_format.cache_antialias``)."""
    if not path.is_file():
        return False
    with np.load(path) as z:
        return cache_antialias(z) == antialias


def with_bundle_antialias(cfg: dict, meta: dict) -> dict:
    """``cfg`` whose ``preprocess.antialias`` is the bundle's ``preprocessing.antialias`` (absent = false): the
    metadata is the contract the application runs, so the export windows, the evaluation and the new bundle use it
    whatever the training config says (unchanged when they agree)."""
    aa = bool(meta.get("preprocessing", {}).get("antialias", False))
    if bool(cfg.get("preprocess", {}).get("antialias", False)) == aa:
        return cfg
    return {**cfg, "preprocess": {**cfg.get("preprocess", {}), "antialias": aa}}


def resolve_base(base: Path) -> dict:
    """``{cfg, state|None, ckpt_path|None, bundle|None, name, version}`` of a run dir or bundle dir."""
    if not base.is_dir():
        raise RetrainError(f"--base-run {base}: not a folder")
    meta_p = base / "metadata.json"
    if meta_p.is_file():
        meta = json.loads(meta_p.read_text())
        tcfg = meta.get("training", {}).get("config", {})
        ck = None
        run_ck = [RUNS_DIR / tcfg["run"] / "final.pt"] if isinstance(tcfg.get("run"), str) else []
        for cand in [base / "checkpoint.pt", *run_ck]:
            if cand.is_file():
                ck = cand
                break
        if ck is not None:
            d = torch.load(ck, map_location="cpu")
            ck_cfg = d["config"]
            if SIZES_KEY in tcfg and SIZES_KEY not in ck_cfg:  # the training run of a bundle whose graph adds sizes
                ck_cfg = {**ck_cfg, SIZES_KEY: tcfg[SIZES_KEY]}
            return {"cfg": with_bundle_antialias(ck_cfg, meta), "state": d["model"], "ckpt_path": ck, "bundle": base,
                    "meta": meta}
        cfg = load_config(None, {k: v for k, v in tcfg.items()
                                 if k in DEFAULT_CONFIG or k in ("preprocess", "arch_kwargs", SIZES_KEY)})
        # a graph at several input sizes names the network in its training config (its architecture is the graph's)
        cfg["arch"] = (tcfg.get("arch") if SIZES_KEY in tcfg else None) or meta.get("architecture") or cfg["arch"]
        cfg["preprocess"] = {"height": meta["input"]["height"], "width": meta["input"]["width"],
                             **cfg.get("preprocess", {})}
        return {"cfg": with_bundle_antialias(cfg, meta), "state": None, "ckpt_path": None, "bundle": base, "meta": meta}
    for which in ("final.pt", "last.pt"):
        if (base / which).is_file():
            d = torch.load(base / which, map_location="cpu")
            return {"cfg": d["config"], "state": d["model"], "ckpt_path": base / which, "bundle": None, "meta": None}
    raise RetrainError(f"--base-run {base}: neither a bundle (metadata.json) nor a run (final.pt / last.pt)")


def bump_version(version: str, now: _dt.datetime) -> str:
    """``1.0.0`` -> ``1.1.0-retrain.20261129T224300Z`` (pre-release tags of the base are dropped)."""
    m = re.match(r"^(\d+)\.(\d+)\.(\d+)", version)
    major, minor = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return f"{major}.{minor + 1}.0-retrain.{now.strftime('%Y%m%dT%H%M%SZ')}"


# ---------------------------------------------------------------- evaluation


def evaluate_model(model, pre: PreprocessConfig, split: dict, sets: tuple[str, ...], synth_cases: int) -> dict:
    """Metrics of :mod:`lungburden.evaluate` on the fixed split (the sets chosen), plus the flat summary."""
    m: dict = {}
    t0 = time.time()
    if "medseg" in sets:
        m["medseg"], _ = eval_medseg(model, split["medseg"]["validation"], pre)
        m["medseg_mirror"], _ = eval_medseg(model, split["medseg"]["validation"], pre, mirror=True)
    if "ma20" in sets:
        m["ma20"] = eval_ma20(model, split["ma20"]["validation"], pre)
    if "synthetic" in sets:
        m["synthetic"] = eval_synthetic(model, split["synthetic"]["validationBases"], pre, synth_cases)
    m["eval_s"] = round(time.time() - t0, 1)
    prefixes = tuple({"medseg": "medseg_", "ma20": "ma20_", "synthetic": "synth_"}[s] for s in sets)
    m["summary"] = {k: v for k, v in flat_metrics(m).items() if k.startswith(prefixes)}
    return m


# ---------------------------------------------------------------- main


def retrain(a: argparse.Namespace) -> int:
    if not SPLITS_FILE.is_file():
        raise RetrainError(f"{SPLITS_FILE} missing: the fixed validation split must exist (never written here)")
    split_sha = sha256_file(SPLITS_FILE)
    sets = tuple(s for s in a.eval_sets.split(",") if s)
    if not sets or any(s not in EVAL_SETS for s in sets):
        raise RetrainError(f"--eval-sets {a.eval_sets!r}: choose from {','.join(EVAL_SETS)}")
    out: Path = a.out
    if (out / "metadata.json").exists():
        raise RetrainError(f"--out {out}: already holds a bundle (metadata.json); choose a new folder")
    torch.set_num_threads(a.threads)
    print(phase_line("preparing", f"reading the training export {a.from_}"), flush=True)
    manifest, manifest_sha, cases = read_export(a.from_)
    base = resolve_base(a.base_run)
    base_cfg = base["cfg"]
    pre = PreprocessConfig(**base_cfg.get("preprocess", {}))
    split = json.loads(SPLITS_FILE.read_text())

    with tempfile.TemporaryDirectory(prefix="lungburden-retrain-") as tmp_s:
        tmp = Path(tmp_s)
        cache = tmp / "cache"
        cache.mkdir()
        xs, ys, ids = export_samples(cases, pre, a.max_slices_per_case, a.seed)
        export_file = f"export_{manifest_sha[:12]}.npz"
        _save(cache / export_file, xs, ys, [0] * len(xs), ids, pre.antialias)
        src_cache: Path = a.cache or (AA_CACHE_DIR if pre.antialias else CACHE_DIR)
        sources = {}
        for name, spec in base_cfg.get("sources", {}).items():
            if spec.get("per_batch", 0) > 0 and all(_cache_matches(src_cache / f, pre.antialias) for f in spec["files"]):
                for f in spec["files"]:
                    (cache / f).symlink_to((src_cache / f).resolve())
                sources[name] = spec
        missing = sorted(set(base_cfg.get("sources", {})) - set(sources))
        if missing:
            print(f"retrain: warning: no cache resized as the base model preprocesses (antialias "
                  f"{str(pre.antialias).lower()}) for the base training source(s) {', '.join(missing)} in {src_cache}: "
                  "fine-tuning on the export without them risks forgetting (the gate still compares old and new); "
                  "run python -m lungburden.prepare where ../shared/data is available", flush=True)
        sources["export"] = {"files": [export_file], "per_batch": a.export_per_batch, "hu": True}
        cfg = dict(base_cfg)
        cfg.pop("init_from", None)  # the base weights come from the base model itself
        # the base run's distillation teacher (e.g. runs/v1.3.0/final.pt for 1.15.0) is not part of the bundle and is
        # not on a reader's machine: the fine-tune on signed cases runs without one, the same everywhere
        cfg.pop("teacher", None)
        cfg.update({"run": "retrain", "steps": a.steps, "warmup": max(1, min(int(base_cfg.get("warmup", 100)), a.steps // 10)),
                    "lr": a.lr, "lr_min": a.lr * 0.01, "time_budget_s": None, "eval_every": a.steps + 1,
                    "ckpt_every_s": 10 ** 9, "threads": a.threads, "seed": a.seed, "sources": sources, "monitor": {}})
        run_dir = tmp / "runs" / "retrain"
        run_dir.mkdir(parents=True)
        model0 = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
        if base["state"] is not None:
            model0.load_state_dict(base["state"])
            opt0 = torch.optim.Adam(model0.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
            torch.save({"model": model0.state_dict(), "opt": opt0.state_dict(), "step": 0, "config": cfg, "elapsed_s": 0.0},
                       run_dir / "last.pt")
        print(phase_line("fine-tuning", f"{len(cases)} exported case(s) -> {len(xs)} windows; base "
                         f"{base['ckpt_path'] or base['bundle']}; {a.steps} steps"), flush=True)
        t0 = time.time()
        train(cfg, cache, tmp / "runs", resume=base["state"] is not None, quiet=a.quiet)
        duration = time.time() - t0
        new = torch.load(run_dir / "final.pt", map_location="cpu")
        net_new = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
        net_new.load_state_dict(new["model"])
        net_new.eval()
        # old and new are evaluated, and the new bundle written, as the application runs them: the network, or its
        # logit mean over the base bundle's input sizes (lungburden.inference_sizes; the graph survives retraining)
        model_new = deployed(net_new, cfg)

        model_old: torch.nn.Module | OnnxModel
        if base["state"] is not None:
            net_old = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
            net_old.load_state_dict(base["state"])
            model_old = deployed(net_old.eval(), cfg)
            old_what = str(base["ckpt_path"])
        else:
            meta = base["meta"]
            model_old = OnnxModel(base["bundle"] / meta["file"], a.threads)
            old_what = str(base["bundle"] / meta["file"]) + " (onnxruntime)"
        print(phase_line("evaluating", "evaluating old and new model on the fixed validation split"), flush=True)
        old_m = evaluate_model(model_old, pre, split, sets, a.synth_cases)
        new_m = evaluate_model(model_new, pre, split, sets, a.synth_cases)
        if a.gate not in old_m["summary"]:
            raise RetrainError(f"--gate {a.gate}: not among the evaluated metrics {sorted(old_m['summary'])}")
        g_old, g_new = old_m["summary"][a.gate], new_m["summary"][a.gate]
        accepted = g_old is not None and g_new is not None and g_new >= g_old - a.min_delta
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        base_name = (base["meta"] or {}).get("name") or a.name
        base_version = (base["meta"] or {}).get("version") or "1.0.0"
        version = bump_version(base_version, now)
        comparison: dict[str, Any] = {
            "createdAt": now.isoformat(), "accepted": bool(accepted),
            "gate": {"metric": a.gate, "old": g_old, "new": g_new, "minDelta": a.min_delta,
                     "rule": "new >= old - minDelta"},
            "validationSplit": {"path": "models/training/splits/validation.json", "sha256": split_sha,
                                "sets": list(sets), "synthCases": a.synth_cases if "synthetic" in sets else 0},
            "export": {"dir": str(a.from_.resolve()), "manifestSha256": manifest_sha,
                       "cases": [c["name"] for c in cases], "windows": len(xs)},
            "old": {"model": old_what, "name": base_name, "version": base_version, **old_m},
            "new": {"name": base_name, "version": version if accepted else None, "steps": int(new["step"]),
                    "trainingS": round(duration, 1), **new_m},
            "config": {k: v for k, v in cfg.items() if k != "sources"} | {"sources": sources},
        }
        validate("retrain-comparison", json.loads(json.dumps(comparison)))  # the app reads it with the same schema
        out.mkdir(parents=True, exist_ok=True)
        (out / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n")
        if not accepted:
            msg = (f"retrain refused: new {a.gate} {g_new} < old {g_old} - min-delta {a.min_delta}; "
                   f"no bundle written (see {out / 'comparison.json'})")
            _check_split(split_sha)
            print(phase_line("refused", msg), flush=True)
            print(msg, file=sys.stderr, flush=True)
            return EXIT_REFUSED
        stage = tmp / "bundle"
        old_data = list((base["meta"] or {}).get("training", {}).get("data", []))
        training = {
            "data": old_data + [f"Lung Burden training export ({len(cases)} reader-signed case(s): "
                                f"{', '.join(c['name'] for c in cases)}), manifest.json sha256 {manifest_sha}"],
            "config": comparison["config"] | {"baseModel": {"name": base_name, "version": base_version,
                                                            "sha256": (base["meta"] or {}).get("sha256")},
                                              "exportManifestSha256": manifest_sha},
            "durationS": round(duration, 1),
        }
        meta = write_bundle(model_new, stage, name=base_name, version=version,
                            description=((base["meta"] or {}).get("description") or "COVID-19 pneumonia lesion segmentation")
                            + f" Fine-tuned on reader-signed cases ({version}).",
                            architecture=deployed_architecture(cfg), pre=pre, training=training, metrics=new_m["summary"])
        torch.save({"model": new["model"], "config": cfg, "step": int(new["step"])}, stage / "checkpoint.pt")
        (stage / "MODEL_CARD.md").write_text(model_card(meta, comparison))
        for f in sorted(stage.iterdir()):
            shutil.move(str(f), out / f.name)
    _check_split(split_sha)
    print(phase_line("written", f"bundle {base_name} {version} (model sha256 {meta['sha256']}) written to {out}"), flush=True)
    return EXIT["ok"]


def _check_split(sha: str) -> None:
    now = sha256_file(SPLITS_FILE)
    assert now == sha, f"{SPLITS_FILE} changed during retraining ({sha} -> {now})"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="from_", type=Path, required=True, help="lung-burden-v1 export folder")
    ap.add_argument("--base-run", type=Path, required=True, help="run dir (runs/<run>) or model bundle dir")
    ap.add_argument("--out", type=Path, required=True, help="bundle folder to write (comparison.json always)")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--min-delta", type=float, default=0.0, help="accept when new gate >= old gate - min-delta")
    ap.add_argument("--gate", default=DEFAULT_GATE, help="summary metric of the gate (metadata.json metrics key)")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--export-per-batch", type=int, default=4, help="exported windows per batch")
    ap.add_argument("--max-slices-per-case", type=int, default=64)
    ap.add_argument("--eval-sets", default=",".join(EVAL_SETS), help="subset of medseg,ma20,synthetic")
    ap.add_argument("--synth-cases", type=int, default=8)
    ap.add_argument("--cache", type=Path, default=None,
                    help="caches of the base config's sources (default: cache/, or cache-aa/ when the base model uses the "
                         "antialiased resize); files resized otherwise than the base model preprocesses are not used")
    ap.add_argument("--name", default="lung-burden-convlstm-fast", help="bundle name when the base is a run dir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.steps < 1:
        ap.error("--steps must be >= 1")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    try:
        return retrain(a)
    except RetrainError as e:
        print(f"retrain: {e}", file=sys.stderr, flush=True)
        return EXIT["error"]


if __name__ == "__main__":
    sys.exit(main())
