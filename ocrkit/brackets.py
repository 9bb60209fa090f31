"""A word's bracket that the recogniser dropped, found in the ink beside it: "84)" for "(84)".

On FUNSD's typewritten tables the CRNN often reads a bracketed number or word without one of
its brackets ("(125)" read "125)", "(104)" "(104", "(unencap.)" "unencap.)"; 9 of FUNSD train
forms 1-12's ~1,700 detected words), either because CRAFT's region stops short of a thin
bracket or because the CRNN leaves out the one it was shown. A reading with a closing bracket
and no opening one (or the other way round) is a strong hint, and the ink decides:
``add_brackets`` looks at the ink from ``REACH`` × the word's height before its region (after
it, for a closing bracket) and, where the outermost part on that side is a bracket, puts it
back. A bracket: taller than the letters (``TALL`` × their median height), reaching below their
baseline (``BELOW`` ×) and at least up to their tops, thin (``THIN`` × its own height), alone
across the text (nothing over or under it), clear of the letters and not cut by the crop's edge
(the word before or after). Measured in benchmarks/RESULTS.md §2 "Dropped brackets".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .ink import grey_of, ink_components
from .types import Word

REACH = 1.5  # × the word's height: how far beside its region (a typewriter's "( 84)": ~1.2)
TALL = 1.05  # a bracket is at least this × the letters' median height high
BELOW = 0.08  # and reaches at least this × it below their baseline
THIN = 0.45  # and is at most this × its own height wide
MARGIN = 0.3  # × the region's height: the ink is looked at this much above and below it too
_CLOSED = re.compile(r"\)[.,;:]?$")  # a closing bracket ends the reading


def bracket_beside(grey: np.ndarray, quad: np.ndarray, side: str) -> bool:
    """Whether the outermost ink on ``side`` ("left" or "right") of the word in ``quad``,
    within ``REACH`` × its height of its region, is a bracket (see the module). grey: uint8
    (H, W) image; quad: (4, 2) corners clockwise from the text's top-left."""
    reach = {"before": REACH} if side == "left" else {"extend": REACH}
    # A region is often boxed tight on the letters, and a bracket reaches past them both ways.
    q = np.asarray(quad, np.float64)
    down = (q[3] - q[0] + q[2] - q[1]) / 2 * MARGIN  # along the region's sides
    q = q + np.array([-1, -1, 1, 1])[:, None] * down
    stats, scale, (w, h) = ink_components(grey, q, strip_lines=True, **reach)
    stats = stats[(stats[:, 1] > 0) & (stats[:, 1] + stats[:, 3] < h)]  # not the lines around
    if len(stats) < 2:
        return False
    centres = stats[:, 0] + stats[:, 2] / 2
    k = int(np.argmin(centres) if side == "left" else np.argmax(centres))
    # Where the region itself starts (ends) in the crop: nothing but the bracket may stand
    # beside it, or the bracket is another word's ("(15 + STORES)").
    beside = REACH * float(np.hypot(*(q[3] - q[0]))) * scale
    outside = centres < beside if side == "left" else centres > w - beside
    if outside.sum() > outside[k]:
        return False
    x, y, cw, ch, _ = (int(v) for v in stats[k])
    others = np.delete(stats, k, axis=0)
    letters = others[others[:, 3] >= 0.5 * others[:, 3].max()]
    height = float(np.median(letters[:, 3]))  # the letters' height, crop px
    base = float(np.median(letters[:, 1] + letters[:, 3]))  # their baseline
    top = float(letters[:, 1].min())
    if x <= 0 or x + cw >= w - 1:  # cut by the crop's edge: a neighbouring word
        return False
    if side == "left":
        clear = x + cw <= others[:, 0].min() + 1  # before the letters, not over the first
    else:
        clear = x >= (others[:, 0] + others[:, 2]).max() - 1
    over = (stats[:, 0] < x + cw) & (stats[:, 0] + stats[:, 2] > x)
    return bool(clear and over.sum() == 1 and ch >= TALL * height and cw <= THIN * ch
                and y + ch >= base + BELOW * height and y <= top + 1)  # fmt: skip


def add_brackets(image: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with the opening bracket put back before each reading that closes one it does
    not open, where the ink before the word is one (:func:`bracket_beside`), and the closing
    bracket after each that opens one it does not close; curved polygons are left as read.
    image: RGB uint8 (H, W, 3) or its grey."""
    out = list(words)
    grey = None
    for k, w in enumerate(words):
        text = w.text or ""
        # A closing bracket ends the reading (a mark after it allowed) and none opens; or an
        # opening bracket starts it and none closes. Other brackets make it a misread ("(99}").
        if len(w.polygon) != 4 or any(c in text for c in "[]{}") or not any(map(str.isalnum, text)):
            continue
        left = bool(_CLOSED.search(text)) and text.count(")") == 1 and "(" not in text
        right = text[:1] == "(" and text.count("(") == 1 and ")" not in text
        if not (left or right):
            continue
        grey = grey_of(image) if grey is None else grey
        if left and bracket_beside(grey, w.polygon, "left"):
            out[k] = replace(w, text=f"({text}")
        elif right and bracket_beside(grey, w.polygon, "right"):
            out[k] = replace(w, text=f"{text})")
    return out
