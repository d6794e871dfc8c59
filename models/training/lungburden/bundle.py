"""Stage 4 helpers: the trained bundle (model.onnx, metadata.json, MODEL_CARD.md, synthetic-vs-real.png).

Called by ``python -m lungburden.export --run runs/<run>`` (and by ``evaluate --bundle`` to refresh); it builds on
:mod:`lungburden.onnx_bundle`, :mod:`lungburden.checkpoints` and :mod:`lungburden.metric_summary`, never on the CLIs.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import CLASS_COLORS
from .checkpoints import load_model
from .data.medseg import load_medseg_slice
from .data.preprocess import PreprocessConfig, eight_bit_to_hu, hu_crop_window
from .metric_summary import flat_metrics
from .onnx_bundle import LICENCE_NOTES, RULE_KEYS, metadata_metrics, write_bundle
from .paths import AA_CACHE_DIR, CACHE_DIR, RUNS_DIR

TRAINING_DATA = [
    "MedSeg COVID-19 CT segmentation slices (Inf-Net re-package, commit fb3a03b), MultiClassInfection-Train: "
    "40 training slices (3 classes); 10 held out for validation (splits/validation.json)",
    "Ma et al. COVID-19-CT-Seg, CLAHE 8-bit slices 0000-1239 of 10 patients (dstaroff/COVID19-CT-Segmentation 9f345c0): "
    "binary lesion masks, partial-label loss; split by patient (splits/ma20-patients.json): 7 training patients (802 "
    "slices), 3 validation patients (438 slices); models up to 1.2.0 trained on slices 0000-0599 with 2 blocks of 50 "
    "held out",
    "Synthetic lesions (lungburden.synth) inserted into TCIA LIDC-IDRI-0001 and RIDER-1225316081 (training); "
    "4D-Lung 113_HM10395 held out for validation",
]


def _tile(hu: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    g = np.clip((hu + 1350.0) / 1500.0 * 255.0, 0, 255).astype(np.uint8)
    rgb = np.stack([g] * 3, -1)
    if labels is None:
        return rgb
    ov = rgb.astype(np.float32)
    for c in (1, 2):
        m = labels == c
        ov[m] = 0.55 * ov[m] + 0.45 * np.array(CLASS_COLORS[c], np.float32)
    return ov.astype(np.uint8)


def make_panel(out: Path, pre: PreprocessConfig, n: int = 4, cache_dir: Path | None = None) -> None:
    """Top: real MedSeg COVID slices (image / ground truth); bottom: synthetic slices (image / label).
    All shown in the same lung window (-1350..+150 HU), after the model's body crop; the synthetic slices come from the
    cache resized as the model preprocesses (``cache-aa/`` with the antialiased resize) unless ``cache_dir`` is given."""
    cache_dir = cache_dir or (AA_CACHE_DIR if pre.antialias else CACHE_DIR)
    real_ids = ["0", "1", "5", "10"][:n]
    real_img, real_lab = [], []
    for sid in real_ids:
        s = load_medseg_slice(sid)
        x, _, y = hu_crop_window(np.stack([eight_bit_to_hu(s.image_u8, pre)] * pre.slice_window), pre, s.labels)
        real_img.append(_tile(x[pre.slice_window // 2], None))
        real_lab.append(_tile(x[pre.slice_window // 2], y))
    syn_img, syn_lab = [], []
    with np.load(cache_dir / "synth_validation_4d-lung-113-hm10395.npz") as z:
        xs, ys = z["x"], z["y"]
    lesion_px = ys.reshape(len(ys), -1).astype(bool).sum(1)
    for i in np.argsort(-lesion_px)[: n * 6: 6][:n]:
        x = xs[i].astype(np.float32)
        syn_img.append(_tile(x[pre.slice_window // 2], None))
        syn_lab.append(_tile(x[pre.slice_window // 2], ys[i]))
    rows = [np.concatenate(r, 1) for r in (real_img, real_lab, syn_img, syn_lab)]
    Image.fromarray(np.concatenate(rows, 0)).save(out, optimize=True)


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}" if np.isfinite(v) else "n/a"
    return str(v)


def _confusion_text(med: dict) -> str:
    c = med.get("confusion_px")
    if not c:
        return ""
    c = np.asarray(c, dtype=np.float64)
    r = c / np.maximum(c.sum(1, keepdims=True), 1)
    return (f"Pixel confusion on MedSeg val (row = truth): true GGO -> background {r[1, 0]:.0%}, GGO {r[1, 1]:.0%}, "
            f"high opacity {r[1, 2]:.0%}; true HO -> background {r[2, 0]:.0%}, GGO {r[2, 1]:.0%}, HO {r[2, 2]:.0%}; "
            f"true background -> lesion {r[0, 1] + r[0, 2]:.1%}.")


def _ci(v) -> str:
    return f"[{_fmt(v[0])}, {_fmt(v[1])}]" if v else "-"


def _run_chain(cfg: dict) -> list[dict]:
    """This run's config, then the configs of the runs it was warm-started from (``init_from``), newest first."""
    chain: list[dict] = []
    c: dict | None = cfg
    while c is not None:
        chain.append(c)
        prev = c.get("init_from")
        p = RUNS_DIR / prev / "config.json" if prev else None
        c = json.loads(p.read_text()) if p is not None and p.exists() else None
    return chain


