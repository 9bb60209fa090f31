"""Letter case the recogniser cannot see: same-shape capitals told apart by their height.

``c o s u v w x z`` have one shape in both cases: only their size tells ``so`` from ``SO``. The
CRNN sees each word's crop scaled to 64 px high, so a word of x-height letters cut tight ("us",
"or") fills the crop like capitals, and is read "uS", "Or" (the quick-start page did both).
The page still holds the answer: on one line, a lower-case ``s`` is as tall as ``a``, ``e`` or
``n`` and shorter than the capitals and ascenders (``b d f h k l``) of the words around it.

``mend_case`` measures the height of each word's tallest letter (the tallest ink component of
its crop, cut at least 40 px high so that heights come to a fraction of an image pixel; rule
lines and specks left out) and lowers a word's same-shape capitals when that height is an
x-height on its line: below the midpoint of the line's x-height words (two or more) and its
tall words; else below 0.78 of its tall words' height (two or more); else within 1.1 of its
x-height words'. On FUNSD's scans the capitals of candidate words measured ≥ 0.80 of their
line's tall words and the x-height ones 0.67–0.78 (RESULTS.md). Only readings that
could be all x-height letters (and ``i``, whose dot is a part of its own) are candidates, so
a unit such as "pH" or "kW" (their ``H``, ``W`` stand beside a tall letter) is never one; a
true capital ("So", "OR" on a title line) measures tall and stays; a line without two words
to compare with keeps its readings.

Two readings are raised instead. A same-shape letter read in lower case between a word's
capitals, from the text alone ("DIvISION" → "DIVISION", :func:`raised`). And a capital of its
own shape followed by same-shape letters only ("To:", "No.") whose letters are each at least
0.92 of the capital's height: the CRNN reads a form's "TO:" label as "To:" as often as not
(:func:`raised_by_height`; the word's own first letter is the reference, so no line is needed).

A code's letters are raised too: a reading of 1–3 letters then 4 or more digits, one letter
in lower case ("Bz6113756", "ut5988967" for a card's document number), whose letters stand on
the digits' baseline and reach their top (:func:`raised_code`); letters whose lower case would
too (``b d f h k l t``) are no evidence on their own.

The IC15 end-to-end protocol ignores case; ``ocrkit eval --metric end_to_end_cased`` does not.
Measured on saved predictions in RESULTS.md §2 "Letter case by height".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .ink import grey_of, ink_components
from .reading_order import group_lines
from .types import Word

SAME_SHAPE = frozenset("COSUVWXZ")  # capitals drawn as their lower-case letter, larger
X_HEIGHT = frozenset("acemnorsuvwxz")  # letters within the x-height (and i, its dot aside)
ASCENDERS = frozenset("bdfhkl")
# A word's tallest letter is as tall as the line's capitals where its reading holds one of
# these: ascenders, descenders (x-height + descender ≈ the ascender's span), digits, and
# capitals of their own shape.
TALL = (
    ASCENDERS
    | frozenset("gjpqy0123456789")
    | frozenset(chr(c) for c in range(ord("A"), ord("Z") + 1)) - SAME_SHAPE
)
MARKS = frozenset(".,:;!?'\"-")  # may stand beside a candidate's letters
CODE = re.compile(r"([A-Za-z]{1,3})(\d{4,})")  # a code: letters, then digits ("BZ6113756")
CODE_ALIGN = 0.12  # × the digits' height: a capital's top and foot lie on the digits' lines
ASCENDING = frozenset("bdfhklt")  # lower-case letters whose tops reach about a digit's
MIN_REFERENCE_PX = 6.0  # below this the letters' heights are too coarse to compare
BOTH_MIDPOINT_GAP = 1.15  # tall / x-height must differ by this to split at their midpoint
TALL_ONLY = 0.78  # x-height / capital height: 0.66–0.78 on scans measured, ≥ 0.8 for a capital
X_ONLY = 1.1
SAME_AS_CAPITAL = 0.92  # a letter's height ÷ the word's first capital's: a capital at or above


def candidate(text: str | None) -> bool:
    """A reading with a same-shape capital whose lower-case form is all x-height letters or
    ``i`` ("uS", "Or", "SO", "Via"); not "pH", "kW" (a tall letter beside the capital), not
    "USA" (A is its own shape)."""
    if not text or not any(ch in SAME_SHAPE for ch in text):
        return False
    letters = [ch for ch in text if ch not in MARKS]
    return bool(letters) and all(ch in SAME_SHAPE or ch in X_HEIGHT or ch == "i" for ch in letters)


def _kind(text: str | None) -> str | None:
    """"x": a lower-case reading of x-height letters (or i) with one that has no capital twin of
    its shape (a, e, m, n, r: the CRNN reads those in their case); "tall": a reading holding
    a letter or digit that reaches the capital line; None: neither, or too uncertain."""
    if not text:
        return None
    letters = [ch for ch in text if ch not in MARKS]
    if not letters:
        return None
    if all(ch in X_HEIGHT or ch == "i" for ch in letters) and any(ch in "aemnr" for ch in letters):
        return "x"
    if any(ch in TALL for ch in letters):
        return "tall"
    return None


def letter_spans(grey: np.ndarray, quad: np.ndarray) -> list[tuple[float, float, float]]:
    """(centre x, top, foot) in image pixels along the quad's crop of each of its ink parts,
    left to right (:func:`ocrkit.ink.ink_components`: grey uint8 (H, W) image, quad (4, 2)
    corners)."""
    stats, scale, _ = ink_components(grey, quad)
    order = np.argsort(stats[:, 0] + stats[:, 2] / 2, kind="stable")
    return [(float(stats[k, 0] + stats[k, 2] / 2) / scale, float(stats[k, 1]) / scale,
             float(stats[k, 1] + stats[k, 3]) / scale) for k in order]  # fmt: skip


def letter_parts(grey: np.ndarray, quad: np.ndarray) -> list[float]:
    """Heights in image pixels of the ink parts of the quad's crop, left to right."""
    return [foot - top for _, top, foot in letter_spans(grey, quad)]


