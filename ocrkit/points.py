"""A number's decimal point or thousands comma that the recogniser dropped, found in its ink.

On small type the CRNN reads the digits of a number and leaves out the mark between them:
"4.45" as "445", "1.9" as "19", "29,216" as "29216" (FUNSD's typewritten tables, digits ~10 px
high). An amount off by a factor of 100 is the worst misreading a document reader can make,
and the crop holds the evidence: a dot standing on the digits' baseline in the gap between two
of them. ``add_points`` looks at each word read as one run of digits (a sign, "$", "#" or an
opening bracket before it, "%", "*" or a closing bracket after it allowed) in its region's ink
(underlines taken out: a table's rule joins its digits into one part) and, where exactly one
part is such a dot, puts a "." at its place; a comma-shaped part
(:func:`ocrkit.periods.comma_shaped`) gives a "," where the number then groups in threes or
reads as a decimal comma. The dot: at most ``POINT_HEIGHT`` × the digits' height high and
``DOT_WIDTH`` × it wide, filling its box as a blob does, its bottom on their baseline (within
``BASELINE`` ×), nothing above or below it, digits on both sides. Its place is the number of
digits to its left, counted from the parts' widths (two touching digits are one part twice
as wide); where the parts' count is not the reading's, the word is left as read.

A time of day's colon is read the same way ("1:46" read "146", "4:00" read "4.00" on FUNSD
forms): two dots one over the other (:func:`ocrkit.periods.colon_dots`) between the digits give
":" where the number then reads as a time ("h:mm" or "hh:mm", minutes under 60, nothing
around it); over a reading's "." both dots must be ink of a size, so a speck over a price's
point does not make it a time.

Measured on FUNSD's word crops (ground-truth boxes; ``benchmarks/bench_points.py``): train,
17 readings made exact and none made wrong of 1,492 read as such numbers; test, none changed;
ICDAR 2015 and IIIT5K word crops, none changed (benchmarks/RESULTS.md §2, "Decimal points").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .ink import grey_of, ink_components
from .joins import baseline, decimal_comma, grouped
from .periods import BASELINE, COLON_SPECK, DOT_AREA, DOT_WIDTH, colon_dots, comma_shaped
from .types import Word

# A typewriter's period is ~0.3 × its digits high, a blurred scan's up to ~0.33; a colon's or
# a letter's part is 0.5 × or more. (The final-period step's 0.3 judges a part after the word,
# where a blurred dot may also be a comma's head.)
POINT_HEIGHT = 0.35
DIGIT_HEIGHT = (0.6, 1.25)  # × the digits' height: the parts counted as digits
# One run of digits, with at most a sign or an opening mark before and a closing one after.
NUMBER = re.compile(r"^([$(+\-#]?)(\d{2,})([%*)]*)$")
# A time of day ("4:00", "10:53"), and one read with a point or comma for its colon.
CLOCK = re.compile(r"^\d{1,2}:[0-5]\d$")
CLOCK_READ = re.compile(r"^(\d{1,2})[.,]([0-5]\d)$")


def inner_mark(
    grey: np.ndarray, quad: np.ndarray, digits: int, small_top: bool = True
) -> tuple[int, str] | None:
    """``(k, mark)``: the ink of the word in ``quad`` holds one dot (``"."``), comma (``","``)
    or colon (``":"``, two dots one over the other) between its digits, ``k`` of the
    ``digits`` to its left; else None. ``small_top``: a colon's upper dot may be any part over
    the lower one down to ``COLON_SPECK`` image px² (a scan's faint top); else both must be ink
    of a size (the smaller at least half the larger), and a smaller part over a dot only keeps
    it from counting.

    grey: uint8 (H, W) image; quad: (4, 2) corners clockwise from the text's top-left."""
    stats, _, _ = ink_components(grey, quad, strip_lines=True, speck=3.0, dot_area=DOT_AREA)
    if len(stats) < 3:
        return None
    heights = stats[:, 3]
    tall = float(np.median(heights[heights >= 0.5 * heights.max()]))  # the digits' height, px
    x, y, cw, ch, area = stats.T
    is_digit = (heights >= DIGIT_HEIGHT[0] * tall) & (heights <= DIGIT_HEIGHT[1] * tall)
    parts = stats[is_digit]
    if len(parts) < 2:
        return None
    base = baseline(parts, stats)  # (N,) the digits' baseline under each part, crop px
    blob = (cw <= DOT_WIDTH * tall) & (area >= 0.4 * cw * ch)
    dots = blob & (ch <= POINT_HEIGHT * tall) & (np.abs(y + ch - base) <= BASELINE * tall)
    commas = comma_shaped(stats, tall, base) & (cw <= DOT_WIDTH * tall)
    found = []
    for k in np.flatnonzero((dots | commas) & ~is_digit):
        left = parts[parts[:, 0] + parts[:, 2] <= x[k] + 1]
        right = parts[parts[:, 0] >= x[k] + cw[k] - 1]
        above_or_below = (x < x[k] + cw[k]) & (x + cw > x[k])  # itself included
        if not (len(left) and len(right)):
            continue
        sizes = area[above_or_below]  # px², the dot's and any part over or under it
        if len(sizes) == 1:
            found.append((left, right, "." if dots[k] else ",", stats[k], base[k]))
        elif (len(sizes) == 2 and dots[k] and colon_dots(stats[above_or_below], tall, base[k])
              and (small_top or sizes.min() >= 0.5 * sizes.max())):  # fmt: skip
            found.append((left, right, ":", stats[k], base[k]))  # a time's colon ("4:00")
    if len(found) != 1:
        return None
    left, right, mark, at, under = found[0]
    if mark != ":":
        # A colon's upper dot can be a pixel or two of a scan ("1:46" on a FUNSD form): any
        # part of COLON_SPECK image px² over the dot makes it a colon if it sits as one, else
        # keeps the word as read.
        fine, _, _ = ink_components(grey, quad, strip_lines=True, speck=COLON_SPECK)
        over = fine[(fine[:, 0] < at[0] + at[2]) & (fine[:, 0] + fine[:, 2] > at[0])
                    & (fine[:, 1] + fine[:, 3] <= at[1])]  # fmt: skip
        upper = small_top and len(over) == 1 and mark == "."
        if upper and colon_dots(np.stack([at, over[0]]), tall, under):
            mark = ":"
        elif len(over):
            return None
    width = parts[:, 2].sum() / digits  # one digit's width, crop px

    def count(group: np.ndarray) -> int:
        return int(sum(max(1, round(w / width)) for w in group[:, 2]))

    before, after = count(left), count(right)
    return (before, mark) if before + after == digits else None


def pointed(grey: np.ndarray, polygon: np.ndarray, text: str) -> str:
    """``text`` with the decimal point, thousands comma or time's colon its ink holds put
    back, where it is read as one run of digits without it, or a time's colon read as a point
    or comma (see the module); else as it is. grey: uint8 (H, W) image; polygon: the word's
    region, (4, 2) corners clockwise from the text's top-left (any other polygon, a curved
    word's, is left as read)."""
    if len(polygon) != 4:
        return text
    quad = np.asarray(polygon, np.float64)
    clock = CLOCK_READ.match(text)
    if clock is not None:  # "4.00": a colon only where both its dots are ink of a size
        hours, minutes = clock.groups()
        found = inner_mark(grey, quad, len(hours) + len(minutes), small_top=False)
        return f"{hours}:{minutes}" if found == (len(hours), ":") else text
    match = NUMBER.match(text)
    if match is None:
        return text
    before, digits, after = match.groups()
    found = inner_mark(grey, quad, len(digits))
    if found is None:
        return text
    at, mark = found
    number = f"{digits[:at]}{mark}{digits[at:]}"
    if mark == "," and not (grouped(number, at) or decimal_comma(number, at)):
        return text
    if mark == ":" and not (CLOCK.match(number) and not before and not after):
        return text
    return f"{before}{number}{after}"


def add_points(image: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with the decimal point, thousands comma or time's colon put back in each
    number read without the one its ink holds (:func:`pointed`). image: RGB uint8 (H, W, 3)
    or its grey."""
    out = list(words)
    grey = None
    for k, w in enumerate(words):
        if w.text is None or len(w.polygon) != 4:
            continue
        if NUMBER.match(w.text) is None and CLOCK_READ.match(w.text) is None:
            continue
        grey = grey_of(image) if grey is None else grey
        text = pointed(grey, w.polygon, w.text)
        if text != w.text:
            out[k] = replace(w, text=text)
    return out
