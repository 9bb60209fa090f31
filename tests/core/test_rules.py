"""Ruling lines erased from a crop (ocrkit.rules) on drawn crops, and the Pipeline's option."""

import cv2
import numpy as np
import pytest
from helpers import FakeRecognizer

from ocrkit import Detection, Pipeline
from ocrkit import rules
from ocrkit.rules import erase_rules, rule_mask

H, W = 64, 240
INK, PAPER = 20, 235


def blank(shade: int = PAPER) -> np.ndarray:
    return np.full((H, W, 3), shade, np.uint8)


def letters(crop: np.ndarray, ink: int = INK) -> np.ndarray:
    """Five letter-like marks (stems, bowls, bars) 14–50 px high in the crop's middle."""
    for k in range(5):
        x = 40 + 34 * k
        cv2.rectangle(crop, (x, 14), (x + 5, 50), (ink,) * 3, -1)  # a stem (as "l", "d")
        cv2.ellipse(crop, (x + 16, 38), (10, 12), 0, 0, 360, (ink,) * 3, 4)  # a bowl (as "o")
    cv2.line(crop, (40, 26), (60, 26), (ink,) * 3, 4)  # a bar (as "t")
    return crop


def test_a_crop_without_rules_comes_back_as_the_same_object():
    crop = letters(blank())
    assert erase_rules(crop) is crop
    plain = blank()
    assert erase_rules(plain) is plain


def test_a_box_round_the_word_is_erased_and_the_letters_kept():
    crop = letters(blank())
    cv2.rectangle(crop, (8, 4), (W - 9, H - 5), (INK,) * 3, 2)
    out = erase_rules(crop)
    assert out is not crop
    assert (out[:, :20] > 200).all() and (out[:, -20:] > 200).all()  # the sides are gone
    assert (out[:7] > 200).all() and (out[-7:] > 200).all()  # so are the top and bottom
    inner = letters(blank())[10:54, 20:-20]
    np.testing.assert_array_equal(out[10:54, 20:-20], inner)  # the letters are untouched


def test_a_side_the_crop_edge_halves_goes_with_its_grey_fringe():
    """A box's side cut in half by the crop's edge comes out grey, lighter than the ink's
    threshold (a Lanczos-enlarged crop: 140 where the ink is 20 and the paper 235); it is found
    in the faint ink and erased, and the rules' anti-aliased fringe round them goes too."""
    crop = letters(blank())
    cv2.line(crop, (0, 4), (W - 1, 4), (INK,) * 3, 2)
    cv2.line(crop, (0, H - 5), (W - 1, H - 5), (INK,) * 3, 2)
    crop[3:H - 3, W - 1] = 140  # the halved side
    crop[7:9, :] = 190  # a grey fringe 2-3 px under the top rule
    out = erase_rules(crop)
    assert out is not crop
    assert (out[:, W - 1] > 200).all() and (out[:12] > 200).all() and (out[-8:] > 200).all()
    np.testing.assert_array_equal(out[12:52, 20:-20], letters(blank())[12:52, 20:-20])
    # Without a top and a bottom rule no faint ink is looked at: an "l" at a tight crop's end
    # reaches the crop's top and bottom only through its anti-aliased (grey) ends.
    stem = letters(blank())
    stem[3:H - 3, 2:6] = INK
    stem[:3, 2:6] = stem[H - 3:, 2:6] = 150
    stem[:, W - 1] = 140
    assert erase_rules(stem) is stem


def test_an_underline_touching_the_letters_goes_and_their_stems_stay():
    crop = letters(blank())
    cv2.line(crop, (0, 52), (W - 1, 52), (INK,) * 3, 3)  # touches the stems' feet (row 50)
    out = erase_rules(crop)
    assert out is not crop
    assert (out[51:55, :35] > 200).all()  # the rule, where no letter stands, is gone
    assert (out[14:50, 40:46] < 60).all()  # a stem standing on it keeps its height
    assert (out[:, :, 0] < 128).sum() > 0.9 * (letters(blank())[:, :, 0] < 128).sum()


