import numpy as np

import pytest

from ocrkit.geometry import SAMPLINGS, crop_quad, expand_quad, order_quad, polygon_to_quad, roll_along
from ocrkit.geometry import sampling_flag, signed_area
from ocrkit.reading_order import group_lines, reading_order


def _box(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)


def test_order_quad_is_clockwise_from_top_left():
    quad = np.array([[10, 10], [0, 10], [10, 0], [0, 0]], np.float32)  # scrambled
    out = order_quad(quad)
    np.testing.assert_array_equal(out, [[0, 0], [10, 0], [10, 10], [0, 10]])
    assert signed_area(out) > 0  # clockwise on screen (y down) has positive shoelace area


def diamond(tl_first: bool) -> np.ndarray:
    """A 40×10 word turned by 45° counter-clockwise (rising to the right), corners clockwise
    from its own top-left, or from its top-right: the smallest x + y is a tie between them."""
    r = np.sqrt(0.5)
    u, v = np.array([r, -r]), np.array([r, r])  # along the text, and down across it
    quad = np.array([0 * u, 40 * u, 40 * u + 10 * v, 10 * v], np.float32) + 100
    return quad if tl_first else np.roll(quad, -1, axis=0)


def test_roll_along_starts_where_the_text_does():
    word = diamond(True)
    assert abs(word[0].sum() - word[1].sum()) < 1e-3  # the reference's rule cannot tell
    rising = np.array([1.0, -1.0])
    for start in range(4):
        got = roll_along(np.roll(word, -start, axis=0), rising)
        np.testing.assert_array_equal(got, word)
        assert signed_area(got) > 0
    # An upright box: the same order as order_quad's top-left first.
    np.testing.assert_array_equal(roll_along(np.roll(_box(0, 0, 30, 10), 2, axis=0), [1, 0]), _box(0, 0, 30, 10))


def test_polygon_to_quad_on_many_points():
    poly = np.array([[0, 0], [5, -1], [10, 0], [10, 4], [5, 5], [0, 4]], np.float32)
    quad = polygon_to_quad(poly)
    assert quad.shape == (4, 2) and signed_area(quad) > 0


def test_crop_quad_size_margin_and_rotation():
    img = np.zeros((100, 200, 3), np.uint8)
    img[40:60, 50:150] = 255  # a white 100×20 "word"
    crop = crop_quad(img, _box(50, 40, 100, 20), height=32, margin=0.0)
    assert crop.shape == (32, 160, 3) and crop.mean() > 250  # aspect 5:1 kept, all word
    with_margin = crop_quad(img, _box(50, 40, 100, 20), height=32, margin=0.1)
    assert with_margin.shape[1] == round(32 * (100 + 4) / (20 + 4))  # 0.1 × 20 px each side
    assert with_margin[0].mean() < 5 and with_margin[16, 20:-20].mean() > 250
    # The same word rotated by 90° clockwise (reading downwards) crops upright.
    rot = np.ascontiguousarray(np.rot90(img, k=-1))
    quad = np.array([[59, 50], [59, 149], [40, 149], [40, 50]], np.float32)  # TL TR BR BL
    upright = crop_quad(rot, quad, height=32, margin=0.0)
    assert upright.shape[0] == 32 and upright.shape[1] > 100 and upright.mean() > 200


def test_crop_sampling_keeps_thin_strokes_full():
    """A 10 px "word" enlarged to 64 rows: bilinear draws its 1 px stroke as a thin triangle,
    Lanczos (the default) and cubic as a full, rounded stroke, as a larger word's would be."""
    img = np.full((40, 80, 3), 255, np.uint8)
    img[15:25, 30] = 0  # a 1 px stroke
    quad = _box(20, 15, 30, 10)
    grey = {name: crop_quad(img, quad, 64, margin=0.0, interpolation=sampling_flag(name))[32, :, 0]
            for name in SAMPLINGS}  # fmt: skip
    dark = {name: int((row < 100).sum()) for name, row in grey.items()}  # columns, of 213
    assert dark["lanczos"] >= dark["cubic"] > dark["linear"] >= 4, dark
    default = crop_quad(img, quad, 64, margin=0.0)[32, :, 0]
    assert np.array_equal(default, grey["lanczos"])
    assert sampling_flag("linear") == SAMPLINGS["linear"]
    with pytest.raises(ValueError, match="crop sampling must be one of lanczos, cubic, linear, got 'area'"):
        sampling_flag("area")


