"""The "accurate" bundle: a shipped fast bundle with left-right mirror averaging inside the ONNX graph
(``python -m lungburden.export_tta --from ../lung-burden-convlstm-fast --out ../lung-burden-convlstm-tta
[--metrics runs/<run>/metrics-tta.json]``).

The network, weights, preprocessing, decision rule and version are those of the source bundle (its
``checkpoint.pt`` and ``metadata.json``); only the graph changes (:class:`lungburden.nets.mirror_tta.MirrorAveraged`:
twice the network cost). The input/output contract is unchanged, so the registry, its sha256 check and the
TypeScript inference run it as any bundle; the reader picks it in the model panel (or the ``models.active``
setting). Its name sorts after ``lung-burden-convlstm-fast``, which therefore stays the default model.
``--metrics``: a metrics.json of the source run (:mod:`lungburden.evaluate`); its mirror-averaged MedSeg figures
(``medseg_mirror``, ``medseg_mirror_post``) become this bundle's metrics (what the registry shows); the source's other
figures were measured without the average and are not copied.
``--mirror-run``: instead, a run of ``lungburden.ensemble --mirror`` with this network as its only member (checked:
the same weights); every figure of its metrics.json was measured with the average (MA20 patients, synthetic volumes
too), so all of them become this bundle's metrics.
``--ensemble-run runs/<run> --version X.Y.Z``: the accurate bundle is instead an output ensemble (a run of
``lungburden.ensemble --mirror`` with two or more members or input sizes, ``DECISION-1.18.0-accurate.md``,
``DECISION-1.18.0-sizes.md``): the logit mean of its members, each mirror-averaged and run at each input size, inside
the graph (``2 x members x sizes`` network passes, the smaller sizes cheaper). The members must share the source
bundle's preprocessing (one input contract); the decision rule is the run's own ``postprocess.json`` (chosen on the
tuning slices), the metrics every figure of its ``metrics.json``, the version the one given.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
from pathlib import Path

import torch

from .checkpoints import load_model, only_member_is
from .metric_summary import flat_metrics
from .nets.mirror_tta import MirrorAveraged
from .nets.registry import build_net
from .onnx_bundle import RULE_KEYS, export_onnx, sha256_file

NAME = "lung-burden-convlstm-tta"


def mirror_metrics(m: dict) -> dict:
    """The source's flat metrics with the MedSeg figures replaced by their mirror-averaged values."""
    mm, mp = m.get("medseg_mirror", {}), m.get("medseg_mirror_post", {})
    out = {}
    for c in ("ggo", "ho", "lesion"):
        out[f"medseg_val_dice_{c}"] = mm.get(f"dice_{c}")
        out[f"medseg_val_dice_{c}_infnet"] = mm.get(f"dice_{c}_infnet")
        out[f"medseg_val_post_dice_{c}"] = mp.get(f"dice_{c}")
    out["medseg_val_dice_ggo_pooled"] = mm.get("dice_ggo_pooled")
    out["medseg_val_dice_ho_pooled"] = mm.get("dice_ho_pooled")
    for c in ("ggo", "ho", "lesion"):
        out[f"medseg_val_mirror_dice_{c}"] = mm.get(f"dice_{c}")
    return {k: v for k, v in out.items() if v is not None}


def mirror_run_metrics(source_weights: dict, run: Path) -> dict:
    """The flat metrics of ``run`` (``lungburden.ensemble --mirror`` of one member), after checking that its only member
    has exactly ``source_weights``: a run of another network would label this bundle with someone else's figures."""
    ck = torch.load(run / "final.pt", map_location="cpu")
    cfg = ck["config"]
    kw = cfg.get("arch_kwargs", {})
    if cfg.get("arch") != "logit-ensemble" or kw.get("n_members") != 1 or not kw.get("mirror"):
        raise ValueError(f"{run}: not a mirror-averaged run of one network (lungburden.ensemble --mirror <final.pt>)")
    if not only_member_is(ck["model"], source_weights):
        raise ValueError(f"{run}: its member's weights are not those of the source bundle")
    return {k: v for k, v in flat_metrics(json.loads((run / "metrics.json").read_text())).items() if v is not None}


