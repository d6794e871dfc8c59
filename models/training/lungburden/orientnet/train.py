"""Trains :class:`OrientNet` on the cache of :mod:`.dataset`; resumable, CPU, one thread.

``python -m lungburden.orientnet.train --run runs/orientnet-v1 [--steps N] [--minutes M]``. Every
batch draws upright bases from the three training sources (``--mix`` = MA20 training patients, MedSeg
training slices, HU series) and augments each (:func:`.augment.sample`: a random one of the 8
orientations among others). Every ``--ckpt-every`` steps the model, optimiser, step and RNG states go
to ``<run>/checkpoint.pt`` and a line to ``<run>/log.jsonl``. No validation data are read: the last
checkpoint is the model.
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

from ..resumable import resume, save_state
from .augment import sample
from .dataset import ORIENT_CACHE
from .net import OrientNet


def load_bases(path: Path = ORIENT_CACHE) -> list[tuple[np.ndarray, bool]]:
    """The three source pools as ``(array of bases, is_hu)``: MA20, MedSeg (group 100), HU series."""
    d = np.load(path)
    gray, group, hu = d["gray"], d["gray_group"], d["hu"]
    return [(gray[group != 100], False), (gray[group == 100], False), (hu, True)]


def batch(pools, mix, n: int, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    p = np.array(mix, np.float64)
    kinds = rng.choice(len(pools), size=n, p=p / p.sum())
    xs, ys = [], []
    for s in kinds:
        arr, is_hu = pools[int(s)]
        x, c = sample(arr[int(rng.integers(len(arr)))], is_hu, rng)
        xs.append(x)
        ys.append(c)
    return torch.from_numpy(np.stack(xs))[:, None], torch.tensor(ys, dtype=torch.long)


def train(run: Path, steps: int, minutes: float, batch_size: int, lr: float, mix: tuple[float, ...],
          ckpt_every: int, seed: int, cache: Path = ORIENT_CACHE) -> int:
    torch.set_num_threads(1)
    pools = load_bases(cache)
    model = OrientNet()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    run.mkdir(parents=True, exist_ok=True)
    ckpt = run / "checkpoint.pt"
    step = resume(ckpt, model, opt, rng)
    t0, losses, accs = time.time(), [], []
    model.train()
    while step < steps and (time.time() - t0) < minutes * 60:
        cur = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        for g in opt.param_groups:
            g["lr"] = cur
        x, y = batch(pools, mix, batch_size, rng)
        logits = model(x)
        loss = F.cross_entropy(logits, y, label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
        accs.append(float((logits.argmax(1) == y).float().mean()))
        step += 1
        if step % ckpt_every == 0 or step == steps:
            save_state(ckpt, model, opt, rng, step)
            with (run / "log.jsonl").open("a") as f:
                f.write(json.dumps({"step": step, "loss": round(float(np.mean(losses)), 5),
                                    "trainAcc": round(float(np.mean(accs)), 4), "lr": cur,
                                    "elapsed_s": round(time.time() - t0, 1), "time": time.strftime("%H:%M:%S")}) + "\n")
            losses, accs = [], []
    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--steps", type=int, default=2500)
    ap.add_argument("--minutes", type=float, default=1e9, help="stop this invocation after M minutes (resume later)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--mix", type=float, nargs=3, default=(0.5, 0.15, 0.35))
    ap.add_argument("--ckpt-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261202)
    a = ap.parse_args()
    a.run.mkdir(parents=True, exist_ok=True)
    config = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()}
    (a.run / "config.json").write_text(json.dumps(config, indent=1))
    train(a.run, a.steps, a.minutes, a.batch, a.lr, tuple(a.mix), a.ckpt_every, a.seed)


if __name__ == "__main__":
    main()
