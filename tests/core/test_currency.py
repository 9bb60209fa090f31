"""A "$" read as "5", "8" or "s" is put back where its ink reaches below the digits' baseline."""

import numpy as np

from ocrkit.currency import AMOUNT, dollar_first, mend_dollars
from ocrkit.types import Word


def _price(drop: int):
    """A white strip with a price drawn as bars: a first character 6 px wide from the digits'
    top to ``drop`` px below their baseline, then four digits 20 px high (one a dot's place
    left blank); grey image and the word's quad."""
    grey = np.full((60, 120), 255, np.uint8)
    base = 40
    grey[base - 20 : base + drop, 10:16] = 0
    for x in (20, 29, 44, 53):
        grey[base - 20 : base, x : x + 6] = 0
    return grey, np.float32([[7, 16], [62, 16], [62, 48], [7, 48]])


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
