"""Stage 2: training (``python -m lungburden.train --config configs/fast.json [--resume]``).

Each step draws a mixed batch (``batch`` in the config: samples per source, e.g. MedSeg real 3-class,
MA20 real binary, synthetic 3-class) from the caches written by :mod:`lungburden.prepare`, applies
:mod:`lungburden.augment`, and minimises :func:`lungburden.losses.mixed_loss` on the fused logits
plus ``aux_weight`` x the same loss on each branch (deep supervision of S_main and S_attn, as the
auxiliary losses of Tao et al.). Adam (lr 1e-3, weight decay 1e-6, as the paper) with linear warm-up
and cosine decay over a fixed number of steps (instead of ReduceOnPlateau, whose stopping point cannot
be planned into a fixed CPU budget). The final checkpoint is the model: no checkpoint selection.
``teacher`` (optional, :mod:`lungburden.distill`) adds distillation from a frozen mirror-averaged teacher. With
``teacher.clean_view`` (model 1.16) the teacher sees the batch *without* the display-curve augmentation (same geometry,
same intensity draws) while the student sees it with: the student learns to say on another site's display curve what
the teacher says on the clean image (a consistency target; a teacher shown the altered image fails on it, 1.3.0 scores
0.28 under CLAHE-like contrast).
``init_from`` (a run name) warm-starts from that run's ``final.pt`` weights (fine-tuning).
``ema_decay`` (optional, e.g. 0.998) keeps an exponential moving average of the weights and the
BatchNorm statistics (Polyak averaging); ``final.pt`` then holds the averaged weights, which are the
model (the raw weights stay in ``last.pt`` for ``--resume``).

Device: ``device`` in the config or ``--device`` (``auto``: a CUDA GPU when torch sees one, else the CPU with
``threads`` threads); batches are drawn and augmented on the CPU either way, so a GPU run sees the same batches
(its arithmetic, and so its weights, differ in the last bits). ``loader_workers`` (default 0) draws them in that many
worker processes ahead of the step, which a GPU needs (``configs/gpu-v26.json``: 7); the batches are the same.
Determinism: the batch indices and augmentation of step ``s`` depend only on ``(seed, s)``, so
``--resume`` continues the same sequence. Checkpoints (``last.pt``) every ``ckpt_every_s`` seconds and
at the end (``final.pt``) in ``runs/<run>/``; progress lines (step, loss, ETA) go to stdout and
``log.jsonl``; validation metrics (every ``eval_every`` steps) are logged for monitoring only.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Generator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from .augment import circular_fov, copy_paste, display_curve, geometric, intensity, low_resolution, normalize_tensor
from .cache_format import cache_antialias
from .data.preprocess import PreprocessConfig
from .distill import load_teacher, teacher_terms
from .losses import mixed_loss
from .metrics import dice_scores
from .nets.fast import load_warm
from .nets.registry import build_net
from .paths import CACHE_DIR, RUNS_DIR, TRAINING_ROOT

DEFAULT_CONFIG = {
    "run": "fast-v1",
    "arch": "convlstm-fast",
    "seed": 1,
    "steps": 3000,
    "warmup": 100,
    "lr": 1e-3,
    "lr_min": 1e-5,
    "weight_decay": 1e-6,
    "aux_weight": 0.4,
    "p_8bit": 0.5,
    "threads": 2,
    "device": "auto",
    "eval_every": 500,
    "ckpt_every_s": 180,
    "sources": {
        "medseg": {"files": ["medseg_train.npz"], "per_batch": 5, "hu": False, "scale_min": 0.6},
        "synth": {"files": ["synth_train_lidc-idri-0001.npz", "synth_train_rider-1225316081.npz"], "per_batch": 4, "hu": True},
        "ma20": {"files": ["ma20_train.npz"], "per_batch": 3, "hu": False},
    },
    "monitor": {
        "medseg": ["medseg_validation.npz"],
        "synth": ["synth_validation_4d-lung-113-hm10395.npz"],
        "ma20": ["ma20_validation.npz"],
    },
}


class Source:
    """All samples of one source in memory: x HU float16 [N,F,H,W], y uint8 [N,H,W], partial [N]. Every file must
    have been resized as the run preprocesses (``antialias``): a mixed cache would train on another contract."""

    def __init__(self, files: list[Path], antialias: bool = False):
        xs, ys, ps = [], [], []
        for f in files:
            with np.load(f) as z:
                if cache_antialias(z) != antialias:
                    raise ValueError(
                        f"{f} was resized {'with' if cache_antialias(z) else 'without'} the antialiasing prefilter but the "
                        f"config's preprocess.antialias is {str(antialias).lower()}: use the caches written by python -m "
                        f"lungburden.prepare{' --antialias' if antialias else ''} (--cache names their folder)")
                xs.append(z["x"])
                ys.append(z["y"])
                ps.append(z["partial"])
        self.x = np.concatenate(xs)
        self.y = np.concatenate(ys)
        self.partial = np.concatenate(ps)

    def __len__(self) -> int:
        return len(self.x)


def load_config(path: Path | None, overrides: dict | None = None) -> dict:
    cfg = json.loads(json.dumps(DEFAULT_CONFIG))
    if path is not None:
        cfg.update(json.loads(Path(path).read_text()))
    if overrides:
        cfg.update(overrides)
    return cfg


def lr_at(step: int, cfg: dict, elapsed_s: float | None = None) -> float:
    """Linear warm-up over ``warmup`` steps, then cosine decay to ``lr_min``: over ``steps`` steps, or, when
    ``time_budget_s`` is set, over the wall-clock budget (progress = elapsed / budget)."""
    if step < cfg["warmup"]:
        return cfg["lr"] * (step + 1) / cfg["warmup"]
    if cfg.get("time_budget_s") and elapsed_s is not None:
        t = elapsed_s / cfg["time_budget_s"]
    else:
        t = (step - cfg["warmup"]) / max(1, cfg["steps"] - cfg["warmup"])
    return cfg["lr_min"] + 0.5 * (cfg["lr"] - cfg["lr_min"]) * (1 + math.cos(math.pi * min(1.0, t)))


def sample_weights(src: Source, balance: str | None) -> np.ndarray | None:
    """Sampling probabilities of a source's samples: ``None`` = uniform; ``"classes"``: half uniform, a quarter in
    proportion to each sample's GGO pixels and a quarter to its high-opacity pixels (class-balanced sampling,
    so that the rarer high-opacity slices are drawn more often)."""
    if not balance:
        return None
    if balance != "classes":
        raise ValueError(f"unknown balance {balance!r} (known: classes)")
    g = (src.y == 1).reshape(len(src), -1).sum(1).astype(np.float64)
    h = (src.y == 2).reshape(len(src), -1).sum(1).astype(np.float64)
    # an array even when the source has neither class (a scalar here had no .sum())
    w = np.full(len(src), 0.5 / len(src)) + (0.25 * g / g.sum() if g.sum() else 0) + (0.25 * h / h.sum() if h.sum() else 0)
    return w / w.sum()


class Batch(NamedTuple):
    """One training batch: the student's input, labels, the partial-label flags, and (``teacher.clean_view``) the
    teacher's input: the same samples without the display-curve and low-resolution augmentations, else ``None`` (the
    teacher sees ``x``)."""
    x: torch.Tensor
    y: torch.Tensor
    partial: torch.Tensor
    x_teacher: torch.Tensor | None


def make_batch(sources: dict, cfg: dict, step: int, pre: PreprocessConfig) -> Batch:
    rng = np.random.default_rng([cfg["seed"], step])
    xs, ys, ps, hu, smin, names = [], [], [], [], [], []
    for name, spec in cfg["sources"].items():
        src = sources.get(name)
        if src is None or spec["per_batch"] <= 0:
            continue
        if spec.get("balance"):
            if not hasattr(src, "weights"):
                src.weights = sample_weights(src, spec["balance"])
            idx = rng.choice(len(src), spec["per_batch"], p=src.weights)
        else:
            idx = rng.integers(0, len(src), spec["per_batch"])
        names += [name] * len(idx)
        xs.append(src.x[idx])
        ys.append(src.y[idx])
        ps.append(src.partial[idx])
        hu.append(np.full(len(idx), 1 if spec.get("hu") else 0, np.uint8))
        smin.append(np.full(len(idx), spec.get("scale_min", 0.9), np.float32))
    xn = np.concatenate(xs).astype(np.float32)
    yn = np.concatenate(ys).astype(np.int64)
    cp = cfg.get("copy_paste")
    if cp and cp.get("from") in sources:
        donor = sources[cp["from"]]
        copy_paste(xn, yn, donor.x, donor.y, rng, [n in cp.get("into", []) for n in names], float(cp.get("p", 0.5)))
    x = torch.from_numpy(xn)
    y = torch.from_numpy(yn)
    g = torch.Generator().manual_seed(int(cfg["seed"]) * 1_000_003 + step)
    x, y = geometric(x, y, g, scale_min=torch.from_numpy(np.concatenate(smin)))
    if cfg.get("p_circle"):
        x, y = circular_fov(x, y, g, float(cfg["p_circle"]))
    x_clean = x
    if cfg.get("p_display"):
        only = cfg.get("display_sources")  # e.g. ["ma20"]: the binary-label slices only; None: every sample
        eligible = None if only is None else torch.tensor([n in only for n in names])
        x = display_curve(x, pre, g, float(cfg["p_display"]), eligible=eligible)
    if cfg.get("p_lowres"):
        only = cfg.get("lowres_sources")  # e.g. ["ma20"]; None: every sample
        eligible = None if only is None else torch.tensor([n in only for n in names])
        x = low_resolution(x, g, float(cfg["p_lowres"]), tuple(cfg.get("lowres_factor", (1.3, 2.5))), eligible=eligible)
    is_hu = torch.from_numpy(np.concatenate(hu))
    jitter = tuple(cfg.get("render_jitter", (100.0, 300.0)))
    draws = g.get_state()
    x = intensity(x, is_hu, pre, g, cfg["p_8bit"], jitter)
    x_teacher = None
    if (cfg.get("p_display") or cfg.get("p_lowres")) and (cfg.get("teacher") or {}).get("clean_view"):
        g_teacher = torch.Generator()
        g_teacher.set_state(draws)  # the same 8-bit render, gain, gamma and noise as the student's view
        x_teacher = intensity(x_clean, is_hu, pre, g_teacher, cfg["p_8bit"], jitter)
    return Batch(x, y, torch.from_numpy(np.concatenate(ps)), x_teacher)


class StepBatches(torch.utils.data.Dataset):
    """Batch ``s`` of a run as item ``s``: :func:`make_batch` depends only on ``(seed, s)``, so worker processes
    (``loader_workers``) prepare the same batches as the loop itself would, ahead of a GPU that would otherwise wait
    on the CPU's augmentation."""

    def __init__(self, sources: dict, cfg: dict, pre: PreprocessConfig):
        self.sources, self.cfg, self.pre = sources, cfg, pre

    def __len__(self) -> int:
        return int(self.cfg["steps"])

    def __getitem__(self, step: int) -> Batch:
        return make_batch(self.sources, self.cfg, int(step), self.pre)


