"""An output ensemble run (issue 14, accurate bundle): several trained networks whose logits are averaged, optionally
with the left-right mirror average, as one network (:class:`lungburden.nets.logit_ensemble.LogitEnsemble`).

    python -m lungburden.ensemble --out runs/ens-v14 --mirror runs/v1.3.0/final.pt runs/soup-v11/final.pt ...

writes ``<out>/final.pt`` (arch ``logit-ensemble``, its members' weights under ``members.<i>.``, a ``config`` whose
``ensemble`` block names each member and its sha256) and ``<out>/config.json``, so that ``evaluate``,
``paired_compare`` and ``ma20_exposure`` treat it like any trained run. ``export`` (the fast bundle's
exporter) refuses it; an ensemble of two or more mirror-averaged members becomes the accurate bundle through
``export_tta --ensemble-run`` (metadata saying that its graph mirror-averages, which ``segment`` reads; not
retrainable as one network). Members must share the architecture, its keyword arguments and the preprocessing (the
bundle has one input contract); anything else is refused. A one-member ensemble with ``--mirror`` is exactly the
mirror-averaged bundle of that member.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from .checkpoints import write_built_run
from .onnx_bundle import sha256_file


def _same(cks: list[dict], what: str, get) -> None:
    seen = {json.dumps(get(ck["config"]), sort_keys=True) for ck in cks}
    if len(seen) != 1:
        raise ValueError(f"members differ in {what}: {sorted(seen)}")


def build_ensemble(members: list[Path], run_name: str, mirror: bool, sizes: list[int] | None = None,
                   split_only: bool = False) -> dict:
    """The ensemble checkpoint of ``members`` (``final.pt`` files of trained runs); ``split_only``: the sizes decide
    only GGO vs high opacity (:class:`lungburden.nets.logit_ensemble.LogitEnsemble`)."""
    if not members:
        raise ValueError("an ensemble needs at least one member")
    if split_only and (not sizes or len(sizes) < 2):
        raise ValueError("--split-only needs --sizes with two or more sizes")
    cks = [torch.load(m, map_location="cpu") for m in members]
    _same(cks, "architecture", lambda c: c["arch"])
    _same(cks, "architecture arguments", lambda c: c.get("arch_kwargs", {}))
    _same(cks, "preprocessing", lambda c: c.get("preprocess", {}))
    first = cks[0]["config"]
    if first["arch"] == "logit-ensemble":
        raise ValueError("an ensemble's members cannot be ensembles")
    config = {k: v for k, v in first.items() if k not in ("teacher", "soup", "init_checkpoint")}
    config["run"] = run_name
    config["arch"] = "logit-ensemble"
    config["arch_kwargs"] = {"member_arch": first["arch"], "member_kwargs": first.get("arch_kwargs", {}),
                             "n_members": len(members), "mirror": mirror, **({"sizes": sizes} if sizes else {}),
                             **({"split_only": True} if split_only else {})}
    config["ensemble"] = {
        "mean_of": "logits", "mirror": mirror, **({"sizes": sizes} if sizes else {}),
        **({"sizes_decide": "GGO vs high opacity only"} if split_only else {}),
        "members": [{"checkpoint": str(m), "sha256": sha256_file(m), "run": ck["config"].get("run"),
                     "step": int(ck.get("step", 0))} for m, ck in zip(members, cks, strict=True)],
    }
    state = {f"members.{i}.{k}": v for i, ck in enumerate(cks) for k, v in ck["model"].items()}
    return {"model": state, "config": config, "step": 0}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="run folder to write final.pt and config.json into")
    ap.add_argument("--mirror", action="store_true", help="also average over the left-right mirror")
    ap.add_argument("--sizes", type=lambda v: [int(a) for a in v.split(",")], default=None,
                    help="also average over these square input sizes (e.g. 192,160: the input as is and resampled to 160)")
    ap.add_argument("--split-only", action="store_true",
                    help="the sizes decide only GGO vs high opacity; lesion vs background is the input size's own")
    ap.add_argument("members", type=Path, nargs="+", help="final.pt of each member (equal weights)")
    args = ap.parse_args(argv)
    ens = build_ensemble(args.members, args.out.name, args.mirror, args.sizes, args.split_only)
    path = write_built_run(args.out, ens)
    sizes = f" x sizes {args.sizes}{' (GGO vs HO only)' if args.split_only else ''}" if args.sizes else ""
    print(f"ensemble of {len(args.members)}{' + mirror' if args.mirror else ''}{sizes} -> {path}")


if __name__ == "__main__":
    main()