def test_expand_quad_grows_along_both_axes():
    grown = expand_quad(_box(0, 0, 100, 10), 0.1)
    np.testing.assert_allclose(grown[0], [-1, -1]) and np.testing.assert_allclose(grown[2], [101, 11])


def test_reading_order_lines_and_columns():
    words = [_box(120, 52, 40, 16), _box(10, 50, 50, 20), _box(70, 48, 40, 20), _box(10, 10, 60, 20)]
    assert group_lines(words) == [[3], [1, 2, 0]]
    assert reading_order(words) == [3, 1, 2, 0]
    assert reading_order([]) == []


def test_reading_order_is_robust_to_skew():
    # Two lines of three words, page rotated by 12°: a y-sort alone would interleave them.
    theta = np.deg2rad(12)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    words, truth = [], []
    for line in range(2):
        for k in range(3):
            box = _box(20 + 110 * k, 20 + 40 * line, 90, 22) @ rot.T
            words.append(box.astype(np.float32))
            truth.append((line, k))
    perm = np.random.default_rng(3).permutation(6)
    shuffled = [words[i] for i in perm]
    order = [perm[i] for i in reading_order(shuffled)]
    assert [truth[i] for i in order] == sorted(truth)


def test_a_long_line_of_short_leaning_boxes_stays_one_line():
    """CRAFT boxes a level line's 2-4 letter words leaning by 1-1.5°; taken as the page's skew,
    that split a 1000-px line of them in two (its second half read first). The neighbours'
    centres give the line's true direction (ocrkit.reading_order.refined_skew)."""
    lean = np.deg2rad(1.4)
    rot = np.array([[np.cos(lean), -np.sin(lean)], [np.sin(lean), np.cos(lean)]])
    words = []
    for k in range(18):  # 40 px wide, 24 px high, 56 px apart: each leans about its centre
        box = _box(10 + 56 * k, 30, 40, 24).astype(np.float64)
        centre = box.mean(axis=0)
        words.append(((box - centre) @ rot.T + centre).astype(np.float32))
    assert group_lines(words) == [list(range(18))]
    two = words + [w + np.float32([0, 40]) for w in words]  # and a second line below
    assert group_lines(two) == [list(range(18)), list(range(18, 36))]


def test_a_lone_mark_joins_the_line_it_sits_in(monkeypatch):
    """A comma CRAFT boxes apart (8 px on a 24-px line, on the baseline) and a hyphen at
    mid-height were each a line of their own: their tolerance was half their own height."""
    words = [_box(10, 30, 60, 24), _box(72, 46, 5, 8), _box(90, 30, 60, 24),  # "Paris" "," "June"
             _box(160, 46, 10, 3), _box(180, 30, 50, 24),  # "-" "1998"
             _box(10, 70, 80, 24)]  # the next line
    assert group_lines(words) == [[0, 1, 2, 3, 4], [5]]
    assert group_lines(words, split_gaps=True) == [[0, 1, 2, 3, 4], [5]]
    monkeypatch.setattr("ocrkit.reading_order.ATTACH_MARKS", False)
    assert group_lines(words) == [[0, 2, 4], [3], [1], [5]]


def test_what_is_no_lone_mark_stays_a_line():
    # A word in a small font beside a tall one is text: longer than the tall line's height.
    words = [_box(10, 10, 200, 60), _box(220, 50, 70, 16)]
    assert group_lines(words) == [[0], [1]]
    # A mark beside a number printed sideways in the margin: that box is no line of text.
    sideways = [_box(10, 10, 20, 100), _box(40, 50, 5, 8)]
    assert group_lines(sideways) == [[1], [0]]
    # A mark far along the line from any word (a table's lone "-" cell) stays apart.
    far = [_box(10, 30, 60, 24), _box(200, 46, 10, 3)]
    assert group_lines(far) == [[0], [1]]