def _one_thread(_worker: int) -> None:
    torch.set_num_threads(1)


def batches(sources: dict, cfg: dict, start: int, pre: PreprocessConfig, pin: bool = False) -> Generator[Batch, None, None]:
    """The batches of steps ``start..steps-1`` in order: drawn in the loop (``loader_workers`` 0, the default) or by
    that many worker processes, each batch the same either way."""
    workers = int(cfg.get("loader_workers", 0))
    if workers <= 0:
        yield from (make_batch(sources, cfg, s, pre) for s in range(start, cfg["steps"]))
        return
    loader = torch.utils.data.DataLoader(StepBatches(sources, cfg, pre), batch_size=None,
                                         sampler=range(start, cfg["steps"]), num_workers=workers, prefetch_factor=4,
                                         worker_init_fn=_one_thread, pin_memory=pin)
    for item in loader:
        yield Batch(*item)


def resolve_device(name: str) -> torch.device:
    """``auto``: CUDA when this torch build sees a GPU, else CPU; ``cuda`` without a GPU is an error."""
    if name not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda (got {name!r})")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' requested, but this torch build sees no CUDA GPU "
                           f"(torch {torch.__version__}, CUDA build: {torch.version.cuda})")
    return torch.device("cuda" if name == "cuda" or (name == "auto" and torch.cuda.is_available()) else "cpu")


