"""``poly=auto`` (the default): a polygon only where the word bends, the reference box elsewhere."""

import numpy as np
import pytest
from helpers import SAMPLE, need_plugin

import ocrkit
from ocrkit.testing import curved_text_image

need_plugin("ocrkit_craft")
from ocrkit_craft import CraftConfig  # noqa: E402
from ocrkit_craft.polygon import CURVED_BOW, along_text, bow  # noqa: E402


def band(centre_line: np.ndarray, normals: np.ndarray, half: float) -> np.ndarray:
    """A 14-point CRAFT-layout polygon: 7 points along the top left → right, 7 along the bottom
    right → left, ``half`` either side of ``centre_line`` (7, 2) along ``normals`` (7, 2)."""
    return np.concatenate([centre_line - half * normals, (centre_line + half * normals)[::-1]])


def test_bow_of_straight_rotated_and_arc_polygons():
    xs = np.linspace(0, 120, 7)
    straight = band(np.stack([xs, np.full(7, 50.0)], 1), np.tile([0.0, 1.0], (7, 1)), 10)
    assert bow(straight) == pytest.approx(0.0, abs=1e-9)
    turn = np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]])
    assert bow(straight @ turn.T + 300) == pytest.approx(0.0, abs=1e-9)  # rotation-invariant
    # Centre line on a circle of radius 3 word heights spanning 1.5 rad, as on a stamp: it bows
    # by R(1 − cos 0.75) = 0.80 heights.
    h, radius = 20.0, 60.0
    angles = np.linspace(-0.75, 0.75, 7)
    outward = np.stack([np.sin(angles), -np.cos(angles)], 1)  # unit, away from the circle's centre
    arc = band(radius * outward, -outward, h / 2)  # left → right over the top; top edge outermost
    assert bow(arc) == pytest.approx(radius * (1 - np.cos(0.75)) / h, rel=1e-6)
    assert bow(arc) > CURVED_BOW > bow(straight) + 0.3
    assert bow(np.zeros((14, 2))) == 0.0  # degenerate: no height, no length


def test_steep_boxes_are_turned_to_run_along_the_text():
    # A 100×20 word reading up and to the right at 60°: u along the text, n towards its bottom.
    u, n = np.array([0.5, -np.sqrt(3) / 2]), np.array([np.sqrt(3) / 2, 0.5])
    tl, tr, br, bl = -50 * u - 10 * n, 50 * u - 10 * n, 50 * u + 10 * n, -50 * u + 10 * n
    text_frame = np.array([tl, tr, br, bl])
    for start in range(4):  # whichever corner the clockwise box starts at
        box = np.roll(text_frame, -start, axis=0)
        got = along_text(box)
        first = got[1] - got[0]
        assert np.linalg.norm(first) == pytest.approx(100) and first[0] > 0
        np.testing.assert_array_equal(got, text_frame)
    assert along_text(text_frame) is text_frame  # already along the text: untouched


def test_poly_accepts_true_false_auto_only():
    assert CraftConfig().poly == "auto"
    assert ocrkit.build_config(CraftConfig, {"poly": "false"}).poly is False
    assert ocrkit.build_config(CraftConfig, {"poly": "yes"}).poly is True
    with pytest.raises(ocrkit.ConfigError, match="poly must be true, false or auto"):
        ocrkit.build_config(CraftConfig, {"poly": "curved"})


@pytest.mark.slow
def test_straight_words_keep_the_reference_boxes(craft_detector):
    page = ocrkit.read_image(SAMPLE)
    auto = craft_detector.detect([page])[0]
    boxes = ocrkit.load_detector("craft", poly=False).detect([page])[0]
    every = ocrkit.load_detector("craft", poly=True).detect([page])[0]
    assert sum(len(d.polygon) == 14 for d in every) > 10  # the polygon step follows many words…
    assert len(auto) == len(boxes) > 30  # …but none of them bends
    for a, b in zip(auto, boxes):
        np.testing.assert_array_equal(a.polygon, b.polygon)


@pytest.mark.slow
def test_curved_words_get_polygons_and_read_by_default(craft_detector, crnn_recognizer):
    words = ["CURVED", "STAMPED", "CIRCLE"]
    images = [curved_text_image(w, "arc") for w in words]  # radius 3 text heights
    detections = craft_detector.detect(images)
    assert [[len(d.polygon) for d in ds] for ds in detections] == [[14]] * 3
    got = [" ".join(w.text for w in ws) for ws in ocrkit.Pipeline(craft_detector, crnn_recognizer).read(images)]
    assert got == words  # with poly=false 0 of the 3 (measured); quad crops: see test_tps_crop