def test_light_text_on_a_dark_ground_loses_its_rule_to_the_dark():
    crop = letters(blank(30), ink=230)
    cv2.line(crop, (0, 58), (W - 1, 58), (230,) * 3, 2)
    out = erase_rules(crop)
    assert out is not crop and (out[56:61] < 60).all()


def test_a_long_run_across_the_letters_middle_is_not_a_rule():
    # Touching letters of a dense scan, or a strike-through: left alone.
    crop = letters(blank())
    cv2.line(crop, (0, 32), (W - 1, 32), (INK,) * 3, 3)
    assert erase_rules(crop) is crop


def test_a_stem_standing_on_an_underline_is_not_a_box_side():
    # The underline bounds the span below; the stem does not reach the crop's top: not a side.
    crop = blank()
    cv2.rectangle(crop, (6, 12), (11, 52), (INK,) * 3, -1)  # an "l" at the crop's left end
    for k in range(4):
        cv2.ellipse(crop, (60 + 40 * k, 38), (12, 13), 0, 0, 360, (INK,) * 3, 4)
    cv2.line(crop, (0, 54), (W - 1, 54), (INK,) * 3, 2)
    ink = crop[:, :, 0] < 128
    rule = rule_mask(ink)
    assert rule[53:56].any() and not rule[:50, :20].any()


def test_a_lone_rule_is_kept_whole():
    # A crop that is all rule (a dash, a line read as a word): erasing it would leave nothing.
    crop = blank()
    cv2.line(crop, (10, 56), (W - 10, 56), (INK,) * 3, 3)
    cv2.circle(crop, (120, 30), 2, (INK,) * 3, -1)
    assert erase_rules(crop) is crop


def test_faded_or_tiny_crops_are_left_alone():
    faint = np.full((H, W, 3), 200, np.uint8)
    cv2.line(faint, (0, 58), (W - 1, 58), (180,) * 3, 2)
    faint[20:40, 50:60] = 185
    assert erase_rules(faint) is faint
    tiny = np.zeros((6, 30, 3), np.uint8)
    assert erase_rules(tiny) is tiny


class ShowsRules(FakeRecognizer):
    """Reads a crop with a dark column at its left end as "[word", else "word"; the clean
    reading is the surer one, as a CRNN's is."""

    def recognize(self, crops):
        from ocrkit import Recognition

        out = []
        for c in crops:
            ruled = bool((np.asarray(c)[10:-10, :6, 0] < 100).any())
            out.append(Recognition("[word", 0.6) if ruled else Recognition("word", 0.95))
        return out


class Fixed:
    """Finds the given quads on every image."""

    def __init__(self, quads):
        self.quads = quads

    def detect(self, images):
        return [[Detection(q, 0.9) for q in self.quads] for _ in images]


def boxed_page() -> tuple[np.ndarray, np.ndarray]:
    """A word of five stems in a box whose sides the crop's margin takes in."""
    page = np.full((120, 400, 3), PAPER, np.uint8)
    cv2.rectangle(page, (102, 42), (298, 80), (INK,) * 3, 2)
    for k in range(5):
        cv2.rectangle(page, (110 + 38 * k, 46), (116 + 38 * k, 76), (INK,) * 3, -1)
    quad = np.array([[104, 44], [296, 44], [296, 78], [104, 78]], np.float32)
    return page, quad


@pytest.mark.parametrize("rules, text", [("erase", "word"), ("keep", "[word")])
def test_the_pipeline_reads_the_erased_crop_when_it_reads_surer(rules, text):
    page, quad = boxed_page()
    pipe = Pipeline(Fixed([quad]), ShowsRules(), rules=rules, retry_margins=(),
                    upside_down="off", text="raw")  # fmt: skip
    assert [w.text for w in pipe.read([page])[0]] == [text]