@torch.no_grad()
def predict_hu(model, x_hu: np.ndarray, pre: PreprocessConfig, batch: int = 16) -> np.ndarray:
    """Argmax labels ``[N, H, W]`` for HU crops ``[N, F, H, W]`` (on the model's device)."""
    model.eval()
    dev = next(model.parameters()).device
    out = []
    for i in range(0, len(x_hu), batch):
        xb = normalize_tensor(torch.from_numpy(x_hu[i:i + batch].astype(np.float32)), pre).to(dev)
        out.append(model(xb).argmax(1).cpu().numpy().astype(np.uint8))
    return np.concatenate(out) if out else np.zeros((0,) + x_hu.shape[2:], np.uint8)


def monitor(model, monitors: dict, pre: PreprocessConfig) -> dict:
    res = {}
    for name, src in monitors.items():
        pred = predict_hu(model, src.x, pre)
        d = dice_scores(pred, src.y, binary=bool(src.partial.any()))
        res.update({f"{name}_{k}": v for k, v in d.items()})
    model.train()
    return res


class WeightEma:
    """Exponential moving average of a model's state (parameters and BatchNorm buffers).

    The decay is warmed up as ``min(decay, (1 + n) / (10 + n))`` over the ``n`` updates so far, so
    an average started on a warm-started model is not dominated by its first weights."""

    def __init__(self, model: torch.nn.Module, decay: float, state: dict | None = None):
        self.decay = decay
        self.updates = 0 if state is None else int(state["updates"])
        src = model.state_dict() if state is None else state["shadow"]
        dev = next(model.parameters()).device
        self.shadow = {k: (v.detach().clone().float() if v.is_floating_point() else v.detach().clone()).to(dev)
                       for k, v in src.items()}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, v in model.state_dict().items():
            if v.is_floating_point():
                self.shadow[k].mul_(d).add_(v.detach().float(), alpha=1 - d)
            else:
                self.shadow[k].copy_(v)

    def state(self) -> dict:
        return {"updates": self.updates, "shadow": self.shadow}


