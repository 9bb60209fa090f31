"""benchmarks/detection_errors.py: each unmatched GT word lands in the right class."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from detection_errors import classify, touching_words  # noqa: E402


def box(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y1], np.float64)


def test_unmatched_words_are_classified():
    gts = [box(0, 0, 40, 10), box(50, 0, 90, 10),   # two words one detection joins
           box(0, 30, 40, 40),                      # found exactly
           box(0, 60, 80, 70),                      # cut in two
           box(0, 90, 40, 100),                     # nothing there
           box(0, 120, 40, 130)]  # fmt: skip        # a box too small to match
    dets = [box(0, 0, 90, 10), box(0, 30, 40, 40), box(0, 60, 38, 70), box(42, 60, 80, 70),
            box(0, 120, 15, 130)]  # fmt: skip
    counts = classify(gts, dets)
    assert counts == {"merged": 2, "matched": 1, "split": 1, "missed": 1, "loc": 1, "touching": 0}


def test_merged_words_with_no_space_between_them_are_counted_as_touching():
    gts = [box(0, 0, 20, 10), box(20, 0, 40, 10), box(40, 0, 60, 10),  # "12" "/10" "/98"
           box(0, 30, 30, 40), box(45, 30, 75, 40),  # a space of 1.5 heights between them
           box(0, 50, 30, 60), box(0, 61, 30, 71)]  # fmt: skip   # two lines: not one line
    dets = [box(0, 0, 60, 10), box(0, 30, 75, 40), box(0, 50, 30, 71)]
    counts = classify(gts, dets)
    assert counts["merged"] == 7 and counts["touching"] == 3
    assert touching_words(gts) == 3