def test_an_unknown_rules_mode_is_refused():
    with pytest.raises(ValueError, match="rules must be one of erase, keep"):
        Pipeline(Fixed([]), FakeRecognizer(), rules="strip")


def test_a_letters_stem_at_a_tight_crops_end_is_not_a_box_side():
    # A crop cut with no margin: the last letter's stem (a "d") spans the whole height, as a
    # box's side does, but it joins its bowl.
    crop = blank()
    for k in range(4):
        cv2.ellipse(crop, (30 + 44 * k, 40), (14, 16), 0, 0, 360, (INK,) * 3, 5)
    cv2.ellipse(crop, (W - 22, 40), (14, 16), 0, 0, 360, (INK,) * 3, 5)
    cv2.rectangle(crop, (W - 9, 0), (W - 4, H - 1), (INK,) * 3, -1)  # the "d"'s stem
    assert erase_rules(crop) is crop


@pytest.mark.parametrize("cut, erased, taken", [
    (("Payment]", 0.64), ("Payment", 0.81), True),     # a box's side read as a bracket
    (("[treet]", 0.50), ("Street", 0.99), True),       # both sides: two characters fewer
    (("Payment", 0.93), ("Payment", 0.66), False),     # less confident
    (("UNSHAKA", 0.70), ("U", 0.90), False),           # a scene word's letter tops taken
    (("CANDY", 0.60), ("EI", 0.80), False),
    (("FBEEWAYBLLLB OA R D", 0.2), ("FREEWAYBILLBOARD", 0.9), True),  # spaces aside
])  # fmt: skip
def test_the_erased_reading_must_be_surer_and_keep_the_words_length(cut, erased, taken):
    from ocrkit import Recognition
    from ocrkit.rules import erased_reads_better

    assert erased_reads_better(Recognition(*cut), Recognition(*erased)) is taken


