"""What a training run on a GPU machine depends on: the packed caches it receives and the worker processes that
prepare its batches."""
import numpy as np
import torch

from lungburden.cache_format import cache_antialias
from lungburden.cache_pack import EIGHT_BIT_GRID, HU_GRID, grid_for, pack_file, unpack_file
from lungburden.data.preprocess import PreprocessConfig
from lungburden.train import Source, batches, load_config


def _cache(path, x, antialias=True):
    n = len(x)
    rng = np.random.default_rng(1)
    np.savez(path, x=x.astype(np.float16), y=rng.integers(0, 3, (n, *x.shape[2:])).astype(np.uint8),
             partial=np.zeros(n, np.uint8), ids=np.asarray([f"s{i}" for i in range(n)]), antialias=np.asarray(antialias))


def test_packed_8bit_cache_comes_back_within_half_a_step(tmp_path):
    rng = np.random.default_rng(0)
    slices = rng.uniform(-1250, 250, (6, 16, 16))
    x = np.stack([slices[i:i + 3] for i in range(4)])  # neighbouring samples share slices, as MA20 runs do
    _cache(tmp_path / "ma20_t.npz", x)
    out = tmp_path / "pack"
    out.mkdir()
    info = pack_file(tmp_path / "ma20_t.npz", out)
    assert info["grid"] == list(EIGHT_BIT_GRID) and info["unique_slices"] == 6
    back = unpack_file(out / "ma20_t.npz.xz", tmp_path / "cache")
    step = (EIGHT_BIT_GRID[1] - EIGHT_BIT_GRID[0]) / 255
    with np.load(tmp_path / "ma20_t.npz") as a, np.load(back) as b:
        assert cache_antialias(b) and b["x"].dtype == np.float16
        assert np.abs(a["x"].astype(np.float32) - b["x"].astype(np.float32)).max() <= step / 2 + 0.5  # + float16
        for k in ("y", "partial", "ids"):
            assert np.array_equal(a[k], b[k])


def test_hu_cache_uses_the_hu_grid_and_clips_outside_it(tmp_path):
    x = np.full((2, 3, 8, 8), -500.0)
    x[0, 0, 0, 0], x[1, 2, 7, 7] = 3000.0, -1500.0
    assert grid_for(x) == HU_GRID and grid_for(np.clip(x, -1250, 250)) == EIGHT_BIT_GRID
    _cache(tmp_path / "synth_t.npz", x, antialias=False)
    pack_file(tmp_path / "synth_t.npz", tmp_path)
    with np.load(unpack_file(tmp_path / "synth_t.npz.xz", tmp_path / "cache")) as b:
        got = b["x"].astype(np.float32)
        assert not cache_antialias(b)
        assert abs(got[0, 0, 0, 0] - HU_GRID[1]) < 1 and abs(got[1, 2, 7, 7] - HU_GRID[0]) < 1
        assert np.abs(got[0, 1] + 500).max() <= (HU_GRID[1] - HU_GRID[0]) / 255 / 2 + 0.5


def test_loader_workers_prepare_the_same_batches_as_the_loop(tmp_path):
    rng = np.random.default_rng(2)
    _cache(tmp_path / "a.npz", rng.uniform(-1000, 200, (10, 3, 32, 32)))
    cfg = load_config(None, {"steps": 6, "p_circle": 0.3, "p_display": 0.5, "p_lowres": 0.5,
                             "sources": {"a": {"files": ["a.npz"], "per_batch": 3, "hu": True}}})
    pre = PreprocessConfig(height=32, width=32, antialias=True)
    sources = {"a": Source([tmp_path / "a.npz"], antialias=True)}
    inline = list(batches(sources, cfg, 2, pre))
    workers = list(batches(sources, {**cfg, "loader_workers": 2}, 2, pre))
    assert len(inline) == len(workers) == 4
    for a, b in zip(inline, workers, strict=True):
        assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y) and torch.equal(a.partial, b.partial)


def _script_env(tmp_path, packs):
    import os
    import sys
    return {**os.environ, "DEVICE": "cpu", "PY": sys.executable, "PACKS": " ".join(str(p) for p in packs),
            "CACHE": str(tmp_path / "cache"), "OUT_DIR": str(tmp_path / "out"), "OUT": "",
            "LUNGBURDEN_RUNS_DIR": str(tmp_path / "runs"), "POLL_S": "1", "PYTHONPATH": "."}


def _tiny_config(tmp_path, run, cache_file="tiny.npz"):
    import json
    cfg = {"run": run, "steps": 3, "warmup": 1, "eval_every": 100, "ckpt_every_s": 1e9, "loader_workers": 1,
           "preprocess": {"height": 32, "width": 32, "antialias": True}, "monitor": {},
           "sources": {"a": {"files": [cache_file], "per_batch": 2, "hu": True}}}
    path = tmp_path / f"{run}.json"
    path.write_text(json.dumps(cfg))
    return path


def test_gpu_train_script_unpacks_smokes_trains_and_copies_out_on_cpu(tmp_path):
    """``gpu-train.sh`` as the device machine runs it, on the CPU (DEVICE=cpu): packed caches in, checkpoints out."""
    import subprocess

    from lungburden.paths import TRAINING_ROOT
    rng = np.random.default_rng(3)
    _cache(tmp_path / "tiny.npz", rng.uniform(-1000, 200, (6, 3, 32, 32)))
    (tmp_path / "pack").mkdir()
    pack_file(tmp_path / "tiny.npz", tmp_path / "pack")
    cfgs = [_tiny_config(tmp_path, "dry-a"), _tiny_config(tmp_path, "dry-b")]
    res = subprocess.run(["bash", "gpu-train.sh", *map(str, cfgs)], cwd=TRAINING_ROOT, capture_output=True, text=True,
                         env=_script_env(tmp_path, [tmp_path / "pack"]), timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    out = tmp_path / "out"
    for run in ("dry-a", "dry-b"):
        assert {f"{run}-final.pt", f"{run}-last.pt", f"{run}-log.jsonl"} <= {p.name for p in out.iterdir()}
        assert torch.load(out / f"{run}-final.pt")["step"] == 3
    log = (out / "train.log").read_text()
    assert "smoke run passed" in log and log.rstrip().endswith("done")
    assert not (tmp_path / "runs" / "gpu-smoke").exists()


def test_gpu_train_script_stops_at_the_smoke_run_when_a_cache_is_missing(tmp_path):
    import subprocess

    from lungburden.paths import TRAINING_ROOT
    cfg = _tiny_config(tmp_path, "dry-missing", cache_file="absent.npz")
    res = subprocess.run(["bash", "gpu-train.sh", str(cfg)], cwd=TRAINING_ROOT, capture_output=True, text=True,
                         env=_script_env(tmp_path, []), timeout=120)
    assert res.returncode == 4 and "smoke run failed" in res.stdout
    assert "no training cache found" in res.stdout
