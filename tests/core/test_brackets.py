"""A bracket of a pair the recogniser dropped, put back from the ink beside the word."""

import numpy as np

from ocrkit.brackets import add_brackets, bracket_beside
from ocrkit.types import Word

TALL = 20  # px: the drawn digits' height
BASE = 50  # px: their baseline


def _line(glyphs: str, gap: int = 3):
    """A white strip with ``glyphs`` drawn as bars: a digit 6 px wide and TALL high, "(" or ")"
    a bar 3 px wide from 3 px above the digits' tops to 4 below their baseline, "+" a small
    cross at mid-height, " " a space of 8 px; ``gap`` px between glyphs. Grey image and the
    x-extent of each glyph drawn."""
    grey = np.full((90, 60 + 14 * len(glyphs)), 255, np.uint8)
    x, spans = 30, []
    for g in glyphs:
        if g.isdigit():
            grey[BASE - TALL : BASE, x : x + 6] = 0
            w = 6
        elif g in "()":
            grey[BASE - TALL - 3 : BASE + 4, x : x + 3] = 0
            w = 3
        elif g == "+":
            grey[BASE - 11 : BASE - 9, x : x + 6] = 0
            grey[BASE - 13 : BASE - 7, x + 2 : x + 4] = 0
            w = 6
        else:
            w = 8
        spans.append((x, x + w))
        x += w + gap
    return grey, spans


def _quad(x0: float, x1: float) -> np.ndarray:
    """A region boxed tight on the digits' height, from x0 to x1."""
    top, bottom = BASE - TALL - 1, BASE + 1
    return np.float32([[x0, top], [x1, top], [x1, bottom], [x0, bottom]])


def test_an_opening_bracket_outside_a_tight_box_is_put_back():
    grey, spans = _line("(84)")
    quad = _quad(spans[1][0] - 1, spans[3][1] + 1)  # "84)": the "(" left out of the region
    assert bracket_beside(grey, quad, "left")
    assert [w.text for w in add_brackets(grey, [Word(quad, "84)", 0.9, 0.9)])] == ["(84)"]


def test_a_closing_bracket_is_put_back_and_a_space_before_it_is_bridged():
    grey, spans = _line("(84 )")
    quad = _quad(spans[0][0] - 1, spans[2][1] + 1)  # "(84", the ")" after a space
    assert [w.text for w in add_brackets(grey, [Word(quad, "(84", 0.9, 0.9)])] == ["(84)"]


def test_a_bracket_of_another_word_or_a_digit_is_not_taken():
    grey, spans = _line("(+84)")  # "(15 + STORES)": the "(" opens what stands before
    quad = _quad(spans[2][0] - 1, spans[4][1] + 1)
    assert not bracket_beside(grey, quad, "left")
    grey, spans = _line("184)")  # a digit before, as tall as the others: no bracket
    quad = _quad(spans[1][0] - 1, spans[3][1] + 1)
    assert [w.text for w in add_brackets(grey, [Word(quad, "84)", 0.9, 0.9)])] == ["84)"]


def test_only_readings_with_one_bracket_of_a_pair_are_looked_at():
    grey, spans = _line("(84)")
    quad = _quad(spans[1][0] - 1, spans[3][1] + 1)
    texts = ["84", "(84)", "Wave(", "(99}", ")", "84])", None]
    words = [Word(quad, t, 0.9, 0.9) for t in texts]
    assert [w.text for w in add_brackets(grey, words)] == texts
    curved = np.concatenate([quad, quad[::-1] + 0.5])  # 8 points: a curved word's polygon
    assert add_brackets(grey, [Word(curved, "84)", 0.9, 0.9)])[0].text == "84)"
