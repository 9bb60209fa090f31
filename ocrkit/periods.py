"""A word's final period or comma that the recogniser dropped, found in the ink just after it.

CRAFT's region for a word often stops short of its final period (a dot scores low on the
character map), and the CRNN, reading a crop that holds the dot, often leaves it out: of
FUNSD's ground-truth words that end in a period and were matched by a detection, 148 of 456
were read exactly but for it ("no" for "no.", "Inc" for "Inc."), against 128 read exactly.
``add_periods`` looks at each word whose reading ends in a letter or digit, in a crop reaching
half its height past its right end, and adds a "." where the last ink there is a dot: a part
at most 0.3 × the word's tallest letter high and 0.4 × wide, with a clear gap after the
letters, standing on their baseline (within 0.12 × the tallest letter), nothing above or below
it (a colon's dots) and not cut by the crop's edge (the start of the next word). Measured on
saved FUNSD predictions in RESULTS.md §2 "Final periods": 41 readings made exact and 15 more
given the period their ground truth has, for 5 given one it has not.

A comma fares the same (FUNSD test: of 186 detected ground-truth words ending in one, 52 read
exactly and 35 exactly but for it). Where that last part instead starts on or a little above
the baseline and reaches clearly below it (:func:`comma_shaped`), a "," is added: FUNSD test,
10 readings made exact and none made wrong (RESULTS.md §2 "Final commas").

A colon fares the same ("SUBJECT" for "SUBJECT:", "By" for "By:": 12 of FUNSD train forms
1-12's 83 detected colon words): where the last ink after the word is two dots, one on the
baseline and one clear above it no higher than the letters' tops (:func:`colon_dots`), a ":" is
added (RESULTS.md §2 "Dropped colons").

A period or comma the CRNN read as a colon ("No:" for the label "No." on an ID-card photo,
"Jan:" for "Jan.", "MIAMI:" for "MIAMI," on FUNSD forms) is mended the same way: a reading
ending in a letter or digit and a colon ends in a period (or comma) instead where that ink's
last part is such a dot (or comma). Here even a part of 1 image px² above the dot counts
(``COLON_SPECK``): a scanned colon's upper dot can be that faint, and under the usual 3 px²
floor "Date:" and "Name:" on FUNSD forms lost their colons. The recogniser saw a mark there,
so the dot may be as tall as a blurred scan's period (``READ_DOT``), and ink that the crop's
edge cuts past the word's region (the next word, a rule line) is set aside first; a part
reaching under the next word's start (a serif's foot) is no mark. An initial (a reading of one
capital, "J" of "J. Smith") is looked at the same way, as the surname follows within the
crop's reach. FUNSD test: 45 more readings made exact, 2 made wrong (a colon whose upper dot
the scan lost; a period the ground truth lacks); RESULTS.md §2 "Colons read for periods and
commas, and initials".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .ink import grey_of, ink_components
from .types import Word

EXTEND = 0.5  # × the word's height: how far past its region the period is looked for
DOT_HEIGHT = 0.3  # a dot's height and width at most these × the tallest letter's height
DOT_WIDTH = 0.4
BASELINE = 0.12  # the dot's bottom within this × the tallest letter of the letters' bottom
# A comma: at most COMMA_HEIGHT × the tallest letter high, reaching at least COMMA_DROP × it
# below the baseline from a top at most COMMA_RISE × it above (not an apostrophe, up by the
# letters' tops). DejaVu's commas are 0.32–0.43 × an ascender high, 0.44–0.6 × an x-height
# (a word of x-height letters, "on,"), their tops 0.2–0.35 × an x-height above the baseline,
# their tails 0.16–0.19 × an ascender below it. On FUNSD's scans a blurred period reaches
# ~0.1 below (with 0.08 here: 12 readings made exact on FUNSD test, and 1 made wrong).
COMMA_HEIGHT = 0.65
COMMA_DROP = 0.12
COMMA_RISE = 0.45
# Ink parts under ``speck`` image px² are specks, not marks, except that the floor is at most
# (DOT_AREA × the tallest letter)²: a period on letters 8-10 px high covers 1.7-2.9 px², under
# the usual 3 px² ("No" for the label "No." on ID-card photos of 800 × 600; RESULTS.md §2,
# "Periods on small type"). From letters 11.5 px high up the floor is the usual one.
DOT_AREA = 0.15
# A colon read where the ink holds a period: any part of 1 image px² above the dot keeps the
# colon. The default floor (3 px²) dropped a scanned colon's upper dot on FUNSD ("Date:").
COLON_SPECK = 1.0
# A colon after a word the recogniser dropped ("SUBJECT" for "SUBJECT:"): its upper dot ends
# at least this × the tallest letter above the baseline. DejaVu's end 0.48-0.57 × a capital's
# height up, 0.64-0.76 × an x-height (a word of x-height letters, "on:"); a lone dot reaches
# 0.3 × at most (DOT_HEIGHT), so a dot over a dot is told from a blurred period split in two.
COLON_RISE = 0.25
# A period read as a colon: its dot may be this × the tallest letter high. FUNSD's blurred
# periods measure 0.31-0.34 ×; where no mark was read DOT_HEIGHT keeps a comma's head out.
READ_DOT = 0.35


def trailing_mark(
    grey: np.ndarray, quad: np.ndarray, speck: float = 3.0, dot: float = DOT_HEIGHT,
    next_word: bool = False,
) -> str | None:
    """".", "," or ":" where the ink just after the word in ``quad`` ends in that mark
    (see the module), else None (grey: uint8 (H, W) image, quad: (4, 2) corners clockwise from
    the text's top-left; ``speck``: ink parts under this many image px² are not counted;
    ``dot``: a period's height at most this × the tallest letter; ``next_word``: ink cut by
    the crop's right edge that starts past the word's region, the start of the next word, is
    set aside and the mark looked for before it)."""
    stats, _, (w, h) = ink_components(grey, quad, extend=EXTEND, speck=speck, dot_area=DOT_AREA)
    next_start = w  # crop px: where the next word set aside starts (none: the crop's end)
    if next_word:  # the region ends EXTEND × its height (h crop px) before the crop does
        aside = (stats[:, 0] + stats[:, 2] >= w - 1) & (stats[:, 0] > w - EXTEND * h)
        next_start = int(stats[aside, 0].min()) if aside.any() else w
        stats = stats[~aside]
    if len(stats) < 2:
        return None
    last = int(np.argmax(stats[:, 0] + stats[:, 2] / 2))
    x, y, cw, ch, area = (int(v) for v in stats[last])
    tall = int(stats[:, 3].max())
    others = np.delete(stats, last, axis=0)
    letters = others[others[:, 3] >= 0.4 * tall]
    if not len(letters):
        return None
    if cw > DOT_WIDTH * tall or area < 0.4 * cw * ch:
        return None
    if x + cw >= w - 1 or y <= 0 or x < int((letters[:, 0] + letters[:, 2]).max()) - 1:
        return None  # cut by the crop's edge, or not after the letters
    if x + cw >= next_start:
        return None  # a part of the next word, not a mark before it
    base = float(np.median(letters[:, 1] + letters[:, 3]))  # the letters' baseline, crop px
    over = (stats[:, 0] < x + cw) & (stats[:, 0] + stats[:, 2] > x)
    if over.sum() == 2 and colon_dots(stats[over], tall, base):
        return ":"
    if over.sum() > 1:  # a semicolon's other dot, the dot of an i or j
        return None
    if ch <= dot * tall and abs(y + ch - base) <= BASELINE * tall:
        return "."
    # The crop may cut a comma's tail (a region's bottom is often near the baseline): how far
    # it reaches down is not asked, only that it passes the baseline.
    return "," if comma_shaped(stats[last : last + 1], tall, base)[0] else None


def colon_dots(pair: np.ndarray, tall: float, base: float) -> bool:
    """Whether two ink parts (``ink_components`` rows, one over the other) are a colon's dots
    against letters ``tall`` high standing on ``base`` (crop px): both dot-sized, the lower on
    the baseline, the upper clear above it and no higher than the letters' tops."""
    low, high = pair[np.argsort(pair[:, 1] + pair[:, 3])[::-1]]  # the lower one first
    dots = ((pair[:, 3] <= DOT_HEIGHT * tall) & (pair[:, 2] <= DOT_WIDTH * tall)
            & (pair[:, 4] >= 0.4 * pair[:, 2] * pair[:, 3]))  # fmt: skip
    return bool(dots.all() and abs(low[1] + low[3] - base) <= BASELINE * tall
                and high[1] + high[3] <= min(low[1], base - COLON_RISE * tall)
                and high[1] >= base - (1 + BASELINE) * tall)  # fmt: skip


