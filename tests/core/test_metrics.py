"""ICDAR 2015 protocol and recognition metrics on hand-computed cases."""

import numpy as np
import pytest

from ocrkit import Detection, GroundTruth, Recognition
from ocrkit.builtin.metrics import (
    Icdar2015Evaluator,
    RecognitionEvaluator,
    character_error_rate,
    match_icdar2015,
    prf,
)


def box(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)


def test_iou_threshold_is_strict_and_one_to_one():
    gt = [box(0, 0, 10, 10)]
    # IoU = 50 / (100 + 100 − 50) = 1/3: no match.
    assert match_icdar2015([box(5, 0, 10, 10)], gt, [False]).matched == 0
    # IoU = 80 / 100 = 0.8: a match; a duplicate detection is a false positive (one-to-one).
    r = match_icdar2015([box(0, 0, 8, 10), box(0, 0, 8, 10)], gt, [False])
    assert (r.matched, r.num_gt, r.num_det) == (1, 1, 2)


def test_dont_care_regions():
    gts = [box(0, 0, 10, 10), box(100, 0, 20, 10)]
    ignore = [False, True]
    dets = [
        box(0, 0, 10, 10),  # matches the cared-for word
        box(100, 0, 12, 10),  # 100 % inside the don't-care box: ignored
        box(110, 0, 20, 10),  # half (100/200 = 0.5, not > 0.5) inside: counts, unmatched → FP
    ]
    r = match_icdar2015(dets, gts, ignore)
    assert (r.matched, r.num_gt, r.num_det) == (1, 1, 2)
    # precision 1/2, recall 1/1, H-mean 2·0.5·1/1.5 = 0.6667
    assert prf(r.matched, r.num_gt, r.num_det) == pytest.approx(
        {"precision": 0.5, "recall": 1.0, "hmean": 2 / 3}
    )


def test_degenerate_polygons_do_not_crash():
    gt = [box(0, 0, 10, 10)]
    zero_area = np.array([[0, 0], [10, 0], [20, 0], [5, 0]], np.float32)
    bowtie = np.array([[0, 0], [10, 10], [10, 0], [0, 10]], np.float32)  # self-intersecting
    r = match_icdar2015([zero_area, bowtie], gt, [False])
    # Bow-tie is repaired into two triangles of area 25 each: IoU 50/100 = 0.5, not > 0.5.
    assert (r.matched, r.num_det) == (0, 2)


def test_evaluator_accumulates_images_and_handles_empty():
    ev = Icdar2015Evaluator()
    gt = GroundTruth(box(0, 0, 10, 10), "A")
    ev.update([[Detection(box(0, 0, 10, 10), 1.0)], []], [[gt], [gt]])  # 1 TP, 1 FN
    ev.update([[Detection(box(50, 50, 5, 5), 1.0)]], [[]])  # 1 FP on an image without GT
    assert ev.compute() == pytest.approx({"precision": 0.5, "recall": 0.5, "hmean": 0.5})
    ev.reset()
    assert ev.compute() == {"precision": 0.0, "recall": 0.0, "hmean": 0.0}


def test_recognition_metrics():
    ev = RecognitionEvaluator()
    preds = [Recognition("Hello", 1), Recognition("world!", 1), Recognition("abc", 1)]
    ev.update(preds, ["Hello", "World", "abd"])
    out = ev.compute()
    assert out["accuracy"] == pytest.approx(1 / 3)
    assert out["accuracy_alnum"] == pytest.approx(2 / 3)  # "world!" == "World" after folding
    # edits: 0 + 2 (w→W, drop !) + 1 = 3 over 5 + 5 + 3 = 13 reference characters
    assert out["cer"] == pytest.approx(3 / 13)
    assert character_error_rate("", "") == 0.0 and character_error_rate("a", "") == 1.0