def _whole_morphology(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """rule_mask's runs the plain way: ink thickened across by the drift, opened along."""
    drift = max(1, int(np.ceil(rules.TILT * length / 2)))  # written out, not rules._drift
    across = (2 * drift + 1, 1) if axis == 1 else (1, 2 * drift + 1)
    thick = cv2.dilate(ink.astype(np.uint8), np.ones(across, np.uint8))
    along = (1, length) if axis == 1 else (length, 1)
    return cv2.morphologyEx(thick, cv2.MORPH_OPEN, np.ones(along, np.uint8)).astype(bool) & ink


def test_the_run_shortcuts_never_skip_a_rule():
    # _runs skips the morphology where no run can be long enough (_longest_run), and
    # _side_runs works on the end strips only: the same masks as the whole morphology, on
    # random ink with rows and columns of every length, at the edges too.
    rng = np.random.default_rng(0)
    for _ in range(300):
        h, w = int(rng.integers(8, 40)), int(rng.integers(8, 90))
        ink = rng.random((h, w)) < rng.uniform(0.05, 0.5)
        ink[int(rng.integers(h)), : int(rng.integers(w))] = True  # a row run from the edge
        ink[int(rng.integers(h)) :, int(rng.integers(w))] = True  # a column run to the edge
        length, span = int(rng.integers(4, 2 * w)), int(rng.integers(4, 2 * h))
        end = int(rng.integers(1, w))
        np.testing.assert_array_equal(rules._runs(ink, length, axis=1),
                                      _whole_morphology(ink, length, axis=1))  # fmt: skip
        np.testing.assert_array_equal(rules._runs(ink, span, axis=0),
                                      _whole_morphology(ink, span, axis=0))  # fmt: skip
        whole = _whole_morphology(ink, span, axis=0)
        whole[:, end : w - end] = False
        np.testing.assert_array_equal(rules._side_runs(ink, span, end), whole)


def _whole_line(pixels: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """rules._line worked out over the whole crop (distances at every pixel)."""
    slope, offset, thickness, (x0, x1) = rules._fit_line(pixels, 0)
    half = thickness / 2
    yy, xx = np.mgrid[: ink.shape[0], : ink.shape[1]]
    off = np.abs(yy - (slope * xx + offset))
    span = (xx >= x0) & (xx < x1)
    line = (off <= half) & span & ink
    n, labels = cv2.connectedComponents((ink & ~line).astype(np.uint8), connectivity=8)
    near = ((off <= half + 1.5) & span).ravel()
    total = np.bincount(labels.ravel(), minlength=n)
    inside = np.bincount(labels.ravel(), weights=near, minlength=n)
    return line | (((inside == total) & (np.arange(n) > 0))[labels])


def test_the_line_fit_in_its_window_is_the_whole_crops():
    # _line works out distances only in the rows and columns the rule can reach: the same
    # mask as over the whole crop, for leaning rules of every thickness with letters and
    # specks about them, at the crop's edges too.
    rng = np.random.default_rng(1)
    for _ in range(300):
        h, w = int(rng.integers(8, 64)), int(rng.integers(8, 200))
        ink = rng.random((h, w)) < rng.uniform(0.0, 0.3)
        y, t = rng.uniform(-2, h + 2), int(rng.integers(1, 5))
        slope = rng.uniform(-0.05, 0.05)
        x0, x1 = sorted(int(v) for v in rng.integers(0, w, 2))
        xs = np.arange(x0, x1 + 1)
        pixels = np.zeros_like(ink)
        for dy in range(t):
            rows = np.round(y + slope * xs).astype(int) + dy
            keep = (rows >= 0) & (rows < h)
            pixels[rows[keep], xs[keep]] = True
        if not pixels.any():
            continue
        ink |= pixels
        rows = np.flatnonzero(pixels.any(axis=1))  # the band's rows, as rule_mask passes them
        strip = pixels[rows[0] : rows[-1] + 1]
        np.testing.assert_array_equal(rules._line(strip, int(rows[0]), ink),
                                      _whole_line(pixels, ink))  # fmt: skip


def test_the_counting_shortcuts_match_numpy():
    # _bands, _quartile, _median_colour and ink_mask's class means count where numpy's
    # general functions sort or gather: the same results on random arrays.
    rng = np.random.default_rng(2)
    for _ in range(300):
        flags = rng.random(int(rng.integers(0, 40))) < rng.random()
        padded = np.concatenate([[0], flags.astype(np.int8), [0]])
        edges = np.flatnonzero(np.diff(padded)).tolist()
        assert rules._bands(flags) == list(zip(edges[::2], edges[1::2]))
        values = rng.integers(1, 20, int(rng.integers(1, 30)))
        assert rules._quartile(values) == float(np.percentile(values, 25))
        shape = (int(rng.integers(1, 30)), int(rng.integers(1, 30)))
        image = rng.integers(0, 256, (*shape, 3)).astype(np.uint8)
        image[rng.random(shape) < 0.5] = rng.integers(0, 256, 3)  # ties, as a plain ground
        mask = rng.random(shape) < rng.uniform(0.05, 1.0)
        if mask.any():
            expected = np.median(image[mask], axis=0).astype(np.uint8)
            np.testing.assert_array_equal(rules._median_colour(image, mask), expected)
            grey = image[..., 0]
            np.testing.assert_array_equal(rules._median_colour(grey, mask),
                                          [np.median(grey[mask]).astype(np.uint8)])  # fmt: skip
        grey = image[..., 1]
        ink = rules.ink_mask(grey)
        t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        dark = grey <= t
        want = dark if dark.mean() < 0.5 else ~dark
        if want.all() or not want.any():
            assert ink is None
        elif abs(float(grey[want].mean()) - float(grey[~want].mean())) < rules.MIN_CONTRAST:
            assert ink is None
        else:
            np.testing.assert_array_equal(ink, want)
