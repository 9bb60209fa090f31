"""The MSER baseline plugin: contract, words on a synthetic page, options."""

import numpy as np
import pytest
from helpers import need_plugin

import ocrkit
from ocrkit.testing import check_detector, synthetic_text_image

need_plugin("ocrkit_mser")


def test_contract_and_finds_the_words():
    image, quads = synthetic_text_image(["HELLO WORLD", "ocrkit test"], size=(200, 480), scale=1.2)
    dets = check_detector(ocrkit.load_detector("mser"), [image, np.full((30, 30, 3), 255, np.uint8)])
    assert dets[1] == []  # a blank image has no text
    found = dets[0]
    assert 2 <= len(found) <= 6
    # Every detected word lies on one of the two text lines.
    line_y = [q[:, 1].mean() for q in quads]
    for det in found:
        cy = det.polygon[:, 1].mean()
        assert min(abs(cy - y) for y in line_y) < 15, (det.polygon.tolist(), line_y)


def test_options_are_checked():
    with pytest.raises(ocrkit.ConfigError, match="unknown mser option 'sigma'; valid: delta"):
        ocrkit.load_detector("mser", sigma=1)
    det = ocrkit.load_detector("mser", min_chars=50)
    image, _ = synthetic_text_image(["HELLO"], size=(80, 300))
    assert det.detect([image]) == [[]]
