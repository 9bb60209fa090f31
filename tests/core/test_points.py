"""A number's decimal point or thousands comma the recogniser dropped, put back from its ink."""

import numpy as np

import ocrkit
from ocrkit.points import add_points, inner_mark, pointed
from ocrkit.types import Detection, Recognition, Word

TALL = 20  # px: the drawn digits' height
BASE = 40  # px: their baseline


def _number(glyphs: str, underline: bool = False, faint_top: bool = False):
    """A white strip with ``glyphs`` drawn as bars: a digit 6 px wide and TALL high ("w": two
    digits touching, one bar 15 px wide), "." a 4×4 dot on the baseline, "," a 3 px bar from 4
    above the baseline to 5 below, ":" two dots, "-" a 4×3 dash at mid-height, "'" a speck of 4
    px² where a colon's upper dot would be; 3 px between glyphs. Grey image and the quad of its
    region (from 3 px before the first glyph to 3 px after the last)."""
    grey = np.full((70, 40 + 12 * len(glyphs)), 255, np.uint8)
    x = 10
    for g in glyphs:
        if g.isdigit():
            grey[BASE - TALL : BASE, x : x + 6] = 0
            x += 9
        elif g == "w":
            grey[BASE - TALL : BASE, x : x + 15] = 0
            x += 18
        elif g == ".":
            grey[BASE - 4 : BASE, x : x + 4] = 0
            x += 7
        elif g == ",":
            grey[BASE - 4 : BASE + 5, x : x + 3] = 0
            x += 6
        elif g == ":":
            grey[BASE - 4 : BASE, x : x + 4] = 0
            grey[BASE - 14 : BASE - 10, x : x + 4] = 0
            x += 7
        elif g == "-":
            grey[BASE - 11 : BASE - 8, x : x + 4] = 0
            x += 7
        elif g == "'":
            grey[BASE - 4 : BASE, x : x + 4] = 0
            grey[BASE - 14 : BASE - 12, x + 1 : x + 3] = 0
            x += 7
    if underline:  # a table's rule under the digits, touching them all
        grey[BASE : BASE + 2, 5 : x + 2] = 0
    quad = np.float32([[7, BASE - TALL - 4], [x, BASE - TALL - 4], [x, BASE + 6], [7, BASE + 6]])
    return grey, quad


def test_a_dot_between_the_digits_is_put_back_at_its_place():
    for glyphs, read, want in (("4.45", "445", "4.45"), ("44.5", "445", "44.5"),
                               ("1.9", "19", "1.9"), ("1234.56", "123456", "1234.56")):  # fmt: skip
        grey, quad = _number(glyphs)
        assert pointed(grey, quad, read) == want, glyphs


def test_the_reading_keeps_its_sign_and_marks_around_the_number():
    grey, quad = _number("4.45")
    assert pointed(grey, quad, "$445") == "$4.45"
    assert pointed(grey, quad, "(445)") == "(4.45)"
    assert pointed(grey, quad, "445%") == "4.45%"


def test_no_dot_or_a_dash_leaves_the_number_as_read():
    for glyphs, read in (("445", "445"), ("4-45", "445")):
        grey, quad = _number(glyphs)
        assert pointed(grey, quad, read) == read, glyphs


def test_a_time_gets_the_colon_its_ink_holds():
    # FUNSD forms: "1:46" read "146", "4:00" read "4.00". "'": a colon whose top is 4 px².
    for glyphs, read in (("1:46", "146"), ("1'46", "146"), ("4:00", "4.00"), ("10:53", "10,53")):
        grey, quad = _number(glyphs)
        assert pointed(grey, quad, read) == glyphs.replace("'", ":"), glyphs
    grey, quad = _number("1:75")  # no time of day: left as read
    assert pointed(grey, quad, "175") == "175"
    grey, quad = _number("1:46")  # a sign or mark around it: no time either
    assert pointed(grey, quad, "$146") == "$146"


