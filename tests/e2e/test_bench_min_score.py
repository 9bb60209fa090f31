"""benchmarks/bench_min_score.py: its sweep over thresholds, on hand-made words (no model)."""

import argparse
import sys
from pathlib import Path

import numpy as np
import pytest

from ocrkit import GroundTruth, Word
from ocrkit.plugins import get_plugin_manager

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def box(x: float) -> np.ndarray:
    return np.array([[x, 0], [x + 40, 0], [x + 40, 10], [x, 10]], np.float32)


def test_sweep_drops_the_unsure_words_per_threshold():
    from bench_min_score import sweep

    targets = [[GroundTruth(box(0), "total"), GroundTruth(box(100), "amount")]]
    words = [[Word(box(0), "total", 0.9, 0.9),  # right and sure
              Word(box(100), "arnount", 0.9, 0.3),  # found, misread, unsure
              Word(box(200), "xx", 0.9, 0.1)]]  # nothing there  # fmt: skip
    low, high = sweep(words, targets, [0.0, 0.5], get_plugin_manager())
    assert (low["words"], high["words"]) == (3, 1)
    assert low["icdar2015"]["precision"] == pytest.approx(2 / 3) and low["icdar2015"]["recall"] == 1.0
    assert low["end_to_end"]["precision"] == pytest.approx(1 / 3) and low["end_to_end"]["recall"] == 0.5
    assert high["icdar2015"]["precision"] == 1.0 and high["icdar2015"]["recall"] == 0.5
    assert high["end_to_end"]["precision"] == 1.0 and high["end_to_end"]["recall"] == 0.5


def test_scores_are_checked():
    from bench_min_score import parse_scores

    assert parse_scores("0, 0.5,1") == [0.0, 0.5, 1.0]
    for bad in ("", "0.5,2", "-0.1"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_scores(bad)