def comma_shaped(
    stats: np.ndarray, tall: float, base: float | np.ndarray, drop: float = COMMA_DROP
) -> np.ndarray:
    """bool (N,): which ink parts (``ink_components`` rows) have a comma's size and place
    against letters ``tall`` high standing on ``base`` (crop px; see ``COMMA_HEIGHT``), reaching
    at least ``drop`` × ``tall`` below it (a negative ``drop``: a mark that may end above it)."""
    y, cw, ch = stats[:, 1], stats[:, 2], stats[:, 3]
    below, above = y + ch - base, base - y  # how far each part reaches past the baseline
    return ((ch <= COMMA_HEIGHT * tall) & (cw <= DOT_WIDTH * tall) & (below >= drop * tall)
            & (above >= 0) & (above <= COMMA_RISE * tall))  # fmt: skip


def trailing_period(grey: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the ink just after the word in ``quad`` ends in a period (:func:`trailing_mark`)."""
    return trailing_mark(grey, quad) == "."


def add_periods(image: np.ndarray, words: Sequence[Word], colons: bool = True) -> list[Word]:
    """``words`` with a ".", "," or ":" after each reading that ends in a letter or digit where
    the ink just after its region ends in that mark (:func:`trailing_mark`; for a reading of
    one capital, an initial, the next word set aside and a dot up to ``READ_DOT``), and a
    reading ending in a letter or digit and a colon ending in a period (a comma) where that ink
    holds one dot (a comma), nothing above it even at ``COLON_SPECK``, the next word set aside
    (see the module; ``colons=False`` leaves colons as read); curved polygons are left as read.
    image: RGB uint8 (H, W, 3) or its grey."""
    out = list(words)
    grey = None
    for k, w in enumerate(words):
        text = w.text or ""
        bare = text[-1:].isalnum()
        colon = colons and len(text) > 1 and text[-1] == ":" and text[-2].isalnum()
        if not (bare or colon) or len(w.polygon) != 4:
            continue
        grey = grey_of(image) if grey is None else grey
        if bare:
            # An initial ("J. Smith"): the next word starts within the crop's reach, and a
            # comma's head is no likelier there than a blurred period.
            initial = len(text) == 1 and text.isupper()
            mark = (trailing_mark(grey, w.polygon, dot=READ_DOT, next_word=True) if initial
                    else trailing_mark(grey, w.polygon))  # fmt: skip
            new = f"{text}{mark}" if mark else text
        else:
            mark = trailing_mark(grey, w.polygon, speck=COLON_SPECK, dot=READ_DOT, next_word=True)
            new = f"{text[:-1]}{mark}" if mark in (".", ",") else text
        if new != text:
            out[k] = replace(w, text=new)
    return out
