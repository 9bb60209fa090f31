"""A dollar sign the recogniser read as a digit or an "s", told apart by its height.

The CRNN reads the "$" before an amount as "5", "8", "s" or "S" ("$958.65" read "8958.65",
"$29.44" read "529.44"; ``benchmarks/bench_tokens.py``'s prices). Its shape is an S, but a
"$" reaches above the digits' tops and below their baseline, where a 5, an 8 or an S stands
between them and an "s" is shorter. ``mend_dollars`` measures, for each reading of an amount
whose first character is one of those ("8958.65", "s1,045.00", "514,123"), the first character's ink
against the other digits' in the word's crop, and puts back the "$" where it reaches from
their tops to ``OVER`` × their height below their baseline (a word's crop often cuts the
"$" at its top, seldom at its bottom).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .ink import grey_of, ink_components
from .types import Word

# A price, its "$" misread: with cents ("8958.65", "s1,045.00"), or whole dollars grouped by
# thousands commas ("514,123" for "$14,123"); a bare "5500" may be a number, and is left alone.
AMOUNT = re.compile(r"[58sS](?:(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d|\d{1,3}(?:,\d{3})+)")
# × the digits' height: a "$" reaches at least this far below their baseline, from a top at
# most this far below theirs (DejaVu's: 0.1–0.15 below, its top level with theirs or above).
OVER = 0.08
MAX_SLOPE = 0.1  # the digits' slope across the crop (~6°) beyond which it is no tilt but noise


def dollar_first(grey: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the word in ``quad`` starts with ink that reaches from its digits' tops to
    below their baseline (grey: uint8 (H, W) image; quad: (4, 2) corners clockwise from the
    text's top-left). The first character is the leftmost ink part with every part that
    overlaps it across the text (a "$" whose stroke shows only above and below its S)."""
    stats, _, _ = ink_components(grey, quad)
    if len(stats) < 3:
        return False
    first = int(np.argmin(stats[:, 0]))
    x0, x1 = stats[first, 0], stats[first, 0] + stats[first, 2]
    mine = (stats[:, 0] < x1) & (stats[:, 0] + stats[:, 2] > x0)
    rest = stats[~mine]
    digits = rest[rest[:, 3] >= 0.7 * rest[:, 3].max()] if len(rest) else rest
    if len(digits) < 2:
        return False
    # On a page tilted by a degree or two an upright box's digits drift up or down across the
    # crop (1.2° over "$12.50" at 20 px: 2.5 crop px, as much as ``OVER``), so their tops and
    # baseline are taken where the first character stands, along the digits' slope.
    cx = digits[:, 0] + digits[:, 2] / 2  # (D,) centres, crop px
    tops, bases = digits[:, 1].astype(float), (digits[:, 1] + digits[:, 3]).astype(float)
    slope = float(np.polyfit(cx, (tops + bases) / 2, 1)[0]) if len(digits) >= 3 else 0.0
    slope = float(np.clip(slope, -MAX_SLOPE, MAX_SLOPE))
    at = (x0 + x1) / 2
    top = float(np.median(tops - slope * cx)) + slope * at
    base = float(np.median(bases - slope * cx)) + slope * at
    over = OVER * (base - top)
    reach_top, reach_bottom = stats[mine, 1].min(), (stats[mine, 1] + stats[mine, 3]).max()
    return bool(reach_top <= top + over and reach_bottom >= base + over)


def mend_dollars(image: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with the first character of each amount read "5", "8", "s" or "S" made "$"
    where the ink says so (:func:`dollar_first`); other words and curved polygons as they are.
    image: RGB uint8 (H, W, 3) or its grey."""
    out = list(words)
    todo = [k for k, w in enumerate(words)
            if w.text and AMOUNT.fullmatch(w.text) and len(w.polygon) == 4]  # fmt: skip
    if not todo:
        return out
    grey = grey_of(image)
    for k in todo:
        if dollar_first(grey, words[k].polygon):
            out[k] = replace(words[k], text="$" + (words[k].text or "")[1:])
    return out
