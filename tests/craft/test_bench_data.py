"""benchmarks/bench_data.py: per-core throughput of the CRAFT training data stages."""

import json
import sys
from pathlib import Path

import pytest
from helpers import DATA, need_plugin

need_plugin("ocrkit_craft")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_data import main  # noqa: E402


def _report(capsys) -> tuple[str, dict]:
    out = capsys.readouterr().out
    return out, json.loads(out.strip().splitlines()[-1])


def test_synthetic_stage_and_loader(capsys):
    assert main(["--pages", "1", "--real", "", "--workers", "1", "--cores", "4"]) == 0
    out, report = _report(capsys)
    seconds = report["seconds_per_page"]["synthetic page (render + targets)"]
    assert 0 < seconds < 30
    assert "| 1 |" in out  # the DataLoader row
    # the budget line: 4 cores ÷ seconds per page
    assert f"| scratch (synthetic only) | {seconds * 1000:.1f} | {4 / seconds:.0f} |" in out


@pytest.mark.slow
def test_real_page_stages_with_the_pretrained_maps(capsys):
    funsd = DATA / "funsd" / "dataset" / "training_data"
    if not funsd.is_dir():
        pytest.skip("../shared/data/funsd is not available")
    assert main(["--pages", "1", "--real", f"funsd:{funsd}", "--max-words", "3", "--workers", ""]) == 0
    out, report = _report(capsys)
    assert set(report["budget"]) == {"scratch (synthetic only)", "FUNSD weak supervision (1:5)"}
    stages = report["seconds_per_page"]
    real = stages["real page (crop + rectify ≤ 3 words)"]
    pseudo = next(v for k, v in stages.items() if k.startswith("pseudo targets"))
    mixed = (stages["synthetic page (render + targets)"] + 5 * (real + pseudo)) / 6
    assert report["budget"]["FUNSD weak supervision (1:5)"] == pytest.approx(mixed)
