"""Trains :class:`LungNet` on the cache of :mod:`.dataset`; resumable.

``python -m lungburden.lungnet.train --run runs/lungnet-v1 [--steps N] [--minutes M]``: every
``--ckpt-every`` steps the model, optimiser, step and RNG states go to ``<run>/checkpoint.pt``
(written whole, then renamed) and a line to ``<run>/log.jsonl``; a rerun continues from there.
No validation data are read (nothing is selected on the held-out patients): the last checkpoint is
the model. Batches mix the sources (``--mix`` = ma20, hu, synth fractions); augmentation: left-right
flip, affine (rotation, scale, shift), an 8-bit display round trip of HU slices (random window,
per-slice min-max stretch, as the MA20 images were made), gamma and noise.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from ..data.preprocess import eight_bit_to_hu, normalize
from ..resumable import resume, save_state
from .dataset import LUNGNET_CACHE, lungnet_config
from .net import LungNet


def _affine(x: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    n = x.shape[0]
    a = math.radians(rng.uniform(-12, 12))
    s = rng.uniform(0.85, 1.15)
    m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) / s
    c = np.array([n / 2 - 0.5, n / 2 - 0.5])
    off = c - m @ c + rng.uniform(-8, 8, 2)
    xa = ndimage.affine_transform(x, m, off, order=1, mode="constant", cval=-1024.0)
    ya = ndimage.affine_transform(y, m, off, order=0, mode="constant", cval=0)
    return xa, ya


def _display_round_trip(x: np.ndarray, cfg, rng: np.random.Generator) -> np.ndarray:
    """HU -> 8-bit display image (random window, min-max stretch) -> HU via eightBitWindow."""
    c, w = rng.uniform(-700, -300), rng.uniform(1000, 1800)
    v = np.clip((x - (c - w / 2)) / w, 0, 1)
    lo, hi = np.percentile(v, 0.5), np.percentile(v, 99.5)
    v = np.clip((v - lo) / max(hi - lo, 1e-3), 0, 1)
    return eight_bit_to_hu(np.round(v * 255), cfg).astype(np.float32)


def augment(x: np.ndarray, y: np.ndarray, src: int, cfg, rng: np.random.Generator):
    if rng.random() < 0.5:
        x, y = x[:, ::-1], y[:, ::-1]
    if rng.random() < 0.8:
        x, y = _affine(np.ascontiguousarray(x), np.ascontiguousarray(y), rng)
    if src != 0 and rng.random() < 0.3:
        x = _display_round_trip(x, cfg, rng)
    z = normalize(x.astype(np.float64), cfg)
    v = np.clip(z * cfg.std + cfg.mean, 0, 1) ** rng.uniform(0.7, 1.4)
    v = v * rng.uniform(0.9, 1.1) + rng.uniform(-0.05, 0.05) + rng.normal(0, rng.uniform(0, 0.03), v.shape)
    return ((v - cfg.mean) / cfg.std).astype(np.float32), np.ascontiguousarray(y, dtype=np.float32)


def loss_fn(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum(dim=(1, 2, 3))
    dice = (2 * inter + 1) / (p.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3)) + 1)
    return bce + (1 - dice).mean()


def train(run: Path, steps: int, minutes: float, batch: int, lr: float, mix: tuple[float, float, float],
          ckpt_every: int, seed: int) -> None:
    torch.set_num_threads(1)
    cfg = lungnet_config()
    d = np.load(LUNGNET_CACHE / "train.npz")
    xs, ys, srcs = d["x"], d["y"], d["src"]
    by_src = [np.flatnonzero(srcs == s) for s in range(3)]
    model = LungNet()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    run.mkdir(parents=True, exist_ok=True)
    ckpt = run / "checkpoint.pt"
    step = resume(ckpt, model, opt, rng)
    t0, losses = time.time(), []
    model.train()
    while step < steps and (time.time() - t0) < minutes * 60:
        cur = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        for g in opt.param_groups:
            g["lr"] = cur
        kinds = rng.choice(3, size=batch, p=np.array(mix) / sum(mix))
        bx, by = [], []
        for s in kinds:
            i = int(rng.choice(by_src[s]))
            a, b = augment(xs[i], ys[i], int(s), cfg, rng)
            bx.append(a)
            by.append(b)
        x = torch.from_numpy(np.stack(bx))[:, None]
        y = torch.from_numpy(np.stack(by))[:, None]
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
        step += 1
        if step % ckpt_every == 0 or step == steps:
            save_state(ckpt, model, opt, rng, step)
            with (run / "log.jsonl").open("a") as f:
                f.write(json.dumps({"step": step, "loss": round(float(np.mean(losses)), 5), "lr": cur,
                                    "elapsed_s": round(time.time() - t0, 1), "time": time.strftime("%H:%M:%S")}) + "\n")
            losses = []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--minutes", type=float, default=1e9, help="stop this invocation after M minutes (resume later)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--mix", type=float, nargs=3, default=(0.45, 0.2, 0.35))
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261202)
    a = ap.parse_args()
    (a.run).mkdir(parents=True, exist_ok=True)
    config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()}
    (a.run / "config.json").write_text(json.dumps(config, indent=1))
    train(a.run, a.steps, a.minutes, a.batch, a.lr, tuple(a.mix), a.ckpt_every, a.seed)


if __name__ == "__main__":
    main()
