"""benchmarks/bench_train_step.py: training-step speed per `amp` setting, as the trainer runs it."""

import json
import sys
from pathlib import Path

import pytest
from helpers import need_plugin

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_train_step import main  # noqa: E402


@pytest.mark.parametrize("native", [True, False])
def test_rows_follow_the_trainer_policy(capsys, monkeypatch, native):
    need_plugin("ocrkit_crnn")
    monkeypatch.setattr("ocrkit.precision.cpu_has_native_bf16", lambda: native)
    argv = ["--model", "crnn", "--size", "64", "--batch-size", "2", "--steps", "1", "--amp", "none,bf16,fp16"]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    runs_as = [r["runs_as"] for r in report["rows"]]
    bf16 = "bf16, channels-last" if native else "fp32, contiguous"
    assert runs_as == ["fp32, contiguous", bf16, "fp32, contiguous"]  # fp16 is CUDA-only
    assert report["rows"][0]["speedup"] == 1.0 and report["machine"]["native_bf16"] is native
    losses = [r["first_loss"] for r in report["rows"]]  # the same weights and batch in every row
    assert losses[0] > 1 and losses[2] == losses[0] and abs(losses[1] - losses[0]) < 0.05 * losses[0]


def test_craft_table(capsys):
    need_plugin("ocrkit_craft")
    assert main(["--size", "32", "--batch-size", "1", "--steps", "1", "--amp", "none"]) == 0
    out = capsys.readouterr().out
    assert "craft training step, batch 1, side 32, cpu" in out and "| none | fp32, contiguous |" in out
