"""A final period or comma the recogniser dropped, found in the ink just after the word."""

import numpy as np

from ocrkit.periods import add_periods, trailing_mark, trailing_period
from ocrkit.types import Word

X = 12  # px: the x-height of the drawn letters
BASELINE = 40


def _word(mark: str):
    """A white strip with a two-letter word (6 px wide bars, X high) whose region stops at its
    letters, and after a 3 px gap the ``mark``: "." a dot on the baseline, ":" two dots, ","
    a dot reaching below the baseline, "'" a tick at the letters' tops, "" nothing; RGB image
    and the word's quad."""
    image = np.full((60, 120, 3), 255, np.uint8)
    for x in (20, 29):
        image[BASELINE - X : BASELINE, x : x + 6] = 0
    right = 35
    if mark == ".":
        image[BASELINE - 3 : BASELINE, right + 3 : right + 6] = 0
    elif mark == ":":
        image[BASELINE - 3 : BASELINE, right + 3 : right + 6] = 0
        image[BASELINE - X : BASELINE - X + 3, right + 3 : right + 6] = 0
    elif mark == ",":
        image[BASELINE - 3 : BASELINE + 4, right + 3 : right + 6] = 0
    elif mark == "'":  # an apostrophe: up by the letters' tops
        image[BASELINE - X : BASELINE - X + 5, right + 3 : right + 6] = 0
    top, bottom = BASELINE - X - 3, BASELINE + 4
    quad = np.float32([[17, top], [right + 1, top], [right + 1, bottom], [17, bottom]])
    return image, quad


def test_a_dot_on_the_baseline_after_the_word_is_its_period():
    image, quad = _word(".")
    assert trailing_period(image[..., 0], quad)
    assert [w.text for w in add_periods(image, [Word(quad, "no", 0.9, 0.9)])] == ["no."]


def test_a_dot_reaching_below_the_baseline_is_its_comma():
    image, quad = _word(",")
    assert trailing_mark(image[..., 0], quad) == "," and not trailing_period(image[..., 0], quad)
    assert [w.text for w in add_periods(image, [Word(quad, "no", 0.9, 0.9)])] == ["no,"]


def test_quotes_and_bare_words_get_no_mark():
    for mark in ("'", ""):
        image, quad = _word(mark)
        assert trailing_mark(image[..., 0], quad) is None, mark
    image, quad = _word(":")
    words = [Word(quad, "no.", 0.9, 0.9), Word(quad, "no:", 0.9, 0.9), Word(quad, None, 0.9, None)]
    assert [w.text for w in add_periods(image, words)] == ["no.", "no:", None]


def test_a_colon_the_recogniser_dropped_is_put_back():
    # "SUBJECT" read for "SUBJECT:" on a FUNSD form: two dots, one on the baseline.
    image, quad = _word(":")
    assert trailing_mark(image[..., 0], quad) == ":"
    assert [w.text for w in add_periods(image, [Word(quad, "no", 0.9, 0.9)])] == ["no:"]


def test_a_dot_over_a_stem_or_above_the_letters_is_no_colon():
    image, quad = _word(".")
    image[BASELINE - X + 2 : BASELINE - 5, 38:41] = 0  # an "i": a stem up from the dot
    assert trailing_mark(image[..., 0], quad) is None
    image, quad = _word(".")
    image[BASELINE - X - 2 : BASELINE - X + 1, 38:41] = 0  # a dot above the letters' tops
    assert trailing_mark(image[..., 0], quad) is None


def test_a_colon_read_over_one_dot_is_a_period():
    # "No." on an ID card read "No:": the ink after the word holds a single dot.
    image, quad = _word(".")
    words = [Word(quad, "No:", 0.9, 0.9), Word(quad, ":", 0.9, 0.9), Word(quad, "1.:", 0.9, 0.9)]
    assert [w.text for w in add_periods(image, words)] == ["No.", ":", "1.:"]
    assert [w.text for w in add_periods(image, words, colons=False)] == ["No:", ":", "1.:"]


def test_a_colon_read_over_a_comma_or_a_blurred_dot_is_that_mark():
    # FUNSD forms: "MIAMI," read "MIAMI:", and "YOU." read "YOU:" with a period blurred to
    # 0.33 × the letters' height, too tall for a period where the recogniser read no mark.
    image, quad = _word(",")
    assert [w.text for w in add_periods(image, [Word(quad, "no:", 0.9, 0.9)])] == ["no,"]
    image, quad = _word("")
    image[BASELINE - 4 : BASELINE, 38:41] = 0  # 4 px high against letters 12 px high
    words = [Word(quad, "no", 0.9, 0.9), Word(quad, "no:", 0.9, 0.9)]
    assert [w.text for w in add_periods(image, words)] == ["no", "no."]