def _version_history(cfg: dict) -> list[str]:
    """Earlier runs of the warm-start chain next to this one, same split, same command."""
    rows = []
    for c in _run_chain(cfg):
        mp = RUNS_DIR / c["run"] / "metrics.json"
        if mp.exists():
            m = json.loads(mp.read_text())
            med, ma, syn = m["medseg"], m["ma20"], m["synthetic"]
            rows.append(f"| `{c['run']}` | {m['step']} | {_fmt(med['dice_ggo'])} | {_fmt(med['dice_ho'])} | "
                        f"{_fmt(med['dice_lesion'])} | {_fmt(ma['dice_lesion'])} | {_fmt(syn['volume_dice_ggo'])} | "
                        f"{_fmt(syn['volume_dice_ho'])} | {_fmt(syn.get('lesion_in_lung_ml_ba_bias'))} |")
    if len(rows) < 2:
        return []
    return [
        "## Version history (same split, same evaluation command)",
        "| run | steps | MedSeg GGO | MedSeg HO | MedSeg lesion | MA20 lesion | synth GGO (vol.) | synth HO (vol.) | "
        "synth lesion-in-lung bias mL |",
        "|---|---|---|---|---|---|---|---|---|",
        *reversed(rows),
        "",
    ]


def _reproduce(cfg: dict) -> str:
    """The command chain that rebuilds this run from the shared data (earlier runs first)."""
    py = "../../.venv/bin/python -m lungburden"
    steps = [f"cd models/training && {py}.prepare"]
    if any("synth-v2" in f for s in cfg["sources"].values() for f in s["files"]):
        steps.append(f"{py}.prepare --only synth --profile v2")
    for run in reversed([c["run"] for c in _run_chain(cfg)]):
        name = "fast" if run == "fast-v1" else run
        steps.append(f"{py}.train --config configs/{name}.json")
    steps += [f"{py}.evaluate --run runs/{cfg['run']} --synth-cases 8", f"{py}.export --run runs/{cfg['run']}"]
    return " && ".join(steps)