def export_tta(src: Path, out: Path, metrics_file: Path | None = None, mirror_run: Path | None = None) -> dict:
    meta = json.loads((src / "metadata.json").read_text())
    ck = torch.load(src / "checkpoint.pt", map_location="cpu")
    cfg = ck["config"]
    net = build_net(cfg["arch"], **cfg.get("arch_kwargs", {}))
    net.load_state_dict(ck["model"])
    net.eval()
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    inp = meta["input"]
    export_onnx(MirrorAveraged(net).eval(), onnx_path, inp["sliceWindow"], inp["height"], inp["width"])
    meta = dict(meta)
    meta["name"] = NAME
    meta["description"] = (f"Accurate variant of {json.loads((src / 'metadata.json').read_text())['name']} "
                           f"{meta['version']}: the same network and weights with left-right mirror averaging inside "
                           "the graph (test-time augmentation; about twice the inference time).")
    meta["architecture"] = f"{cfg['arch']}+mirror-tta"
    meta["createdAt"] = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    meta["sha256"] = sha256_file(onnx_path)
    # only what was measured WITH the mirror average (the source's other figures describe the plain network)
    if mirror_run is not None:
        meta["metrics"] = mirror_run_metrics(ck["model"], mirror_run)
    else:
        meta["metrics"] = mirror_metrics(json.loads(metrics_file.read_text())) if metrics_file is not None else {}
    (out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    # the weights of the network inside the graph; the architecture name is not a trainable one, so
    # `lungburden.retrain --base-run <this bundle>` stops with "unknown architecture" (retrain the fast bundle)
    torch.save({"model": ck["model"], "config": {**cfg, "arch": meta["architecture"], "mirror_tta_of": cfg["arch"]},
                "step": ck.get("step")}, out / "checkpoint.pt")
    return meta


def export_ensemble(src: Path, run: Path, out: Path, version: str) -> dict:
    """The accurate bundle as the mirror-averaged logit ensemble of ``run`` (``lungburden.ensemble --mirror``)."""
    model, cfg, ck = load_model(run)
    kw = cfg.get("arch_kwargs", {})
    sizes = kw.get("sizes") or []
    if cfg.get("arch") != "logit-ensemble" or not kw.get("mirror") or (kw.get("n_members", 0) < 2 and len(sizes) < 2):
        raise ValueError(f"{run}: not a mirror-averaged ensemble of two or more networks or input sizes "
                         "(lungburden.ensemble --mirror [--sizes 192,160] <final.pt> ...)")
    src_cfg = torch.load(src / "checkpoint.pt", map_location="cpu")["config"]
    if cfg.get("preprocess", {}) != src_cfg.get("preprocess", {}) or kw["member_arch"] != src_cfg["arch"]:
        raise ValueError(f"{run}: its members' architecture or preprocessing differ from {src}'s (one input contract)")
    post_p = run / "postprocess.json"
    if not post_p.exists():
        raise ValueError(f"{run}: no postprocess.json (lungburden.tune_postprocess --run {run} --slices tune)")
    post = json.loads(post_p.read_text())
    if not (run / "metrics.json").exists():
        raise ValueError(f"{run}: no metrics.json (lungburden.evaluate --run {run}): the bundle would carry no figures")
    metrics = {k: v for k, v in flat_metrics(json.loads((run / "metrics.json").read_text())).items() if v is not None}
    meta = dict(json.loads((src / "metadata.json").read_text()))
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    inp = meta["input"]
    export_onnx(model.eval(), onnx_path, inp["sliceWindow"], inp["height"], inp["width"])
    members = cfg["ensemble"]["members"]
    names = ", ".join(f"{m['run']} (sha256 {m['sha256'][:12]}…)" for m in members)
    meta["name"] = NAME
    meta["version"] = version
    split_only = bool(kw.get("split_only"))
    at_sizes = (f" at input sizes {', '.join(map(str, sizes))} px (resampled, logits resampled back"
                + ("; the sizes decide only GGO vs high opacity, lesion vs background is the input size's own)"
                   if split_only else ")") if sizes else "")
    meta["description"] = (f"Accurate bundle: the logit mean of {len(members)} network(s) of the "
                           f"{kw['member_arch']} architecture ({names}), each with left-right mirror averaging"
                           f"{at_sizes}, inside the graph ({2 * len(members) * max(1, len(sizes))} network passes per "
                           "slice window).")
    parts = [kw["member_arch"], *([f"ensemble{len(members)}"] if len(members) > 1 else []),
             *([f"sizes{'-'.join(map(str, sizes))}{'split' if split_only else ''}"] if sizes else [])]
    meta["architecture"] = "-".join(parts) + "+mirror-tta"
    meta["createdAt"] = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    meta["sha256"] = sha256_file(onnx_path)
    meta["postprocessing"] = {k: post[k] for k in RULE_KEYS}
    meta["training"] = {**meta.get("training", {}), "config": cfg, "ensemble": cfg["ensemble"]}
    meta["metrics"] = metrics
    (out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    # the members' weights (not retrainable as one network: `lungburden.retrain` retrains the fast bundle)
    torch.save({"model": ck["model"], "config": {**cfg, "arch": meta["architecture"]}, "step": ck.get("step")},
               out / "checkpoint.pt")
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="src", type=Path, required=True, help="source bundle folder (with checkpoint.pt)")
    ap.add_argument("--out", type=Path, required=True)
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--metrics", type=Path, default=None, help="metrics.json of the source run (MedSeg mirror rows)")
    what.add_argument("--mirror-run", type=Path, default=None, help="run folder of this network mirror-averaged")
    what.add_argument("--ensemble-run", type=Path, default=None,
                      help="run folder of lungburden.ensemble --mirror with 2+ members: the bundle is that ensemble")
    ap.add_argument("--version", default=None, help="bundle version (required with --ensemble-run)")
    a = ap.parse_args(argv)
    if a.ensemble_run is not None:
        if not a.version:
            ap.error("--ensemble-run needs --version")
        meta = export_ensemble(a.src, a.ensemble_run, a.out, a.version)
    else:
        meta = export_tta(a.src, a.out, a.metrics, a.mirror_run)
    print(json.dumps({"out": str(a.out), "sha256": meta["sha256"], "onnx_bytes": (a.out / "model.onnx").stat().st_size}))


if __name__ == "__main__":
    main()