def save_ckpt(path: Path, model, opt, step: int, cfg: dict, elapsed: float, ema: WeightEma | None = None) -> None:
    """The weight average, when given, is kept beside the model so that ``--resume`` continues it."""
    tmp = path.with_suffix(".tmp")
    rec = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "config": cfg, "elapsed_s": elapsed}
    if ema is not None:
        rec["ema"] = ema.state()
    torch.save(rec, tmp)
    tmp.replace(path)


def train(cfg: dict, cache_dir: Path = CACHE_DIR, runs_dir: Path = RUNS_DIR, resume: bool = False,
          quiet: bool = False) -> Path:
    torch.set_num_threads(int(cfg["threads"]))
    device = resolve_device(cfg.get("device", "auto"))
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    print(f"device: {device}" + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else
                                 f" ({cfg['threads']} threads)"), flush=True)
    torch.manual_seed(cfg["seed"])
    np.random.seed(cfg["seed"])
    pre = PreprocessConfig(**cfg.get("preprocess", {}))
    run_dir = runs_dir / cfg["run"]
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.json").write_text(json.dumps(cfg, indent=2))
    sources = {n: Source([cache_dir / f for f in s["files"]], pre.antialias) for n, s in cfg["sources"].items()
               if s["per_batch"] > 0 and all((cache_dir / f).exists() for f in s["files"])}
    if not sources:
        raise FileNotFoundError(f"no training cache found in {cache_dir}: run python -m lungburden.prepare first")
    monitors = {n: Source([cache_dir / f for f in fs], pre.antialias) for n, fs in cfg.get("monitor", {}).items()
                if all((cache_dir / f).exists() for f in fs)}
    model = build_net(cfg["arch"], **cfg.get("arch_kwargs", {})).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    start, elapsed0 = 0, 0.0
    last = run_dir / "last.pt"
    if cfg.get("init_checkpoint") and not (resume and last.exists()):
        # warm start from a bundle's checkpoint.pt (path relative to the training folder); a one-channel stem
        # is widened with zero weights when the network adds the dense-window channel (nets.fast.load_warm)
        init = torch.load(TRAINING_ROOT / cfg["init_checkpoint"], map_location="cpu")
        # "init_checkpoint_into": "base" loads it into the frozen base of a head network (nets.split_head)
        target = model.base if cfg.get("init_checkpoint_into") == "base" else model
        assert isinstance(target, torch.nn.Module)
        widened = load_warm(target, init["model"])
        print(f"initialised from {cfg['init_checkpoint']} (step {init.get('step')}; widened: {widened})", flush=True)
    elif cfg.get("init_from") and not (resume and last.exists()):
        # warm start: the weights (not the optimiser state or step) of another run's final checkpoint
        init = torch.load(runs_dir / cfg["init_from"] / "final.pt", map_location="cpu")
        model.load_state_dict(init["model"])
        print(f"initialised from {cfg['init_from']} (step {init['step']})", flush=True)
    if resume and last.exists():
        ck = torch.load(last, map_location="cpu")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        start, elapsed0 = int(ck["step"]), float(ck.get("elapsed_s", 0.0))
        print(f"resumed from step {start}", flush=True)
    avg = None
    if cfg.get("ema_decay"):
        avg = WeightEma(model, float(cfg["ema_decay"]), ck.get("ema") if resume and last.exists() else None)
    teacher = load_teacher(cfg["teacher"], cfg["arch"], device) if cfg.get("teacher") else None
    if teacher is not None:
        print(f"teacher: {cfg['teacher']['checkpoint']} (mirror-averaged: {cfg['teacher'].get('mirror', True)})", flush=True)
    log = open(run_dir / "log.jsonl", "a")
    model.train()
    t0 = time.time()
    t_ckpt = t0
    ema: float | None = None
    budget = cfg.get("time_budget_s")
    done_steps = start
    feed = batches(sources, cfg, start, pre, pin=device.type == "cuda")
    for step, batch in enumerate(feed, start):
        if budget and elapsed0 + time.time() - t0 >= budget:
            break
        lr = lr_at(step, cfg, elapsed0 + time.time() - t0)
        for gparam in opt.param_groups:
            gparam["lr"] = lr
        x, y, partial = (t.to(device, non_blocking=True) for t in (batch.x, batch.y, batch.partial))
        x_teacher = x if batch.x_teacher is None else batch.x_teacher.to(device, non_blocking=True)
        out, s_main, s_attn = model(x, return_aux=True)
        sw = float(cfg.get("split_weight", 0.0))
        tv = (float(cfg["tversky"]["alpha"]), float(cfg["tversky"]["beta"])) if cfg.get("tversky") else None
        loss = mixed_loss(out, y, partial, sw, tv) + cfg["aux_weight"] * (mixed_loss(s_main, y, partial, sw, tv)
                                                                         + mixed_loss(s_attn, y, partial, sw, tv))
        if teacher is not None:
            with torch.no_grad():
                t_logits = teacher(x_teacher)
            loss = loss + teacher_terms(cfg["teacher"], out, t_logits, y, partial)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if avg is not None:
            avg.update(model)
        done_steps = step + 1
        lv = float(loss)
        ema = lv if ema is None else 0.98 * ema + 0.02 * lv
        now = time.time()
        done = step + 1 - start
        eta = (now - t0) / done * (cfg["steps"] - step - 1)
        if budget:
            eta = min(eta, max(0.0, budget - (elapsed0 + now - t0)))
        rec = {"step": step + 1, "loss": round(lv, 5), "loss_ema": round(ema, 5), "lr": lr,
               "elapsed_s": round(elapsed0 + now - t0, 1), "eta_s": round(eta, 1)}
        if (step + 1) % cfg["eval_every"] == 0:
            rec.update(monitor(model, monitors, pre))
        log.write(json.dumps(rec) + "\n")
        log.flush()
        if not quiet and ((step + 1) % 10 == 0 or "medseg_dice_ggo" in rec or step == start):
            print(json.dumps(rec), flush=True)
        if now - t_ckpt > cfg["ckpt_every_s"]:
            save_ckpt(last, model, opt, step + 1, cfg, elapsed0 + now - t0, avg)
            t_ckpt = now
    feed.close()  # stops the loader's worker processes now, not when the generator is collected
    total = elapsed0 + time.time() - t0
    last_step = done_steps
    save_ckpt(last, model, opt, last_step, cfg, total, avg)
    if avg is not None:
        model.load_state_dict(avg.shadow)
    final = monitor(model, monitors, pre) if monitors else {}
    log.write(json.dumps({"final_step": last_step, "elapsed_s": round(total, 1),
                          "weights": "ema" if avg is not None else "last", **final}) + "\n")
    log.close()
    save_ckpt(run_dir / "final.pt", model, opt, last_step, cfg, total)
    return run_dir


