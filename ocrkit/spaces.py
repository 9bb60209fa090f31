"""Words the detector merged, split where the recogniser read (or offers) a space.

CRAFT links neighbouring characters whose gap its affinity map bridges, and on a dense page
that includes the space between two words set close: on a FUNSD fax form "PAGE 1 OF 2" came as
"PAGE", "1" and "OF 2". Where the CRNN reads the space, the region's reading is two words
sharing a box. ``split_spaced`` gives each token its own box, cut at the region's widest ink
gaps: one gap per space, each clearly wider than the gaps between the letters, and each piece
about as wide per character as the others (else the region stays whole: a reading's space does
not always stand for a gap the ink shows, "Per foration"). An underline touching the letters is
taken out of the ink first, or it would join them all into one part. A piece's box spans its
ink along the region and the region's full height, with the margin the detector left at the
region's ends, so that split words are boxed as their unmerged neighbours are. Measured on
saved predictions in RESULTS.md §2 "Words CRAFT merged".

More often the CRNN reads such a region without the space ("FAXNO:", "YOUDO"). Where the
recogniser offers the reading spaced between two known words (``Recognition.spaced``, the
CRNN's ``lexicon_split_margin``), the region is split the same way when its ink shows the gap,
and otherwise keeps its reading whole: a word whose letters spell two words ("Cathay") shows
no such gap.

Only straight regions (4 corners) at least as long as they are high are split: their text runs
along the first edge. Curved regions and words read on their side keep their boxes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import cv2
import numpy as np

from .geometry import quad_size
from .ink import ink_components
from .types import Word

# A cut's gap at least this × the region's height (crop px: ink_components cuts the quad
# with no margin), and at least WIDER × the widest gap left inside the pieces.
MIN_GAP = 0.15
WIDER = 1.5
# Each piece's width per character within this factor of the others' (marks-only tokens,
# ":" or "-", aside: their widths say little).
PITCH_RATIO = 3.0


def split_spaced(
    grey: np.ndarray, words: Sequence[Word], spaced: Mapping[Word, str] | None = None
) -> list[Word]:
    """``words`` with each straight region read as several space-separated tokens replaced by
    one word per token, in reading order, where its ink shows the gaps (see the module).
    grey: the image's uint8 (H, W) grey; spaced: a word read without a space → its text with
    the spaces the recogniser offers (``Recognition.spaced``), taken only where the ink shows
    those gaps too."""
    out: list[Word] = []
    for word in words:
        offered = (spaced or {}).get(word)
        if offered and word.text and " " not in word.text and offered.replace(" ", "") == word.text:
            parts = _split(grey, replace(word, text=offered))
            out += parts if len(parts) > 1 else [word]
        else:
            out += _split(grey, word)
    return out


def _split(grey: np.ndarray, word: Word) -> list[Word]:
    tokens = (word.text or "").split()
    if len(tokens) < 2 or len(word.polygon) != 4:
        return [word]
    quad = np.asarray(word.polygon, np.float64)
    length, height = quad_size(quad)
    if length < height:
        return [word]
    stats, _, (w, h) = ink_components(grey, quad, strip_lines=True)
    cuts = ink_cuts(stats, w, h, tokens)
    if cuts is None:
        return [word]
    return [replace(word, polygon=part_of(quad, a / w, b / w), text=t)
            for (a, b), t in zip(cuts, tokens)]  # fmt: skip


def ink_runs(stats: np.ndarray) -> list[tuple[int, int]]:
    """Column spans [start, end) covered by ink, left to right, from ink components'
    (N, 5) x, y, width, height, area rows."""
    runs: list[list[int]] = []
    for x, width in sorted((int(s[0]), int(s[2])) for s in stats):
        if runs and x <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], x + width)
        else:
            runs.append([x, x + width])
    return [(a, b) for a, b in runs]


def ink_cuts(
    stats: np.ndarray, width: int, height: int, tokens: Sequence[str]
) -> list[tuple[float, float]] | None:
    """Per token its span [a, b) in crop columns, or None where the ink does not show one
    clear gap per space. stats: the crop's ink components (:func:`ocrkit.ink.ink_components`),
    width × height: the crop's size in px."""
    runs = ink_runs(stats)
    cuts_needed = len(tokens) - 1
    if len(runs) <= cuts_needed:
        return None
    gaps = np.array([runs[i + 1][0] - runs[i][1] for i in range(len(runs) - 1)], np.float64)
    order = np.argsort(-gaps, kind="stable")
    chosen = np.sort(order[:cuts_needed])
    inner = gaps[order[cuts_needed:]]
    narrowest = gaps[chosen].min()
    if narrowest < MIN_GAP * height or (inner.size and narrowest < WIDER * inner.max()):
        return None
    # Ink spans of the pieces: run indices [first, last] between the cuts.
    bounds = [0, *(int(c) + 1 for c in chosen), len(runs)]
    spans = [(runs[a][0], runs[b - 1][1]) for a, b in zip(bounds[:-1], bounds[1:])]
    pitches = [(b - a) / len(t) for (a, b), t in zip(spans, tokens) if any(c.isalnum() for c in t)]
    if len(pitches) >= 2 and max(pitches) > PITCH_RATIO * min(pitches):
        return None
    # The margin the detector left at the region's ends, given to the pieces at the cuts too
    # (at most half the gap, so that neighbours never overlap).
    pad = (spans[0][0] + (width - spans[-1][1])) / 2
    out = []
    for k, (a, b) in enumerate(spans):
        left = 0.0 if k == 0 else a - min(pad, gaps[chosen[k - 1]] / 2)
        right = float(width) if k == len(spans) - 1 else b + min(pad, gaps[chosen[k]] / 2)
        out.append((left, right))
    return out


def part_of(quad: np.ndarray, start: float, end: float) -> np.ndarray:
    """The part of a TL, TR, BR, BL quad between fractions ``start`` and ``end`` of its length,
    its full height, as the perspective crop of the quad sees it: (4, 2) float32 corners."""
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    to_quad = cv2.getPerspectiveTransform(unit, quad.astype(np.float32))
    pts = np.array([[[start, 0], [end, 0], [end, 1], [start, 1]]], np.float32)
    return cv2.perspectiveTransform(pts, to_quad)[0]
