"""A region CRAFT gave two words, given a box each, with the packaged weights on a real form."""

import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, need_shared

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

FORM = DATA / "funsd" / "dataset" / "testing_data" / "images" / "82253058_3059.png"


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
