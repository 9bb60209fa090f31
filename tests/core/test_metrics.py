"""ICDAR 2015 protocol and recognition metrics on hand-computed cases."""

import numpy as np
import pytest

from ocrkit import Detection, GroundTruth, Recognition
from ocrkit.metrics import (
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


# --- DetEval (rectangles, pixel-inclusive areas) -----------------------------------------

from ocrkit.metrics import DetEvalEvaluator, EndToEndEvaluator, match_deteval, transcription_match  # noqa: E402
from ocrkit import Word  # noqa: E402


def rect(x1, y1, x2, y2):
    """A box covering pixels x1..x2, y1..y2 inclusive ((x2−x1+1)·(y2−y1+1) pixels)."""
    return np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], np.float32)


def test_deteval_one_to_one_split_and_merge():
    # One-to-one: GT 0..99 × 0..9 (1000 px), detection 0..89 → recall 0.9, precision 1.
    r = match_deteval([rect(0, 0, 89, 9)], [rect(0, 0, 99, 9)], [False])
    assert (r.recall_sum, r.precision_sum, r.num_gt, r.num_det) == (1.0, 1.0, 1, 1)
    # Split: the same GT as two halves (each recall 0.5, precision 1; sum 1.0 ≥ 0.8):
    # recall credit 0.8, precision credit 0.8 × 2 = 1.6 over 2 detections.
    r = match_deteval([rect(0, 0, 49, 9), rect(50, 0, 99, 9)], [rect(0, 0, 99, 9)], [False])
    assert (r.recall_sum, r.precision_sum) == pytest.approx((0.8, 1.6))
    # Merge: three GT words in one detection (each recall 1, precision 1/3 < 0.4, so none can
    # claim it as a split; summed precision 1.0 ≥ 0.4): recall credit 1 per GT = 3, precision 1.
    three = [rect(0, 0, 29, 9), rect(30, 0, 59, 9), rect(60, 0, 89, 9)]
    r = match_deteval([rect(0, 0, 89, 9)], three, [False] * 3)
    assert (r.recall_sum, r.precision_sum, r.num_gt, r.num_det) == (3.0, 1.0, 3, 1)
    # Two GT words in one detection: each has recall 1 and precision 0.5 ≥ 0.4, so no one-to-one
    # (the detection passes with two GT) and the first GT takes it as a single-part split,
    # before merges are looked for: recall 0.8, precision 0.8 (the rule that reproduces the
    # reference's DetEval figures; the RRC script would score a merge, 2 and 1).
    r = match_deteval([rect(0, 0, 99, 9)], [rect(0, 0, 49, 9), rect(50, 0, 99, 9)], [False, False])
    assert (r.recall_sum, r.precision_sum) == pytest.approx((0.8, 0.8))
    # A one-to-one pair may overlap other boxes: GT 0..99 with detection 0..89 (recall 0.9) and
    # a stray detection 95..120 (recall 0.05, precision 0.19): still a one-to-one match.
    r = match_deteval([rect(0, 0, 89, 9), rect(95, 0, 120, 9)], [rect(0, 0, 99, 9)], [False])
    assert (r.recall_sum, r.precision_sum, r.num_det) == (1.0, 1.0, 2)


def test_deteval_dont_care_and_totals():
    # Detection 0..9 lies 50 % inside the don't-care box 5..14 (> 0.4): ignored.
    r = match_deteval([rect(0, 0, 9, 9)], [rect(5, 0, 14, 9)], [True])
    assert (r.num_gt, r.num_det, r.recall_sum) == (0, 0, 0.0)
    ev = DetEvalEvaluator()
    gt = [GroundTruth(rect(0, 0, 99, 9)), GroundTruth(rect(0, 20, 99, 29))]
    ev.update([[Detection(rect(0, 0, 49, 9), 1), Detection(rect(50, 0, 99, 9), 1)]], [gt])
    # recall 0.8 / 2 GT = 0.4; precision 1.6 / 2 detections = 0.8; H = 2·0.32/1.2 = 0.5333
    assert ev.compute() == pytest.approx({"precision": 0.8, "recall": 0.4, "hmean": 0.64 / 1.2})


# --- End to end -------------------------------------------------------------------------


def test_transcription_match_generic_rule():
    assert transcription_match("HELLO", "HELLO")
    assert transcription_match("(HELLO)", "HELLO") and transcription_match("HELLO.", "HELLO")
    assert not transcription_match("HEL-LO", "HELLO") and not transcription_match("", "A")


def test_end_to_end_counts_only_correct_readings():
    gts = [GroundTruth(box(0, 0, 10, 10), "Hello!"), GroundTruth(box(20, 0, 10, 10), "world"),
           GroundTruth(box(40, 0, 10, 10), "###", ignore=True)]  # fmt: skip
    words = [
        Word(box(0, 0, 10, 10), "HELLO", 1, 1),  # right (case and final "!" forgiven)
        Word(box(20, 0, 10, 10), "word", 1, 1),  # located but misread
        Word(box(40, 0, 10, 10), "xyz", 1, 1),  # inside the don't-care region: ignored
    ]
    ev = EndToEndEvaluator()
    ev.update([words], [gts])
    # 1 correct of 2 cared GT and 2 cared detections: P = R = H = 0.5
    assert ev.compute() == pytest.approx({"precision": 0.5, "recall": 0.5, "hmean": 0.5})
    cased = EndToEndEvaluator(case_sensitive=True)
    cased.update([words], [gts])  # "HELLO" is not "Hello"
    assert cased.compute() == pytest.approx({"precision": 0.0, "recall": 0.0, "hmean": 0.0})
    words[0] = Word(box(0, 0, 10, 10), "Hello", 1, 1)
    cased.reset()
    cased.update([words], [gts])
    assert cased.compute() == pytest.approx({"precision": 0.5, "recall": 0.5, "hmean": 0.5})
