"""The TypeScript<->Python retraining contract from the Python side: the manifests the app's exporter writes
(made here by running it) validate against the committed JSON Schema and are read by the trainer; manifests that
break the contract are refused with the reason; the step and phase lines the trainer prints are the ones the app
parses; the exit codes are those of shared/contracts/retraining/python-exit-codes.json."""
import json

import numpy as np
import pytest
from ts_export import needs_node, ts_export

from lungburden import contract
from lungburden.contract import EXIT, ContractError, phase_line, validate
from lungburden.data.dicom_series import CtVolume
from lungburden.data.preprocess import PreprocessConfig
from lungburden.golden import phantom
from lungburden.prepare import _save, synth_samples
from lungburden.retrain import RetrainError, parse_args, read_export
from lungburden.train import load_config, train


def test_exit_codes_from_the_shared_file():
    assert EXIT == {"ok": 0, "error": 1, "usage": 2, "refused": 3}
    with pytest.raises(SystemExit) as e:
        parse_args(["--from", "x"])  # argparse's usage error is the contract's usage code
    assert e.value.code == EXIT["usage"]


@needs_node
@pytest.mark.parametrize("fmt", ["lung-burden-v1", "nnunet"])
def test_ts_export_manifest_conforms(tmp_path, fmt):
    m = ts_export(tmp_path / "exp", fmt)
    validate("training-export-manifest", m)
    assert m["format"] == fmt and m["deidentified"] is True and len(m["cases"]) == 1
    assert contract.main(["manifest", str(tmp_path / "exp" / "manifest.json")]) == EXIT["ok"]


@needs_node
def test_manifest_breaking_the_contract_is_refused(tmp_path):
    exp = tmp_path / "exp"
    m = ts_export(exp)
    mp = exp / "manifest.json"
    for broken, why in [
        ({**m, "formatVersion": 2}, "formatVersion"),
        ({**m, "deidentified": False}, "deidentified"),
        ({**m, "surprise": 1}, "surprise"),
        ({**m, "files": [{**m["files"][0], "sha256": "XYZ"}] + m["files"][1:]}, "files/0/sha256"),
        ({k: v for k, v in m.items() if k != "cases"}, "cases"),
    ]:
        with pytest.raises(ContractError, match=why):
            validate("training-export-manifest", broken)
        mp.write_text(json.dumps(broken))
        with pytest.raises(RetrainError, match="training-export-manifest.schema.json"):
            read_export(exp)
        assert contract.main(["manifest", str(mp)]) == EXIT["error"]
    mp.write_text(json.dumps({**m, "format": "nnunet"}))
    with pytest.raises(RetrainError, match="not lung-burden-v1"):
        read_export(exp)


def test_phase_lines_and_step_lines_conform(tmp_path, capsys):
    for phase in ("preparing", "fine-tuning", "evaluating", "refused", "written"):
        assert json.loads(phase_line(phase, "x")) == {"phase": phase, "message": "x"}
    with pytest.raises(ContractError):
        phase_line("dreaming", "x")
    # the step lines lungburden.train prints (2 tiny steps, not quiet)
    pre = PreprocessConfig(height=64, width=64)
    hu = np.maximum(phantom(seed=5, nk=9, rows=120, cols=160).astype(np.float32), -1024)
    xs, ys, ids = synth_samples(CtVolume("phantom", hu, (2.5, 2.0, 2.0)), 2, 0, pre, slab=7, per_slab=2, p_empty=0.0)
    _save(tmp_path / "cache" / "s.npz", xs, ys, [0] * len(xs), ids)
    cfg = load_config(None, {"run": "lines", "steps": 2, "warmup": 1, "eval_every": 100, "ckpt_every_s": 0,
                             "preprocess": {"height": 64, "width": 64},
                             "sources": {"s": {"files": ["s.npz"], "per_batch": 2, "hu": True}}, "monitor": {}})
    capsys.readouterr()
    train(cfg, tmp_path / "cache", tmp_path / "runs", quiet=False)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("{")]
    assert lines, "train printed no step line"
    for ln in lines:
        validate("trainer-line", json.loads(ln))
    (tmp_path / "out.txt").write_text("\n".join(lines + ["plain log text"]))
    assert contract.main(["line", str(tmp_path / "out.txt")]) == EXIT["ok"]
