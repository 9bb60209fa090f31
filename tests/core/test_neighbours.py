import numpy as np
import pytest
from helpers import FakeDetector, FakeRecognizer

from ocrkit import Detection, Pipeline
from ocrkit.neighbours import trim_to_neighbours


def box(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def rotate(poly, degrees, centre=(0.0, 0.0)):
    a = np.deg2rad(degrees)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return ((poly - centre) @ r.T + centre).astype(np.float32)


def test_overlapping_words_are_cut_at_the_middle_margin_included():
    # Two 30 px high words overlapping by 4 px: margins 0.1 × 30 = 3 px; the overlap's middle
    # is x = 100, so the left crop (with its margin) must end there and the right one start there.
    left, right = box(0, 0, 102, 30), box(98, 0, 200, 30)
    a, b = trim_to_neighbours([left, right], margin=0.1)
    assert a[1, 0] == pytest.approx(97) and a[2, 0] == pytest.approx(97)
    assert b[0, 0] == pytest.approx(103) and b[3, 0] == pytest.approx(103)
    np.testing.assert_array_equal(a[[0, 3]], left[[0, 3]])  # the far sides are untouched
    np.testing.assert_array_equal(b[[1, 2]], right[[1, 2]])


def test_a_gap_wider_than_both_margins_changes_nothing():
    polys = [box(0, 0, 100, 30), box(107, 0, 200, 30)]  # gap 7 > 3 + 3
    for got, want in zip(trim_to_neighbours(polys, 0.1), polys):
        np.testing.assert_array_equal(got, want)
    near = trim_to_neighbours([box(0, 0, 100, 30), box(104, 0, 200, 30)], 0.1)  # gap 4 < 6
    assert near[0][1, 0] == pytest.approx(99)  # ends at 102 − 3: its margin reaches x = 102


def test_other_lines_curved_vertical_and_lone_regions_are_left_alone():
    below = box(98, 40, 200, 70)  # next line: no shared height
    curved = np.concatenate([np.stack([np.linspace(98, 200, 7), np.full(7, 0.0)], 1),
                             np.stack([np.linspace(200, 98, 7), np.full(7, 30.0)], 1)])
    tall = box(101, -40, 120, 60)  # a vertical word beside the first one
    for polys in ([box(0, 0, 102, 30), below], [box(0, 0, 100, 30)]):
        for got, want in zip(trim_to_neighbours(polys, 0.1), polys):
            np.testing.assert_array_equal(got, want)
    got = trim_to_neighbours([box(0, 0, 102, 30), curved.astype(np.float32), tall], 0.1)
    np.testing.assert_array_equal(got[1], curved.astype(np.float32))  # only quads are cut
    np.testing.assert_array_equal(got[2], tall)
    assert got[0][1, 0] < 102  # while the quad is cut against its curved neighbour


def test_the_cut_is_bounded_and_follows_the_line_direction():
    # A neighbour starting just past the word's centre cuts it at most to its three-quarter
    # point less the margin; one starting before the centre is taken as nested: no cut.
    a, _ = trim_to_neighbours([box(0, 0, 100, 30), box(51, 0, 160, 30)], 0.1)
    assert a[1, 0] == pytest.approx(72.5)
    a, _ = trim_to_neighbours([box(0, 0, 100, 30), box(45, 0, 160, 30)], 0.1)
    assert a[1, 0] == 100
    # The same pair on a 30° slope is cut by the same amount along the slope.
    flat = trim_to_neighbours([box(0, 0, 102, 30), box(98, 0, 200, 30)], 0.1)
    pair = [rotate(box(0, 0, 102, 30), 30), rotate(box(98, 0, 200, 30), 30)]
    turned = trim_to_neighbours(pair, 0.1)
    np.testing.assert_allclose(turned[0], rotate(flat[0], 30), atol=1e-3)
    np.testing.assert_allclose(turned[1], rotate(flat[1], 30), atol=1e-3)


class TwoWords(FakeDetector):
    def detect(self, images):
        pair = [Detection(box(10, 10, 62, 40), 0.9), Detection(box(58, 10, 110, 40), 0.8)]
        return [pair for _ in images]


def test_pipeline_crops_cut_regions_but_returns_the_detector_polygons(fake_pm):
    widths = []

    class Spy(FakeRecognizer):
        def recognize(self, crops):
            widths.extend(c.shape[1] for c in crops)
            return super().recognize(crops)

    image = np.full((60, 130, 3), 255, np.uint8)
    words = Pipeline(TwoWords(), Spy(), plugin_manager=fake_pm, retry_margins=()).read([image])[0]
    np.testing.assert_array_equal(words[0].polygon, box(10, 10, 62, 40))  # unchanged output
    kept = Pipeline(TwoWords(), Spy(), plugin_manager=fake_pm, neighbours="keep",
                    retry_margins=()).read([image])[0]
    np.testing.assert_array_equal(kept[1].polygon, words[1].polygon)
    assert widths[0] < widths[2] and widths[1] < widths[3]  # trimmed crops are narrower
    with pytest.raises(ValueError, match="neighbours must be one of trim, keep"):
        Pipeline(TwoWords(), neighbours="cut")


def test_the_given_lines_decide_who_is_a_neighbour():
    left, right = box(0, 0, 102, 30), box(98, 0, 200, 30)
    apart = trim_to_neighbours([left, right], 0.1, lines=[[0], [1]])  # told: not one line
    np.testing.assert_array_equal(apart[0], left)
    np.testing.assert_array_equal(apart[1], right)
    together = trim_to_neighbours([right, left], 0.1, lines=[[1, 0]])  # order along the line
    assert together[1][1, 0] == pytest.approx(97) and together[0][0, 0] == pytest.approx(103)