def test_a_read_point_under_a_speck_stays_a_point():
    # A price read "4.00" keeps its point where only a faint speck sits over the dot: a time's
    # colon read as a point must show both dots as ink of a size.
    grey, quad = _number("4'00")
    assert pointed(grey, quad, "4.00") == "4.00"


def test_a_comma_is_put_back_where_the_number_then_groups_in_threes():
    grey, quad = _number("29,216")
    assert inner_mark(grey, quad, 5) == (2, ",")
    assert pointed(grey, quad, "29216") == "29,216"
    grey, quad = _number("2,9216")  # would not group in threes, nor be a decimal comma
    assert pointed(grey, quad, "29216") == "29216"
    grey, quad = _number("12,5")  # a decimal comma
    assert pointed(grey, quad, "125") == "12,5"


def test_touching_digits_count_twice_and_an_underline_is_taken_out():
    grey, quad = _number("w.w")  # "12.34" with each pair of digits touching
    assert pointed(grey, quad, "1234") == "12.34"
    grey, quad = _number("4.45", underline=True)
    assert pointed(grey, quad, "445") == "4.45"


def test_a_count_of_digits_unlike_the_reading_leaves_it_as_read():
    grey, quad = _number("4.45")
    assert pointed(grey, quad, "4445") == "4445"  # the ink holds three digits, not four


def test_only_runs_of_digits_are_looked_at():
    grey, quad = _number("4.45")
    words = [Word(quad, t, 0.9, 0.9) for t in ("445", "4.45", "abc", "4a5", "5")]
    words.append(Word(quad, None, 0.9, None))
    curved = np.concatenate([quad, quad[::-1] + 0.5])  # 8 points: a curved word's polygon
    words.append(Word(curved, "445", 0.9, 0.9))
    rgb = np.repeat(grey[..., None], 3, axis=2)
    assert [w.text for w in add_points(rgb, words)] == ["4.45", "4.45", "abc", "4a5", "5",
                                                        None, "445"]  # fmt: skip


class _Pieces:
    """A detector finding "66" and "1" of "66.1" apart (the dot in the gap between them)."""

    def __init__(self, left: np.ndarray, right: np.ndarray):
        self.boxes = [left, right]

    def detect(self, images):
        return [[Detection(b, 0.9) for b in self.boxes] for _ in images]


class _ByWidth:
    """Reads a crop by its width (64 px high): the two pieces' joined box (~90 px) "661"
    without the dot, the "1" (~24 px) "1", the "66" (~52 px) "66"; a tall region's crops
    turned by 90° (~170 px) read nothing, unsure."""

    def recognize(self, crops):
        texts = {w: "" if w > 150 else "661" if w > 80 else "66" if w > 40 else "1"
                 for w in {c.shape[1] for c in crops}}  # fmt: skip
        return [Recognition(texts[c.shape[1]], 0.95 if texts[c.shape[1]] else 0.05) for c in crops]


def test_the_pipeline_joins_a_number_whose_joined_box_reads_without_its_dot():
    grey, _ = _number("66.1")
    rgb = np.repeat(grey[..., None], 3, axis=2)
    top, bottom = BASE - TALL - 2, BASE + 2
    left = np.float32([[9, top], [28, top], [28, bottom], [9, bottom]])
    right = np.float32([[37, top], [45, top], [45, bottom], [37, bottom]])
    options = dict(neighbours="keep", retry_margins=(), upside_down="off", rules="keep",
                   bilevel="keep")  # fmt: skip
    pipe = ocrkit.Pipeline(_Pieces(left, right), _ByWidth(), **options)
    assert [w.text for w in pipe.read([rgb])[0]] == ["66.1"]
    raw = ocrkit.Pipeline(_Pieces(left, right), _ByWidth(), text="raw", **options)
    assert [w.text for w in raw.read([rgb])[0]] == ["66", "1"]
