"""A "$" read as "5", "8" or "s" is put back where its ink reaches below the digits' baseline."""

import numpy as np

from ocrkit.currency import AMOUNT, dollar_first, mend_dollars
from ocrkit.types import Word


def _price(drop: int, slope: float = 0.0):
    """A white strip with a price drawn as bars: a first character 6 px wide from the digits'
    top to ``drop`` px below their baseline, then four digits 20 px high (one a dot's place
    left blank), each bar ``slope`` px lower per px leftward (a tilted line in an upright
    box); grey image and the word's quad."""
    grey = np.full((60, 120), 255, np.uint8)
    for x, below in ((10, drop), (20, 0), (29, 0), (44, 0), (53, 0)):
        base = round(40 + slope * (60 - x))
        grey[base - 20 : base + below, x : x + 6] = 0
    return grey, np.float32([[7, 16], [62, 16], [62, 52], [7, 52]])


def test_a_first_character_reaching_below_the_baseline_is_a_dollar():
    grey, quad = _price(drop=4)
    assert dollar_first(grey, quad)
    assert [w.text for w in mend_dollars(grey, [Word(quad, "812.99", 0.9, 0.9)])] == ["$12.99"]


def test_a_digit_first_or_another_word_stays_as_read():
    grey, quad = _price(drop=0)  # a 5 or an 8: level with the digits
    assert not dollar_first(grey, quad)
    assert [w.text for w in mend_dollars(grey, [Word(quad, "512.99", 0.9, 0.9)])] == ["512.99"]
    grey, quad = _price(drop=4)
    words = [Word(quad, t, 0.9, 0.9) for t in ("12.99", "S12.9", "sales", None)]
    assert [w.text for w in mend_dollars(grey, words)] == ["12.99", "S12.9", "sales", None]
    assert AMOUNT.fullmatch("s1,045.00") and not AMOUNT.fullmatch("51,04.00")


def test_whole_dollars_grouped_by_commas_are_amounts_a_bare_number_is_not():
    assert AMOUNT.fullmatch("514,123") and AMOUNT.fullmatch("S1,264,653")
    assert not AMOUNT.fullmatch("5,264,653")  # a "$" before a comma: not an amount
    assert not AMOUNT.fullmatch("5500") and not AMOUNT.fullmatch("514,12")
    grey, quad = _price(drop=4)
    assert [w.text for w in mend_dollars(grey, [Word(quad, "814,123", 0.9, 0.9)])] == ["$14,123"]


def test_a_dollar_on_a_tilted_line_is_measured_where_it_stands():
    # 0.08 px per px (4.6°): the "$" stands 3-4 px lower than the digits' median top and
    # baseline, so against those it seems to start below their tops; along their slope it
    # reaches from their top to 3 px below their baseline, and a "5" does not.
    grey, quad = _price(drop=3, slope=0.08)
    assert dollar_first(grey, quad)
    grey, quad = _price(drop=0, slope=0.08)
    assert not dollar_first(grey, quad)
