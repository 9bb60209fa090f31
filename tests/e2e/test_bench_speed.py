"""benchmarks/bench_speed.py on the CPU at a small canvas: the code path of the GPU commands
(size buckets, detect_stream, Pipeline.read_stream, single-request latency) runs and prints
one row per variant, with the H-mean of the boxes it found."""

import json
import sys
from pathlib import Path

import pytest
from helpers import DATA, need_plugin

need_plugin("ocrkit_craft")
need_plugin("ocrkit_crnn")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_speed import main  # noqa: E402

IC15 = DATA / "icdar2015" / "test"


@pytest.mark.slow
def test_detection_e2e_and_latency_rows(capsys):
    if not IC15.is_dir():
        pytest.skip("../shared/data/icdar2015 is not available")
    argv = ["--data", str(IC15), "--limit", "2", "--batch-size", "2", "--variants", "fp32,ref",
            "--e2e", "--latency", "1", "--det-opt", "canvas_size=640", "--decode-threads", "2"]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.err.splitlines() if line.startswith("{")]
    assert [r["variant"] for r in rows] == ["fp32", "ref"]
    for r in rows:
        assert 0 < r["hmean"] <= 1 and r["det_s_per_image"] > 0 and r["e2e_s_per_image"] > 0
        assert 0 < r["latency_p50_ms"] <= r["latency_p95_ms"]
    # The same boxes on the CPU whatever the threads/pre-processing variant.
    assert rows[0]["hmean"] == rows[1]["hmean"]
    table = [line for line in captured.out.splitlines() if line.startswith("| fp32 |")]
    assert len(table) == 1 and table[0].count("|") == 11
    assert rows[0]["runs_as"] == "fp32, contiguous"  # what the variant resolved to
    assert "native_bf16" in captured.out  # the machine line names the CPU's vector unit


def test_bad_detector_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--det-opt", "canvas_size"])
    assert exc.value.code == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err