def write_model_card(bundle: Path, run_dir: Path, meta: dict) -> None:
    m = json.loads((run_dir / "metrics.json").read_text())
    cfg = json.loads((run_dir / "config.json").read_text())
    bench_p = RUNS_DIR / "bench.json"
    bench = json.loads(bench_p.read_text()) if bench_p.exists() else None
    med, ma, syn = m["medseg"], m["ma20"], m["synthetic"]
    lines = [
        f"# Model card: {meta['name']} {meta['version']}",
        "",
        "Segments COVID-19 pneumonia on chest CT into **ground-glass opacity (GGO, label 1)** and **high opacity "
        "(label 2: consolidation + pleural effusion)**, one axial slice at a time from a window of "
        f"{meta['input']['sliceWindow']} adjacent slices. Architecture: the fast variant of the ConvLSTM network "
        "of Killekar et al. 2022 (`lungburden/nets/fast.py`; faithful version in `lungburden/nets/faithful.py`).",
        "",
        "**Research and evaluation use only. Not a medical device; not validated for clinical use.**",
        "",
        "## Interface",
        f"- ONNX opset 17, input `{meta['input']['name']}` float32 `[batch, {meta['input']['sliceWindow']}, "
        f"{meta['input']['height']}, {meta['input']['width']}]`, output `{meta['output']['name']}` float32 "
        f"`[batch, 3, {meta['input']['height']}, {meta['input']['width']}]` pre-softmax logits of the middle slice.",
        f"- sha256 of model.onnx: `{meta['sha256']}`.",
        "- Preprocessing (metadata.json `preprocessing`, implemented in `lungburden/data/preprocess.py`, mirrored in "
        "`shared/inference/preprocess.ts`, pinned by `test/fixtures/inference-golden/`): body crop from the middle "
        f"slice at {meta['preprocessing']['bodyThresholdHu']} HU (largest 4-connected component, margin "
        f"{meta['preprocessing']['bodyCropMarginPx']} px, square), "
        + ("Gaussian antialiasing prefilter when the crop is decimated (`antialias`), then "
           if meta["preprocessing"].get("antialias") else "")
        + "bilinear resize, window "
        f"[{meta['preprocessing']['window']['centerHu'] - meta['preprocessing']['window']['widthHu'] / 2:.0f}, "
        f"{meta['preprocessing']['window']['centerHu'] + meta['preprocessing']['window']['widthHu'] / 2:.0f}] HU -> [0,1], "
        f"z-score with mean {meta['preprocessing']['normalize']['mean']} / std {meta['preprocessing']['normalize']['std']} "
        "(mean/std of windowed body-crop values of MedSeg train + LIDC slices; the paper used lung-only statistics). "
        "8-bit slices are mapped to HU through `eightBitWindow` "
        f"(centre {meta['preprocessing']['eightBitWindow']['centerHu']}, "
        f"width {meta['preprocessing']['eightBitWindow']['widthHu']}; "
        "estimated from MedSeg air/lung/soft-tissue grey levels).",
        "- Slices at the volume ends repeat the edge slice. MedSeg slices are single slices: the window repeats the slice.",
        "",
        "## Training data and licences",
        *[f"- {d}" for d in meta["training"]["data"]],
        "",
        f"Licences: {LICENCE_NOTES}",
        "",
        "![synthetic vs real](synthetic-vs-real.png)",
        "",
        "`synthetic-vs-real.png`: rows 1-2 real MedSeg COVID-19 slices (image, ground truth), rows 3-4 synthetic lesions "
        "on the held-out 4D-Lung series (image, label); blue GGO, yellow high opacity; lung window, after the body crop.",
        "",
        "Synthetic-lesion engine (`lungburden/synth`, after Yao et al., IEEE TMI 2021): 3-D lesions = unions of "
        "ellipsoids deformed by smooth noise, clipped to a threshold lung mask, 70 % subpleural, spread over both lungs, "
        "2-8 per slab; GGO blends towards -700..-350 HU with alpha 0.6-0.85 (vessels stay visible), crazy paving = GGO + "
        "reticular septal ridges, consolidation -70..+40 HU alpha 0.97-1 (vessels obscured), dependent posterior pleural "
        "effusion 0..+20 HU (25 % of slabs), blurred borders, texture noise; label = alpha >= 0.5. Profile `v2` "
        "(`synth.lesions.PROFILES`, used from model 1.1 on, mixed 1:1 with v1 slabs) widens the intensities towards what "
        "the MedSeg *training* slices show: GGO targets -760..-300 HU with alpha 0.45-0.9 (fainter GGO), consolidation "
        "from -150 HU (partly aerated); the validation bases keep v1 so that validation numbers stay comparable.",
        "",
        "## Training",
        f"- Run `{cfg['run']}`: {m['step']} steps (wall-clock budget {cfg.get('time_budget_s')} s, cap {cfg['steps']}) of batch "
        f"{sum(s['per_batch'] for s in cfg['sources'].values())} "
        f"({', '.join(k + ' ' + str(v['per_batch']) for k, v in cfg['sources'].items())}), Adam lr {cfg['lr']} "
        f"(warm-up {cfg['warmup']}, cosine to {cfg['lr_min']}), weight decay {cfg['weight_decay']}, seed {cfg['seed']}, "
        f"{cfg['threads']} CPU threads; wall clock {meta['training']['durationS'] / 60:.1f} min on a shared 2-core CPU.",
        "- Loss: focal (class weights [0.1, 1, 1], gamma 3) + soft Dice over GGO, HO and lesion (replaces the paper's VGG "
        "perceptual loss: no pretrained VGG weights can be downloaded here; Dice is a region-level term that directly "
        "targets overlap and the lesion/background imbalance); MA20 uses the same terms on p(GGO)+p(HO) vs the binary "
        f"mask. Deep supervision of both branches (weight {cfg['aux_weight']}).",
        "- Augmentation: rotation +-10 deg, translation +-10 px, scale 0.9-1.05 (MedSeg 0.6-1.05: its slices are cropped "
        "to the lungs, not the body), left-right mirror, HU gain/offset, gamma, noise, and 8-bit re-rendering of HU samples "
        "(random display window, rounding, back through eightBitWindow).",
        *([f"- Weight averaging: the shipped weights are an exponential moving average of the training weights and "
            f"BatchNorm statistics (decay {cfg['ema_decay']}, warmed up over the first steps), not the last step's."]
          if cfg.get("ema_decay") else []),
        *([f"- Warm start: the final weights of run `{cfg['init_from']}` (its optimiser state and schedule are not "
            "kept; lr restarts with a short warm-up). The chain of warm starts ("
            + " <- ".join(f"`{c['run']}`" for c in _run_chain(cfg)) + f") begins with `{_run_chain(cfg)[-1]['run']}`, "
            "trained from scratch (Xavier init): no ImageNet DenseNet weights are available offline."]
          if cfg.get("init_from") else
          [f"- Warm start: the weights of `{cfg['init_checkpoint']}` (a shipped bundle's checkpoint.pt; a new stem input "
           "channel starts at zero, so training begins from exactly that model); its optimiser state is not kept."]
          if cfg.get("init_checkpoint") else
          ["- Trained from scratch (Xavier init): no ImageNet DenseNet weights are available offline."]),
        f"- Reproduce: `{_reproduce(cfg)}`",
        "",
        "## Validation metrics (fixed split `models/training/splits/validation.json`, never used for tuning)",
        f"Command: `{m['command']}` (final checkpoint, step {m['step']}). Dice is 1 when prediction and truth are both "
        "empty; the count of such cases is given.",
        "",
        "| set | what | GGO | high opacity | all lesion |",
        "|---|---|---|---|---|",
        f"| MedSeg val ({med['n']} real slices, native res.) | mean per-slice Dice | {_fmt(med['dice_ggo'])} | "
        f"{_fmt(med['dice_ho'])} | {_fmt(med['dice_lesion'])} |",
        f"| | 95 % bootstrap interval of that mean | {_ci(med.get('dice_ggo_ci95'))} | {_ci(med.get('dice_ho_ci95'))} | "
        f"{_ci(med.get('dice_lesion_ci95'))} |",
        f"| | pooled Dice (all val pixels) | {_fmt(med['dice_ggo_pooled'])} | {_fmt(med['dice_ho_pooled'])} | "
        f"{_fmt(med['dice_lesion_pooled'])} |",
        f"| | empty-vs-empty slices | {med['n_empty_both_ggo']} | {med['n_empty_both_ho']} | {med['n_empty_both_lesion']} |",
        *([f"| | mean per-slice Dice with left-right mirror averaging (as `lung-burden segment` runs single 8-bit "
           f"images) | {_fmt(mm['dice_ggo'])} | {_fmt(mm['dice_ho'])} | {_fmt(mm['dice_lesion'])} |"]
          if (mm := m.get("medseg_mirror")) else []),
        f"| MA20 val ({ma['n']} real CLAHE slices, binary labels) | mean per-slice Dice | - | - | {_fmt(ma['dice_lesion'])} "
        f"(pooled {_fmt(ma['dice_lesion_pooled'])}) |",
        f"| Synthetic val ({syn['n_volumes']} volumes x 15 slices, held-out 4D-Lung, 512x512) | per-volume Dice | "
        f"{_fmt(syn['volume_dice_ggo'])} | {_fmt(syn['volume_dice_ho'])} | {_fmt(syn['volume_dice_lesion'])} |",
        f"| | per-slice Dice | {_fmt(syn['slice_dice_ggo'])} | {_fmt(syn['slice_dice_ho'])} | {_fmt(syn['slice_dice_lesion'])} |",
        f"| | empty-vs-empty volumes / slices | {syn['volume_n_empty_both_ggo']} / {syn['slice_n_empty_both_ggo']} | "
        f"{syn['volume_n_empty_both_ho']} / {syn['slice_n_empty_both_ho']} | {syn['volume_n_empty_both_lesion']} / "
        f"{syn['slice_n_empty_both_lesion']} |",
        "",
        f"Volume agreement: synthetic lesion volume (mL, per volume) R^2 {_fmt(syn['lesion_ml_r2'])} (Pearson r^2 "
        f"{_fmt(syn['lesion_ml_pearson_r2'])}), Bland-Altman bias {_fmt(syn['lesion_ml_ba_bias'])} mL, 95 % limits "
        f"[{_fmt(syn['lesion_ml_ba_loa_low'])}, {_fmt(syn['lesion_ml_ba_loa_high'])}] mL; with the prediction restricted "
        f"to the lung mask (as burden is computed): R^2 {_fmt(syn.get('lesion_in_lung_ml_r2'))} (Pearson r^2 "
        f"{_fmt(syn.get('lesion_in_lung_ml_pearson_r2'))}), bias {_fmt(syn.get('lesion_in_lung_ml_ba_bias'))} mL, limits "
        f"[{_fmt(syn.get('lesion_in_lung_ml_ba_loa_low'))}, {_fmt(syn.get('lesion_in_lung_ml_ba_loa_high'))}] mL. "
        "MedSeg lesion area per slice "
        f"(px) R^2 {_fmt(med['area_px_r2'])}, bias {_fmt(med['area_px_ba_bias'])} px.",
        "",
        f"Targets of the issue on MedSeg val: GGO Dice >= 0.72, HO Dice >= 0.45 (Inf-Net reported ~0.64 / 0.30 on its test "
        f"split). **Reached: GGO {_fmt(med['dice_ggo'])} ({'met' if med['dice_ggo'] >= 0.72 else 'NOT met'}), HO "
        f"{_fmt(med['dice_ho'])} ({'met' if med['dice_ho'] >= 0.45 else 'NOT met'}).** " + _confusion_text(med)
        + " With only 10 validation slices, a single slice moves a mean Dice by up to 0.1: read these numbers with "
        "that uncertainty. MedSeg has no patient ids, so validation slices may share patients with training slices. "
        "Validation Dice values were logged during training for monitoring; no decision (checkpoint, schedule, "
        "hyper-parameter) was based on them." + (
            " One decision used the split: whether this version replaces the previous one, by the registry's gate "
            "(all-lesion MedSeg Dice not lower than the previous version's), fixed before this version was evaluated."
            if cfg.get("init_from") or cfg.get("init_checkpoint") else ""),
        "",
        *_version_history(cfg),
    ]
    real = m.get("real_ct") or {}
    if real:
        lines += [
            "## Real CT sanity check (unlabelled HU series, not a validation)",
            "Predicted lesion volume inside a threshold lung mask (`lungburden/synth/lung_mask.py`) and outside it. "
            "RICORD 1a-000082 has real COVID-19 GGO; LIDC-0001 and RIDER-1225316081 have none (and were synthetic "
            "training bases).",
            "",
            "| series | lung mL | GGO mL | HO mL | burden % | predicted lesion outside the lung mL |",
            "|---|---|---|---|---|---|",
            *[f"| {k} | {v['lung_ml']} | {v['ggo_ml']} | {v['ho_ml']} | {v['burden_pct']} | {v['lesion_outside_lung_ml']} |"
              for k, v in real.items()],
            "",
            "The network also labels tissue outside the lungs (heart, chest wall, upper abdomen): **the consumer must "
            "intersect the lesion map with the lung mask** before computing burden.",
            "",
        ]
    if bench:
        f, fa = bench["convlstm-fast"], bench["convlstm-faithful"]
        lines += [
            "## Faithful vs fast",
            f"Measured by `python -m lungburden.bench` ({bench['measured_at']}, batch {f['batch']}, {f['threads']} threads, "
            "shared 2-core CPU while other jobs ran: absolute ms are noisy, ratios are the robust part).",
            "",
            "| network | input | params | GFLOP/slice (conv) | torch ms/slice | onnxruntime ms/slice |",
            "|---|---|---|---|---|---|",
            f"| faithful (paper) | {fa['input']} | {fa['params']:,} | {fa['gflop_per_slice']} | {fa['torch_ms_per_slice']} | "
            f"{fa['onnxruntime_ms_per_slice']} |",
            f"| fast (shipped) | {f['input']} | {f['params']:,} | {f['gflop_per_slice']} | {f['torch_ms_per_slice']} | "
            f"{f['onnxruntime_ms_per_slice']} |",
            "",
            "Changes of the fast variant, one by one (see `lungburden/nets/fast.py`): 192x192 input instead of 256x256; slim "
            "dense trunk (stem 24, growth 12, bottleneck 48, 6 layers -> 96 maps at 48x48, instead of 64/32/128 -> 256 maps); "
            "trunk shared over the F slices and the ConvLSTM (hidden 16) runs on 1x1-reduced trunk features at 48x48 instead "
            "of raw slices at full resolution; seg blocks (width 16 instead of 64) at 96x96 with a stem-feature skip; attention "
            "block at 48x48; fused logits up-sampled x2 bilinearly. Unchanged: the two branches, ConvLSTM over the window, "
            "the sigmoid attention and the fusion (1-alpha) S_main + alpha S_attn.",
            "The faithful network was not trained here (its cost is ~40x the fast one on a 2-core CPU).",
            "",
        ]
    lines += [
        "## Limits",
        "- Real 3-class training data are 40 MedSeg slices (8-bit JPEG from SIRM case reports, unknown display window) "
        "and no real HU volume with GGO/consolidation labels; HU behaviour is learned from synthetic lesions only.",
        "- Pleural effusion appears only synthetically (MedSeg's effusion label is not in the Inf-Net package).",
        "- No external or per-patient validation; MedSeg validation is by slice. Burden numbers are not calibrated "
        "against the paper's cohorts. Expect false positives on dependent atelectasis, motion, and fibrosis.",
        "- Trained without ImageNet initialisation and for far fewer steps than the paper.",
        "",
    ]
    (bundle / "MODEL_CARD.md").write_text("\n".join(lines))