def test_a_colon_read_over_one_dot_before_the_next_word_is_a_period():
    # "dissemination," read with a colon: the next word starts within the crop's reach past
    # the region and the crop's edge cuts it; the mark is the last ink before it.
    image, quad = _word(".")
    image[BASELINE - X : BASELINE, 43:60] = 0  # the next word, cut by the crop's right edge
    words = [Word(quad, "no", 0.9, 0.9), Word(quad, "no:", 0.9, 0.9)]
    assert [w.text for w in add_periods(image, words)] == ["no", "no."]


def test_a_piece_of_the_next_word_is_no_mark_before_it():
    # FUNSD: a serif's foot of the next word's first letter, a part of its own, under its start.
    image, quad = _word("")
    image[BASELINE - X : BASELINE - 5, 44:60] = 0  # the next word, cut by the crop's edge
    image[BASELINE - 3 : BASELINE, 41:45] = 0  # its foot: a dot-sized part reaching under it
    words = [Word(quad, "J", 0.9, 0.9), Word(quad, "no:", 0.9, 0.9)]
    assert [w.text for w in add_periods(image, words)] == ["J", "no:"]


def test_an_initial_before_the_surname_gets_its_period():
    # "J. Smith" read "J" "Smith": the surname starts within the crop's reach past the initial,
    # so the crop's edge cuts it. Only a lone capital is taken that way ("Philip." on a FUNSD
    # form was a speck before the next word).
    image, quad = _word(".")
    image[BASELINE - X : BASELINE, 43:60] = 0
    words = [Word(quad, "J", 0.9, 0.9), Word(quad, "no", 0.9, 0.9), Word(quad, "j", 0.9, 0.9)]
    assert [w.text for w in add_periods(image, words)] == ["J.", "no", "j"]


def test_a_colon_with_a_faint_upper_dot_stays_a_colon():
    # A scanned colon's upper dot can be a pixel or two (FUNSD "Date:"): under the default
    # speck floor it is not ink, and the lower dot alone looks like a period.
    image, quad = _word(".")
    image[BASELINE - X + 1 : BASELINE - X + 3, 39] = 0  # 1 × 2 px, 2 image px²
    assert trailing_mark(image[..., 0], quad) == "."
    assert [w.text for w in add_periods(image, [Word(quad, "No:", 0.9, 0.9)])] == ["No:"]


def test_the_start_of_the_next_word_is_not_a_period():
    image, quad = _word("")
    image[BASELINE - 4 : BASELINE, 40:44] = 0  # a letter's foot cut by the crop's right edge
    image[BASELINE - X : BASELINE, 44:50] = 0
    quad_short = quad.copy()
    quad_short[1:3, 0] = 32  # the region stops so that the crop ends inside the next letter
    assert not trailing_period(image[..., 0], quad_short)


def _small_word(dot: tuple[int, int]):
    """"No." at 8 px: two 4 px bars 8 px high and, 2 px after them, a ``dot`` (h, w) px on
    the baseline, as a period of an ID-card label on a 800 × 600 photo; grey image, quad."""
    grey = np.full((40, 60), 255, np.uint8)
    base, x_height = 24, 8
    for x in (10, 16):
        grey[base - x_height : base, x : x + 4] = 0
    grey[base - dot[0] : base, 22 : 22 + dot[1]] = 0
    top, bottom = base - x_height - 3, base + 3
    quad = np.float32([[8, top], [21, top], [21, bottom], [8, bottom]])
    return grey, quad


def test_a_period_of_small_type_is_under_the_usual_speck_floor():
    # 2 px² is under the 3 px² floor, but letters 8 px high lower it to (0.15 × 8)² = 1.44.
    grey, quad = _small_word((2, 1))
    assert trailing_mark(grey, quad) == "."
    grey, quad = _small_word((1, 1))  # 1 px²: still a speck
    assert trailing_mark(grey, quad) is None


def test_larger_type_keeps_the_usual_speck_floor():
    image, quad = _word("")  # letters 12 px high: the floor stays 3 px²
    image[BASELINE - 2 : BASELINE, 39] = 0  # a 2 px² dot
    assert trailing_mark(image[..., 0], quad) is None
    image[BASELINE - 2 : BASELINE, 39:41] = 0  # 4 px²
    assert trailing_mark(image[..., 0], quad) == "."
