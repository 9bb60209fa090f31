"""A region CRAFT gave two words, given a box each, with the packaged weights on a real form."""

import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, need_shared

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

FORM = DATA / "funsd" / "dataset" / "testing_data" / "images" / "82253058_3059.png"
FUNSD_FAX = DATA / "funsd" / "dataset" / "testing_data" / "images" / "82092117.png"


@pytest.mark.slow
def test_a_region_read_as_two_words_is_boxed_as_two(craft_detector, crnn_recognizer):
    need_shared()
    from bench_tokens import Once

    image = ocrkit.read_image(FORM)[900:970, 250:500]  # a fax form's "PAGE 1 OF 2"
    once = Once(craft_detector.detect([image])[0])  # the same regions for both modes
    raw = ocrkit.Pipeline(once, crnn_recognizer, text="raw").read([image])[0]
    tidy = ocrkit.Pipeline(once, crnn_recognizer).read([image])[0]
    # Measured: CRAFT links "OF" with "2" (their gap under a quarter of the region's height); the
    # CRNN reads the space.
    merged = [w for w in raw if w.text == "OF 2"]
    assert len(merged) == 1
    assert [w.text for w in tidy] == ["PAGE", "1", "OF", "2"]
    of, two = tidy[2].polygon, tidy[3].polygon
    box = merged[0].polygon
    assert of[:, 0].max() <= two[:, 0].min()  # side by side, not overlapping
    assert np.isclose(of[:, 0].min(), box[:, 0].min())  # the region's ends kept
    assert np.isclose(two[:, 0].max(), box[:, 0].max())
    assert 0.3 < (of[:, 0].max() - of[:, 0].min()) / (box[:, 0].max() - box[:, 0].min()) < 0.7


class _Boxes:
    """A detector that returns the same axis-aligned boxes (x0, y0, x1, y1) for any image."""

    def __init__(self, boxes: list[tuple[int, int, int, int]]) -> None:
        self.dets = [ocrkit.Detection(np.float32([[a, b], [c, b], [c, d], [a, d]]), 0.9)
                     for a, b, c, d in boxes]  # fmt: skip

    def detect(self, images):
        return [list(self.dets) for _ in images]


@pytest.mark.slow
def test_two_words_read_run_together_are_boxed_apart_where_the_ink_shows_the_gap(crnn_recognizer):
    need_shared()
    page = ocrkit.read_image(FUNSD_FAX)
    # Two of CRAFT's regions on this fax cover sheet (saved from `ocrkit eval
    # --save-predictions`), which the CRNN reads without their spaces.
    boxes = _Boxes([(294, 298, 352, 312), (190, 601, 246, 613)])
    off = ocrkit.load_recognizer("crnn", lexicon_split_margin="none")
    assert [w.text for w in ocrkit.Pipeline(boxes, off).read([page])[0]] == ["FAXNO:", "YOUDO"]
    words = ocrkit.Pipeline(boxes, crnn_recognizer).read([page])[0]
    assert [w.text for w in words] == ["FAX", "NO:", "YOU", "DO"]
    for left, right in zip(words[::2], words[1::2]):
        assert left.polygon[:, 0].max() <= right.polygon[:, 0].min()