def code_candidate(text: str | None) -> bool:
    """A code's reading, 1–3 letters then 4 or more digits, with a letter in lower case
    ("Bz6113756", "ut5988967"): how the CRNN reads a card's document number now and then."""
    match = CODE.fullmatch(text or "")
    return bool(match) and any(ch.islower() for ch in match.group(1))


def raised_code(text: str, spans: Sequence[tuple[float, float, float]]) -> str:
    """A :func:`code_candidate` reading with its letters in capitals where its ink shows them:
    one part per character (parts under 0.4 of the tallest left out), each letter's top and
    foot within ``CODE_ALIGN`` × the digits' height of the lines through the digits' tops and
    feet (fitted, so a slanted crop does not matter), and at least one letter read in lower
    case one whose lower case would stand lower (not ``b d f h k l t``, which reach about as
    high): "Bz6113756" → "BZ6113756". An x-height letter's top stands ~0.25 of the height low and a
    descender's foot as much below the line, so "May2008" and "kg1234" are left as read.
    ``spans``: :func:`letter_spans` of the word."""
    match = CODE.fullmatch(text)
    if not match or not spans:
        return text
    tallest = max(foot - top for _, top, foot in spans)
    parts = [s for s in spans if s[2] - s[1] >= 0.4 * tallest]
    letters = match.group(1)
    if len(parts) != len(text) or all(ch.isupper() or ch in ASCENDING for ch in letters):
        return text
    xs, tops, feet = (np.array(v, np.float64) for v in zip(*parts[len(letters) :]))
    height = float(np.median(feet - tops))
    if height < MIN_REFERENCE_PX:
        return text
    top_line, foot_line = np.polyfit(xs, tops, 1), np.polyfit(xs, feet, 1)
    for x, top, foot in parts[: len(letters)]:
        off = max(abs(top - np.polyval(top_line, x)), abs(foot - np.polyval(foot_line, x)))
        if off > CODE_ALIGN * height:
            return text
    return letters.upper() + match.group(2)


def capital_first(text: str | None) -> bool:
    """A capital of its own shape followed by same-shape lower-case letters only ("To:",
    "No.", "Nov"): how the CRNN reads a form's "TO:" label as often as not."""
    letters = [ch for ch in text or "" if ch not in MARKS]
    return (
        len(letters) >= 2
        and letters[0].isupper()
        and letters[0] not in SAME_SHAPE
        and all(ch.upper() in SAME_SHAPE and ch.islower() for ch in letters[1:])
    )


def raised_by_height(text: str, parts: Sequence[float]) -> str:
    """A :func:`capital_first` reading in capitals where its letters are as tall as its first
    (each ≥ ``SAME_AS_CAPITAL`` of it), its ink falling into one part per letter (marks' dots
    under 0.4 of the tallest part left out): "To:" → "TO:" on a fax form's label. Measured on
    FUNSD, "TO"/"NO." gave 0.93–1.14 and "To"/"No."/"Box" 0.60–0.90."""
    if not parts:
        return text
    heights = [h for h in parts if h >= 0.4 * max(parts)]
    letters = [ch for ch in text if ch not in MARKS]
    if len(heights) != len(letters) or heights[0] < MIN_REFERENCE_PX:
        return text
    if min(heights[1:]) < SAME_AS_CAPITAL * heights[0]:
        return text
    return text.upper()