def test_a_mark_beside_a_mark_follows_it_into_the_line():
    # A dot 2 px high sits by a dash 4 px high (its nearest line) that itself joins the
    # 24-px line: both end in that line, none is lost.
    words = [_box(10, 30, 60, 24), _box(72, 47, 12, 4), _box(86, 49.5, 2, 2)]
    assert group_lines(words) == [[0, 1, 2]]
    assert sorted(i for line in group_lines(words + [_box(10, 90, 60, 24)]) for i in line) == [0, 1, 2, 3]


def test_line_neighbours_in_blocks_are_the_word_by_word_ones(monkeypatch):
    # refined_skew's neighbours, found SKEW_ROWS words at a time, against the plain loop over
    # words it replaced: the same neighbour for every word, the first of equals on ties.
    from ocrkit import reading_order as ro

    monkeypatch.setattr(ro, "SKEW_ROWS", 7)  # blocks that end mid-page and a short last one
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(1, 60))
        # Whole-pixel positions on 8 lines: many words equally far ahead of another (ties).
        xr = rng.integers(0, 30, n) * 10.0
        yr = rng.integers(0, 8, n) * 20.0 + rng.integers(-3, 4, n)
        heights = rng.integers(10, 16, n).astype(np.float64)
        want = []
        for i in range(n):
            ahead, ratio = xr - xr[i], heights / heights[i]
            ok = (ahead > 0) & (ahead < ro.PAIR_SPAN * np.maximum(heights, heights[i]))
            ok &= np.abs(yr - yr[i]) < ro.LINE_OVERLAP * np.minimum(heights, heights[i])
            ok &= (ratio > 0.7) & (ratio < 1.4)
            want.append(int(np.flatnonzero(ok)[np.argmin(ahead[ok])]) if ok.any() else -1)
        assert ro._line_neighbours(xr, yr, heights).tolist() == want

def test_median_of_floats_is_numpys():
    from ocrkit.reading_order import _median

    rng = np.random.default_rng(4)
    for n in range(1, 12):
        values = rng.uniform(1, 30, n).tolist()
        assert _median(values) == float(np.median(values))


def test_boxes_rolled_all_at_once_as_one_by_one():
    # rolled_along (a page's boxes in one array operation; roll_along is it for one box)
    # against the arithmetic box by box: random boxes at any angle and start, 45° ones (two
    # corners tie for the smallest x + y), squares, directions along and across them.
    from ocrkit.geometry import rolled_along

    def one_by_one(quad, direction):
        q = np.asarray(quad, np.float32).reshape(4, 2)
        edges = np.roll(q, -1, axis=0).astype(np.float64) - q
        norms = np.maximum(np.linalg.norm(edges, axis=1), 1e-9)
        return np.roll(q, -int(np.argmax(edges @ np.asarray(direction) / norms)), axis=0)

    rng = np.random.default_rng(2)
    boxes = []
    for _ in range(200):
        w, h = rng.uniform(2, 90), rng.choice([rng.uniform(2, 30), 0.0])  # 0: w × w, a square
        angle = rng.choice([rng.uniform(-np.pi, np.pi), np.pi / 4, 0.0])
        u = np.array([np.cos(angle), np.sin(angle)])
        v = np.array([-u[1], u[0]])
        signs = ((-1, -1), (1, -1), (1, 1), (-1, 1))
        box = np.array([a * w / 2 * u + b * (h or w) / 2 * v for a, b in signs])
        box += rng.uniform(0, 500, 2)
        boxes.append(np.roll(box, -int(rng.integers(4)), axis=0).astype(np.float32))
    for angle in (0.0, 0.3, -np.pi / 4, np.pi / 2, float(rng.uniform(-1.5, 1.5))):
        direction = np.array([np.cos(angle), np.sin(angle)])
        got = rolled_along(boxes, direction)
        assert all(g.dtype == np.float32 and np.array_equal(g, one_by_one(b, direction))
                   for g, b in zip(got, boxes))  # fmt: skip
        assert all(np.array_equal(roll_along(b, direction), g) for g, b in zip(got, boxes))
    assert rolled_along([], np.array([1.0, 0.0])) == []
