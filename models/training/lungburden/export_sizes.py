"""The fast bundle as its network at two or more input sizes (``DECISION-1.24.0.md``).

``python -m lungburden.export_sizes --from ../lung-burden-convlstm-fast --sizes-run runs/ms176-v23 --version 1.24.0
--out ../lung-burden-convlstm-fast``

``--sizes-run`` is a run of ``lungburden.ensemble --sizes 192,176 <final.pt>`` (one member, no mirror) whose member has
exactly the source bundle's weights (checked) and which was evaluated (``metrics.json``) with its ``postprocess.json``.
The new bundle keeps the source's network, preprocessing and training record; its graph is the logit mean over the
sizes (:mod:`lungburden.inference_sizes`), its metrics every figure of the run's ``metrics.json`` (all measured with
the sizes), its decision rule the run's, its version the one given. ``checkpoint.pt`` stores the network's own weights
with ``inference_sizes`` in its config, so ``lungburden.retrain`` fine-tunes the network and keeps the graph. The
source's MODEL_CARD.md and panel image are kept (``--out`` may be the source folder: the files are staged first).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import shutil
import tempfile
from pathlib import Path

import torch

from .checkpoints import only_member_is
from .inference_sizes import KEY, deployed, deployed_architecture
from .metric_summary import flat_metrics
from .nets.registry import build_net
from .onnx_bundle import RULE_KEYS, export_onnx, sha256_file


def sizes_of_run(run: Path, source_weights: dict) -> list[int]:
    """The sizes of a one-member, unmirrored ``ensemble --sizes`` run whose member is ``source_weights``."""
    ck = torch.load(run / "final.pt", map_location="cpu")
    kw = ck["config"].get("arch_kwargs", {})
    sizes = kw.get("sizes") or []
    if ck["config"].get("arch") != "logit-ensemble" or kw.get("n_members") != 1 or kw.get("mirror") or \
            kw.get("split_only") or len(sizes) < 2:
        raise ValueError(f"{run}: not one network at two or more input sizes without the mirror "
                         "(lungburden.ensemble --sizes 192,176 <final.pt>)")
    if not only_member_is(ck["model"], source_weights):
        raise ValueError(f"{run}: its member's weights are not those of the source bundle")
    return [int(v) for v in sizes]


def export_sizes(src: Path, run: Path, out: Path, version: str) -> dict:
    meta = json.loads((src / "metadata.json").read_text())
    ck = torch.load(src / "checkpoint.pt", map_location="cpu")
    sizes = sizes_of_run(run, ck["model"])
    for need in ("postprocess.json", "metrics.json"):
        if not (run / need).is_file():
            raise ValueError(f"{run}: no {need} (evaluate the run with its decision rule first)")
    post = json.loads((run / "postprocess.json").read_text())
    metrics = {k: v for k, v in flat_metrics(json.loads((run / "metrics.json").read_text())).items() if v is not None}
    cfg = {**ck["config"], KEY: sizes}
    net = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    net.load_state_dict(ck["model"])
    net.eval()
    with tempfile.TemporaryDirectory(prefix="lungburden-export-sizes-") as tmp_s:
        stage = Path(tmp_s)
        inp = meta["input"]
        export_onnx(deployed(net, cfg), stage / "model.onnx", inp["sliceWindow"], inp["height"], inp["width"])
        old_version = meta["version"]
        meta = {**meta, "version": version, "architecture": deployed_architecture(cfg),
                "createdAt": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
                "sha256": sha256_file(stage / "model.onnx"), "postprocessing": {k: post[k] for k in RULE_KEYS},
                "metrics": metrics}
        meta["description"] = (meta["description"].split(" Run at input sizes")[0]
                               + f" Run at input sizes {', '.join(map(str, sizes))} px inside the graph (the input "
                               f"resampled, logits resampled back and averaged; the {old_version} network, "
                               "DECISION-1.24.0.md).")
        meta["training"] = {**meta["training"], "config": {**meta["training"]["config"], KEY: sizes}}
        (stage / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
        torch.save({"model": ck["model"], "config": cfg, "step": ck.get("step")}, stage / "checkpoint.pt")
        out.mkdir(parents=True, exist_ok=True)
        for kept in ("MODEL_CARD.md", "synthetic-vs-real.png"):
            if (src / kept).is_file() and src.resolve() != out.resolve():
                shutil.copy2(src / kept, out / kept)
        for staged in sorted(stage.iterdir()):
            shutil.move(str(staged), out / staged.name)
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", type=Path, required=True, help="source bundle folder (with checkpoint.pt)")
    ap.add_argument("--sizes-run", type=Path, required=True, help="run of lungburden.ensemble --sizes with one member")
    ap.add_argument("--version", required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    meta = export_sizes(a.src, a.sizes_run, a.out, a.version)
    print(json.dumps({"out": str(a.out), "version": meta["version"], "architecture": meta["architecture"],
                      "sha256": meta["sha256"]}))


if __name__ == "__main__":
    main()