def is_x_height(height: float, x_refs: Sequence[float], tall_refs: Sequence[float]) -> bool:
    """Whether a word's tallest letter (``height`` px) is an x-height on a line whose x-height
    words measure ``x_refs`` and tall words ``tall_refs`` (px)."""
    # One reference word of a kind is too often a misreading (a "moreccer" with a tall letter).
    x = float(np.median(x_refs)) if len(x_refs) >= 2 else None
    tall = float(np.median(tall_refs)) if len(tall_refs) >= 2 else None
    if x is not None and tall is not None and tall >= BOTH_MIDPOINT_GAP * x >= MIN_REFERENCE_PX:
        return height < (x + tall) / 2
    if tall is not None and tall >= MIN_REFERENCE_PX:
        return height < TALL_ONLY * tall
    if x is not None and x >= MIN_REFERENCE_PX:
        return height <= X_ONLY * x
    return False


def lowered(text: str) -> str:
    """The same-shape capitals of ``text`` in lower case ("uS" → "us", "Or" → "or")."""
    return "".join(ch.lower() if ch in SAME_SHAPE else ch for ch in text)


def raised(text: str) -> str:
    """Same-shape lower-case letters between the capitals of a word of capitals raised:
    ``"DIvISION"`` → ``"DIVISION"`` (the CRNN reads one letter of a capitals word in lower
    case when its crop is narrow). Only where the word holds two capitals of their own shape,
    and never at the word's end: "IDs", "PCs", "GHz" and "CoA" stay as they are."""
    letters = [(i, ch) for i, ch in enumerate(text) if ch.isalpha()]
    low = [i for i, ch in letters if ch.islower()]
    if not low or any(text[i].upper() not in SAME_SHAPE for i in low):
        return text
    up = [i for i, ch in letters if ch.isupper()]
    if sum(text[i] not in SAME_SHAPE for i in up) < 2 or not up[0] < low[0] <= low[-1] < up[-1]:
        return text
    return "".join(ch.upper() if i in low else ch for i, ch in enumerate(text))


def mend_case(image: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with their same-shape letters' case mended (see the module): raised inside a
    word of capitals (:func:`raised`) and after a first capital they are as tall as
    (:func:`raised_by_height`); a candidate reading's capitals lowered where its letters are
    an x-height on its line (:func:`is_x_height`). Words with curved polygons are left out
    (their quad's height is not the letters'). image: RGB uint8 (H, W, 3) or its grey."""
    out = [replace(w, text=raised(w.text)) if w.text else w for w in words]
    flat = [k for k, w in enumerate(out) if len(w.polygon) == 4]
    if not any(candidate(out[k].text) or capital_first(out[k].text) or code_candidate(out[k].text)
               for k in flat):  # fmt: skip
        return out
    grey = grey_of(image)
    spans: dict[int, list[tuple[float, float, float]]] = {}  # word → its ink parts, measured once

    def spans_of(k: int) -> list[tuple[float, float, float]]:
        if k not in spans:
            spans[k] = letter_spans(grey, out[k].polygon)
        return spans[k]

    def parts_of(k: int) -> list[float]:
        return [foot - top for _, top, foot in spans_of(k)]

    for k in flat:
        if capital_first(out[k].text):
            out[k] = replace(out[k], text=raised_by_height(out[k].text or "", parts_of(k)))
        elif code_candidate(out[k].text):
            out[k] = replace(out[k], text=raised_code(out[k].text or "", spans_of(k)))
    flat_set = set(flat)
    for line in group_lines([w.polygon for w in out]):
        quads = [k for k in line if k in flat_set]
        todo = [k for k in quads if candidate(out[k].text)]
        if not todo:
            continue
        refs: dict[str, list[float]] = {"x": [], "tall": []}
        for k in quads:
            kind = _kind(out[k].text)
            if kind and parts_of(k):
                refs[kind].append(max(parts_of(k)))
        for k in todo:
            if parts_of(k) and is_x_height(max(parts_of(k)), refs["x"], refs["tall"]):
                out[k] = replace(out[k], text=lowered(out[k].text or ""))
    return out
