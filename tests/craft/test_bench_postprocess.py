"""benchmarks/bench_postprocess.py on a small made-up score map: the tables and the check."""

import json
import sys
from pathlib import Path

import numpy as np
from helpers import need_plugin

need_plugin("ocrkit_craft")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_postprocess  # noqa: E402


def test_the_bench_times_both_box_steps_and_the_default_steps(tmp_path, capsys):
    # Three words of three Gaussian characters each, linked, on a 96 × 160 map.
    ys, xs = np.mgrid[0:96, 0:160].astype(np.float32)
    region = np.zeros((96, 160), np.float32)
    affinity = np.zeros_like(region)
    for row in (20, 50, 80):
        for k in range(3):
            x = 30 + 12 * k
            region = np.maximum(region, np.exp(-((xs - x) ** 2 + (ys - row) ** 2) / 18))
            affinity = np.maximum(affinity, np.exp(-((xs - x - 6) ** 2 + (ys - row) ** 2) / 12))
    np.savez(tmp_path / "made.npz", region=region, affinity=affinity)
    args = ["--maps", str(tmp_path), "--repeat", "1", "--rounds", "1", "--threads", "1",
            "--processes", "1"]
    assert bench_postprocess.main(args) == 0
    out = capsys.readouterr().out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["words"] == 3 and summary["identical"]
    assert summary["ms_ocrkit_default_steps"] > 0 and "default steps" in out
    assert summary["processes_maps_per_s"]["1"] > 0  # the steps in a spawned process too
