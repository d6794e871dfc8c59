"""A uniform weight soup (issue 14): average the weights of several fine-tunes of one start point into one network.

"Model soups" (Wortsman et al., ICML 2022): fine-tunes of a shared start point usually lie in one basin, so the mean of
their weights is itself a good network, often better than any single member, and it costs nothing at inference (same
graph). Every floating-point tensor of the state dicts is averaged with equal weights, BatchNorm running statistics
included; integer buffers (``num_batches_tracked``) are taken from the first member. Members must share the
architecture, its keyword arguments and every tensor's shape: anything else is refused.

    python -m lungburden.soup --out runs/soup-v11 runs/v1.3.0/final.pt runs/fast-v7/final.pt ...

writes ``<out>/final.pt`` (``model``, ``config`` with a ``soup`` block naming each member and its sha256, ``step`` 0)
and ``<out>/config.json``, so that ``evaluate``, ``tune_postprocess``, ``export`` and ``evaluate-candidate.sh`` treat
the soup like any trained run.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from .checkpoints import write_built_run
from .onnx_bundle import sha256_file


def average_state_dicts(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Uniform mean of floating tensors; integer tensors from the first state. Keys and shapes must match exactly."""
    if len(states) < 2:
        raise ValueError("a soup needs at least two members")
    keys = list(states[0].keys())
    for i, s in enumerate(states[1:], start=2):
        if list(s.keys()) != keys:
            missing = sorted(set(keys) ^ set(s.keys()))
            raise ValueError(f"member {i} has other parameters than member 1: {missing[:5]}")
        for k in keys:
            if s[k].shape != states[0][k].shape:
                raise ValueError(f"member {i}: {k} has shape {tuple(s[k].shape)}, member 1 {tuple(states[0][k].shape)}")
    out: dict[str, torch.Tensor] = {}
    for k in keys:
        first = states[0][k]
        if first.is_floating_point():
            out[k] = torch.stack([s[k].to(torch.float64) for s in states]).mean(0).to(first.dtype)
        else:
            out[k] = first.clone()
    return out


def build_soup(members: list[Path], run_name: str) -> dict:
    """The soup checkpoint of ``members`` (``final.pt`` files), refused unless they share architecture and kwargs."""
    cks = [torch.load(m, map_location="cpu") for m in members]
    arch = {(ck["config"]["arch"], json.dumps(ck["config"].get("arch_kwargs", {}), sort_keys=True)) for ck in cks}
    if len(arch) != 1:
        raise ValueError(f"members differ in architecture: {sorted(arch)}")
    config = dict(cks[0]["config"])
    config["run"] = run_name
    config.pop("teacher", None)
    config["soup"] = {
        "method": "uniform",
        "members": [{"checkpoint": str(m), "sha256": sha256_file(m), "step": int(ck.get("step", 0))}
                    for m, ck in zip(members, cks, strict=True)],
    }
    return {"model": average_state_dicts([ck["model"] for ck in cks]), "config": config, "step": 0}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="run folder to write final.pt and config.json into")
    ap.add_argument("members", type=Path, nargs="+", help="final.pt of each fine-tune (all of them, equal weights)")
    args = ap.parse_args(argv)
    soup = build_soup(args.members, args.out.name)
    path = write_built_run(args.out, soup)
    print(f"soup of {len(args.members)} -> {path}")


if __name__ == "__main__":
    main()
