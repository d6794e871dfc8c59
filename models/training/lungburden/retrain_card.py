"""The MODEL_CARD.md of a retrained bundle: old vs new on the fixed validation split (:mod:`lungburden.retrain`)."""
from __future__ import annotations


def model_card(meta: dict, c: dict) -> str:
    rows = [f"| {k} | {_f(c['old']['summary'].get(k))} | {_f(c['new']['summary'].get(k))} |" for k in c["new"]["summary"]]
    return "\n".join([
        f"# Model card: {meta['name']} {meta['version']}",
        "",
        f"Fine-tuned from {c['old']['name']} {c['old']['version']} by `python -m lungburden.retrain` on "
        f"{len(c['export']['cases'])} reader-signed case(s) of a Lung Burden training export (manifest sha256 "
        f"`{c['export']['manifestSha256']}`), {c['new']['steps']} steps. The base model's card describes the "
        "architecture, preprocessing, original training data and licences; they are unchanged.",
        "",
        "**Research and evaluation use only. Not a medical device; not validated for clinical use.**",
        "",
        f"## Old vs new on the fixed validation split (sha256 `{c['validationSplit']['sha256']}`; exported cases are "
        "never part of it)",
        "",
        "| metric | old | new |",
        "|---|---|---|",
        *rows,
        "",
        f"Gate: {c['gate']['metric']} new >= old - {c['gate']['minDelta']}: accepted.",
        "",
        "## Training data",
        *[f"- {d}" for d in meta["training"]["data"]],
        "",
    ])


def _f(v) -> str:
    return "n/a" if v is None else f"{v:.3f}"
