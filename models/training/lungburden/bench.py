"""Cost of the faithful and fast networks: parameters, FLOPs per slice, CPU ms per slice in torch and
onnxruntime (``python -m lungburden.bench`` -> prints JSON and writes ``runs/bench.json``).

FLOPs: 2 x multiply-accumulates of every Conv2d (counted with forward hooks; batch norm, activations,
interpolation and the LSTM gate arithmetic are not counted, < 2 % here). Timing: batch 8, after one
warm-up run, median of ``--repeats`` runs, ``--threads`` threads (torch.set_num_threads /
onnxruntime intra_op_num_threads). The machine is shared, so absolute ms are noisy; the ratio
faithful/fast within one run is the robust number.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .nets.registry import build_net, native_size
from .onnx_bundle import export_onnx
from .paths import RUNS_DIR


def conv_flops(model: torch.nn.Module, x: torch.Tensor) -> float:
    macs = [0]

    def hook(m, inp, out):
        kh, kw = m.kernel_size
        macs[0] += out.numel() * (m.in_channels // m.groups) * kh * kw

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    with torch.no_grad():
        model(x)
    for h in hs:
        h.remove()
    return 2.0 * macs[0] / x.shape[0]


def _median_ms(fn, n: int, batch: int) -> float:
    fn()
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts)) * 1000.0 / batch


def bench(arch: str, threads: int = 2, batch: int = 8, repeats: int = 3, f: int = 3) -> dict:
    import onnxruntime as ort

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    size = native_size(arch)
    model = build_net(arch).eval()
    x = torch.randn(batch, f, size, size)
    flops = conv_flops(model, x[:1])
    with torch.no_grad():
        torch_ms = _median_ms(lambda: model(x), repeats, batch)
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "m.onnx"
        export_onnx(model, p, f, size, size)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(str(p), so, providers=["CPUExecutionProvider"])
        xn = x.numpy()
        ort_ms = _median_ms(lambda: sess.run(None, {"slices": xn}), repeats, batch)
    return {"arch": arch, "input": [f, size, size], "params": int(sum(p.numel() for p in model.parameters())),
            "gflop_per_slice": round(flops / 1e9, 3), "torch_ms_per_slice": round(torch_ms, 1),
            "onnxruntime_ms_per_slice": round(ort_ms, 1), "threads": threads, "batch": batch}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RUNS_DIR / "bench.json")
    args = ap.parse_args(argv)
    res: dict[str, Any] = {a: bench(a, args.threads, repeats=args.repeats) for a in ("convlstm-fast", "convlstm-faithful")}
    res["ratio_faithful_over_fast"] = {
        k: round(res["convlstm-faithful"][k] / res["convlstm-fast"][k], 2)
        for k in ("gflop_per_slice", "torch_ms_per_slice", "onnxruntime_ms_per_slice")}
    res["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
