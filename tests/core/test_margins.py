import argparse

import numpy as np
import pytest
from helpers import FakeDetector

from ocrkit import Detection, Pipeline, Recognition
from ocrkit.commands.run import parse_margins
from ocrkit.geometry import expand_quad
from ocrkit.margins import with_margin


@pytest.mark.parametrize("margin", [0.0, 0.2, 0.35])
@pytest.mark.parametrize("angle", [0, 25])
def test_with_margin_makes_the_core_crop_cut_at_that_margin(margin, angle):
    a = np.deg2rad(angle)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    quad = np.array([[10, 20], [130, 20], [130, 52], [10, 52]], np.float64) @ r.T
    quad = quad.astype(np.float32)
    wider = with_margin(Detection(quad, 0.9), margin)
    # The core crop adds 0.1 × the shorter side of what it is given (ocrkit.builtin.crop).
    got, want = expand_quad(wider.polygon, 0.1), expand_quad(quad, margin)
    np.testing.assert_allclose(got, want, atol=1e-3)
    assert wider.score == 0.9
    curved = np.zeros((14, 2), np.float32)
    assert with_margin(Detection(curved, 0.9), margin) is None


class Wider:
    """More confident the wider the crop (width / ``scale``, at most 0.89): never sure enough."""

    height = 32

    def __init__(self, scale=1000.0):
        self.scale, self.calls = scale, []

    def recognize(self, crops):
        self.calls.append(len(crops))
        return [Recognition(f"w{c.shape[1]}", min(0.89, c.shape[1] / self.scale)) for c in crops]


def test_unsure_regions_are_read_again_and_the_most_confident_reading_wins(fake_pm, text_image):
    image, _ = text_image
    # upside_down="off": only the retries' recognition batches are counted here.
    plain = Pipeline(FakeDetector(), Wider(), plugin_manager=fake_pm, retry_margins=(), upside_down="off")
    first = plain.read([image])[0]
    assert plain.recognizer.calls == [len(first)]
    # Every first reading is unsure: each region is cut again at 0.0 and 0.2 (one batch), and
    # the widest crop (margin 0.2), the most confident here, wins.
    wider = Wider()
    pipe = Pipeline(FakeDetector(), wider, plugin_manager=fake_pm, retry_margins=(0.0, 0.2),
                    upside_down="off")
    words = pipe.read([image])[0]
    assert wider.calls == [len(first), 2 * len(first)]
    assert all(int(w.text[1:]) > int(v.text[1:]) and w.recognition_score > v.recognition_score
               for w, v in zip(words, first))  # fmt: skip
    sure = Wider(scale=1.0)  # every first reading scores 0.89: sure enough at retry_below=0.85
    Pipeline(FakeDetector(), sure, plugin_manager=fake_pm, retry_below=0.85, upside_down="off").read([image])
    assert sure.calls == [len(first)]


def test_margin_options_are_checked():
    assert parse_margins("none") == () and parse_margins("0, 0.2") == (0.0, 0.2)
    with pytest.raises(argparse.ArgumentTypeError, match="expected margins like 0,0.2"):
        parse_margins("0,2")
    with pytest.raises(ValueError, match=r"retry margins must be in \[0, 0.5\]"):
        Pipeline(FakeDetector(), retry_margins=[-0.1])
    with pytest.raises(ValueError, match="retry_below must be in"):
        Pipeline(FakeDetector(), retry_below=2)