def refresh_bundle_metrics(bundle: Path, run_dir: Path) -> None:
    meta_p = bundle / "metadata.json"
    meta = json.loads(meta_p.read_text())
    m = json.loads((run_dir / "metrics.json").read_text())
    meta["metrics"] = metadata_metrics(flat_metrics(m))
    meta_p.write_text(json.dumps(meta, indent=2) + "\n")
    write_model_card(bundle, run_dir, meta)


def export_trained_run(run_dir: Path, out_dir: Path, name: str, version: str = "1.0.0",
                       training_data: list[str] | None = None) -> dict:
    model, cfg, ck = load_model(run_dir)
    if cfg["arch"] == "logit-ensemble":
        # not built: its metadata would not say that the graph mirror-averages (`segment` would average again) and
        # `lungburden.retrain` cannot fine-tune an ensemble; ensembles are candidates scored as runs (lungburden.ensemble)
        raise ValueError(f"{run_dir} is a logit ensemble: exporting an ensemble as a bundle is not supported")
    # with preprocess.antialias the metadata says `antialias: true` (PreprocessConfig.to_metadata), which the
    # application's preprocessing (shared/inference/preprocess.ts) implements, pinned by golden-antialias.json
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    mp = run_dir / "metrics.json"
    if not mp.exists():
        raise FileNotFoundError(f"{mp} missing: run python -m lungburden.evaluate --run {run_dir} first")
    metrics = flat_metrics(json.loads(mp.read_text()))
    if training_data is None:
        training_data = list(TRAINING_DATA)
        if any("synth-v2" in f for src in cfg["sources"].values() for f in src["files"]):
            training_data[-1] += " (lesion profiles v1 and v2, see synth.lesions.PROFILES)"
    training = {"data": training_data, "config": cfg, "durationS": round(float(ck.get("elapsed_s", 0.0)), 1)}
    meta = write_bundle(
        model, out_dir, name=name, version=version,
        description="COVID-19 pneumonia lesion segmentation (GGO / high opacity) on chest CT: fast variant of the "
                    "Killekar et al. 2022 ConvLSTM network with hierarchical attention fusion.",
        architecture=cfg["arch"], pre=pre, training=training, metrics=metrics)
    post_p = run_dir / "postprocess.json"
    if post_p.exists():
        # the decision rule chosen on training slices (lungburden.tune_postprocess): metadata.json postprocessing
        post = json.loads(post_p.read_text())
        meta["postprocessing"] = {k: post[k] for k in RULE_KEYS}
        (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    make_panel(out_dir / "synthetic-vs-real.png", pre)
    # the weights (no optimiser state) for the next fine-tuning (lungburden.retrain --base-run <bundle>)
    torch.save({"model": model.state_dict(), "config": cfg, "step": int(ck.get("step", 0))}, out_dir / "checkpoint.pt")
    write_model_card(out_dir, run_dir, meta)
    size = (out_dir / "model.onnx").stat().st_size
    print(json.dumps({"out": str(out_dir), "sha256": meta["sha256"], "onnx_bytes": size}))
    return meta
