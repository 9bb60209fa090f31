"""The gaps between neighbouring words and their weight in the confidence map (``gap_weight``)."""

import cv2
import numpy as np
import pytest
from helpers import need_plugin

need_plugin("ocrkit_craft")

from ocrkit_craft.gaps import gap_polygons  # noqa: E402
from ocrkit_craft.weak_supervision import confidence_map  # noqa: E402


def quad(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)


def rotate(q, degrees, centre=(200.0, 200.0)):
    m = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    return np.c_[q, np.ones(len(q))] @ m.T


def test_gaps_between_neighbours_of_a_line_only():
    words = [quad(10, 10, 50, 20), quad(70, 12, 40, 20), quad(120, 10, 30, 20),  # one line
             quad(10, 60, 50, 20),  # the next line: below, not a neighbour
             quad(200, 10, 40, 20),  # 50 px after the line's end: farther than its height
             quad(125, 35, 30, 10)]  # below "120": overlaps no line across  # fmt: skip
    gaps = gap_polygons(words)
    assert len(gaps) == 2
    np.testing.assert_allclose(gaps[0], quad(60, 12, 10, 18), atol=1e-4)  # rows both words cover
    np.testing.assert_allclose(gaps[1], quad(110, 12, 10, 18), atol=1e-4)


def test_gaps_follow_a_rotated_line_and_skip_touching_words():
    line = [quad(100, 190, 60, 20), quad(170, 190, 60, 20)]
    turned = [rotate(q, 30) for q in line]
    (gap,) = gap_polygons(turned)
    np.testing.assert_allclose(gap, rotate(quad(160, 190, 10, 20), 30), atol=1e-3)
    assert gap_polygons([quad(0, 0, 50, 20), quad(48, 0, 50, 20)]) == []  # overlapping: no gap
    assert gap_polygons([quad(0, 0, 50, 20), quad(60, 0, 50, 60)]) == []  # 3× taller: not one line
    assert gap_polygons([quad(0, 0, 50, 20)]) == [] and gap_polygons([]) == []


def test_confidence_map_weighs_gaps_under_words_and_dont_care():
    gaps = gap_polygons([quad(10, 10, 50, 20), quad(70, 10, 40, 20)])
    conf = confidence_map((40, 120), [(quad(10, 10, 50, 20), 0.7)], [quad(70, 10, 40, 20)], gaps, 4.0)
    assert conf[20, 65] == 4.0 and conf[20, 30] == pytest.approx(0.7) and conf[20, 90] == 0.0
    assert conf[35, 65] == 1.0  # below the gap: plain background
    default = confidence_map((40, 120), [], (), gaps)  # gap_weight 1: the SPEC's loss
    assert np.all(default == 1.0)


def test_page_targets_and_synthetic_pages_carry_the_gap_weight():
    from ocrkit_craft.data import SynthPages
    from ocrkit_craft.pseudo_labels import page_targets, prepare_page

    page = np.zeros((96, 256, 3), np.uint8)
    words = [(quad(20, 30, 100, 40).astype(np.float32), "ABC", False),
             (quad(140, 30, 100, 40).astype(np.float32), "DEF", True)]  # fmt: skip
    prepared = prepare_page(page, words, 64, np.random.default_rng(0))
    blobs = np.zeros((prepared.crops[0].shape[0] // 2, prepared.crops[0].shape[1] // 2), np.float32)
    args = (prepared.shape, prepared.words, [blobs], prepared.unused, 0.6, 0.2)
    _, _, conf = page_targets(*args, gap_weight=3.0)  # half resolution: the gap is x 60-70, y 15-35
    assert conf[25, 65] == 3.0 and conf[25, 40] == 0.5 and conf[25, 90] == 0.0  # gap, split word, don't care
    assert page_targets(*args)[2][25, 65] == 1.0

    from ocrkit.fonts import find_fonts

    fonts = find_fonts([])
    if not fonts:
        pytest.skip("no system fonts to render synthetic pages")
    plain = SynthPages(1, 256, fonts, seed=3)[0]["confidence"].numpy()
    weighted = SynthPages(1, 256, fonts, seed=3, gap_weight=3.0)[0]["confidence"].numpy()
    assert np.all(plain == 1.0) and set(np.unique(weighted)) == {1.0, 3.0}