def finalize(cfg: dict, runs_dir: Path = RUNS_DIR) -> Path:
    """Ends a run early without another step: ``final.pt`` from ``last.pt`` (its weight average when the run keeps
    one, else its raw weights), as the end of :func:`train` writes it, minus the monitor pass. For a shared CPU
    where the wall-clock budget turns out longer than the time left for evaluation."""
    run_dir = runs_dir / cfg["run"]
    ck = torch.load(run_dir / "last.pt", map_location="cpu")
    model = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    model.load_state_dict(ck["ema"]["shadow"] if ck.get("ema") else ck["model"])
    opt = torch.optim.Adam(model.parameters())
    save_ckpt(run_dir / "final.pt", model, opt, int(ck["step"]), cfg, float(ck.get("elapsed_s", 0.0)))
    with open(run_dir / "log.jsonl", "a") as log:
        log.write(json.dumps({"final_step": int(ck["step"]), "elapsed_s": round(float(ck.get("elapsed_s", 0.0)), 1),
                              "weights": "ema" if ck.get("ema") else "last", "finalized_early": True}) + "\n")
    return run_dir


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=TRAINING_ROOT / "configs" / "fast.json")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--steps", type=int, default=None, help="override the number of steps (e.g. for a timing probe)")
    ap.add_argument("--run", default=None, help="override the run name")
    ap.add_argument("--time-budget", type=float, default=None, help="override time_budget_s (wall-clock seconds)")
    ap.add_argument("--device", choices=("auto", "cpu", "cuda"), default=None,
                    help="override the config's device (default auto: CUDA when available, else CPU)")
    ap.add_argument("--finalize", action="store_true",
                    help="end the run now: write final.pt from last.pt (weight average) without training further")
    args = ap.parse_args(argv)
    over = {}
    if args.time_budget is not None:
        over["time_budget_s"] = args.time_budget
    if args.steps is not None:
        over["steps"] = args.steps
    if args.run is not None:
        over["run"] = args.run
    if args.device is not None:
        over["device"] = args.device
    cfg = load_config(args.config, over)
    if args.finalize:
        print(f"finalized: {finalize(cfg)}", flush=True)
        return
    run_dir = train(cfg, args.cache, resume=args.resume)
    print(f"done: {run_dir}", flush=True)


if __name__ == "__main__":
    main()
