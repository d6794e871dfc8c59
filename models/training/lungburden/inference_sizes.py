"""The input sizes a bundle's graph averages over (``DECISION-1.24.0.md``): part of the bundle, not of the network.

A checkpoint config may name ``inference_sizes`` (e.g. ``[192, 176]``): the network is trained and stored as itself
(its ``arch``, its weights), and the bundle's ONNX graph is :class:`lungburden.nets.logit_ensemble.LogitEnsemble` of
that one network at those square sizes (the input as is, and resampled, its logits resampled back; no mirror). Every
place that turns a checkpoint into what the application runs goes through :func:`deployed`, so that exporting,
evaluating and retraining a bundle keep its graph: ``lungburden.retrain`` fine-tunes the network and writes the same
graph again. The architecture name the registry shows is :func:`deployed_architecture`.
"""
from __future__ import annotations

from torch import nn

from .nets.logit_ensemble import LogitEnsemble

KEY = "inference_sizes"


def inference_sizes(cfg: dict) -> list[int] | None:
    """The config's input sizes, validated (two or more, distinct, multiples of 16), or ``None``."""
    sizes = cfg.get(KEY)
    if sizes is None:
        return None
    if not isinstance(sizes, list) or len(sizes) < 2 or len(set(sizes)) != len(sizes) or \
            any(not isinstance(v, int) or v < 32 or v % 16 for v in sizes):
        raise ValueError(f"{KEY} must be two or more distinct multiples of 16 of at least 32, got {sizes!r}")
    return sizes


def deployed(net: nn.Module, cfg: dict) -> nn.Module:
    """What the bundle runs: ``net`` itself, or its logit mean over the config's input sizes."""
    sizes = inference_sizes(cfg)
    return net if sizes is None else LogitEnsemble([net], mirror=False, sizes=sizes).eval()


def deployed_architecture(cfg: dict) -> str:
    """``convlstm-fast`` or ``convlstm-fast-sizes192-176`` (the name ``export_tta`` gives the same graph's sizes)."""
    sizes = inference_sizes(cfg)
    return cfg["arch"] if sizes is None else f"{cfg['arch']}-sizes{'-'.join(map(str, sizes))}"
