"""Rotated words read correctly with the real CRAFT + CRNN (issue: orientation handling)."""

import numpy as np
import pytest
from helpers import need_plugin

import ocrkit
from ocrkit.testing import synthetic_text_image

need_plugin("ocrkit_craft")
need_plugin("ocrkit_crnn")


@pytest.fixture(scope="module")
def word_image():
    image, _ = synthetic_text_image(["Rotated"], size=(90, 300), scale=1.5)
    return image


@pytest.mark.slow
@pytest.mark.parametrize("turns", [-1, 1])  # text turned 90° clockwise / counter-clockwise
def test_vertical_words_are_read_by_default(word_image, craft_detector, crnn_recognizer, turns):
    image = np.ascontiguousarray(np.rot90(word_image, turns))
    words = ocrkit.Pipeline(craft_detector, crnn_recognizer).read([image])[0]
    assert [w.text for w in words] == ["Rotated"]


@pytest.mark.slow
def test_upside_down_needs_the_rotation_check(word_image, craft_detector, crnn_recognizer):
    image = np.ascontiguousarray(np.rot90(word_image, 2))
    plain = ocrkit.Pipeline(craft_detector, crnn_recognizer).read([image])[0]
    checked = ocrkit.Pipeline(craft_detector, crnn_recognizer, rotations=[90, 180, 270]).read([image])[0]
    assert [w.text for w in checked] == ["Rotated"] and plain[0].text != "Rotated"
