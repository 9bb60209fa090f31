"""Ruling lines erased from a word's crop: box sides, underlines, table lines.

Why: forms, invoices and ID cards put their words in boxes and table cells, over underlines
and under the line of the field above. The detector boxes the letters alone (CRAFT scores
characters, not lines), but the crop's margin (``MARGIN`` × the shorter side) takes in a line a
few pixels off, and the recogniser reads a box's side as a bracket or a letter ("Payment]",
"[treet]", "Customerl") and an underline touching the letters as marks or other letters
("Balance_", "SPECIEICTIOG" for "SPECIFICATION").

:func:`erase_rules` paints such lines with the crop's background. The pipeline reads the
erased crop as well and keeps the more confident reading (``Pipeline(rules="erase")``): where a
rule crosses the letters, erasing it also takes their ink where they overlap it, and the
original reading may then be the surer one (benchmarks/RESULTS.md §2, "Ruling lines").

A rule, in the crop's own frame (the text runs along x; shapes (h, w) in crop pixels):

- horizontal: ink whose runs along x are at least max(``H_RUN`` × w, ``H_RUN_H`` × h) long (a
  morphological opening), in a band at most ``THICK`` × h thick, in the top or bottom ``EDGE``
  of the crop. A long run across the letters' middle (touching letters of a dense scan, a
  strike-through) is left alone;
- vertical: ink whose runs along y span ``V_RUN`` of the height between the horizontal rules
  found (or the crop's edges), within ``END`` × w of either end, reaching both those bounds (a
  box's side; a letter's stem standing on an underline reaches only one), at most ``THICK`` × h
  thick, and apart from the letters (a part of its own once the horizontal rules are out: the
  stem of a "d" at a tight crop's end spans the height too, but joins its bowl).

Both may lean up to 2° (``TILT``: a skewed scan, a box turned by a degree), and only the ink
within the rule's own thickness of its fitted line is erased, so a letter standing on an
underline keeps its stroke down to it. The background within ``FRINGE`` × h of a rule is
painted too, and a box's side is looked for in the faint ink (``FAINT``) at the crop's edges
as well: in a small word's crop, enlarged with Lanczos (the default crop sampling), a line's
anti-aliased edge spreads over several pixels, and a side the crop's edge halves comes out
grey, under the ink's threshold.
"""

from __future__ import annotations

import cv2
import numpy as np

from .types import Recognition

RULES = ("erase", "keep")  # the Pipeline's ``rules`` option

H_RUN = 0.6  # a horizontal rule spans this × the crop's width ...
H_RUN_H = 1.5  # ... and this × its height (longer than any letter's bar)
EDGE = 0.35  # ... and lies in the top or bottom this × the crop's height
V_RUN = 0.9  # a vertical rule spans this × the height between the rules above and below it
END = 0.15  # ... within this × the crop's width of either end
REACH = 0.05  # ... and reaches within this × the height of both (at least 2 px)
THICK = 0.15  # a rule is at most this × the crop's height thick (plus its drift from the tilt)
TILT = np.tan(np.deg2rad(2.0))  # rules may lean this much off the crop's axes (a skewed scan,
# a detector's box turned by a degree): runs are taken over ink thickened across them by this
MIN_CONTRAST = 40  # grey levels between the ink's and the background's means: else no ink to find
MIN_LEFT = 0.3  # the ink left must be this × the crop's ink: else the rule was all there was
KEEP_CHARS = 2  # an erased crop's reading may lose at most this many characters (a box's sides)
FRINGE = 0.05  # the background this × the crop's height round a rule is painted over too
FAINT = 0.25  # a box's halved side: pixels this × the ink's contrast off the background


def _bands(flags: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in a 1-D bool array as [start, end) pairs."""
    if flags.size == 0:
        return []
    # A run's start, then its end, ...: where a flag differs from the one before it, and the
    # array's ends where they are True (a few microseconds on a crop's rows or columns).
    edges = (np.flatnonzero(flags[1:] != flags[:-1]) + 1).tolist()
    if flags[0]:
        edges.insert(0, 0)
    if flags[-1]:
        edges.append(flags.size)
    return list(zip(edges[::2], edges[1::2]))


def ink_mask(crop: np.ndarray) -> np.ndarray | None:
    """Bool (h, w): the crop's ink, the smaller of its two Otsu classes (dark text on a light
    ground or light on dark); None where the two classes differ by under ``MIN_CONTRAST`` grey
    levels (a blank or faded crop: nothing to tell a rule by)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # The classes' sizes and means from the grey levels' histogram (the same sums as masking
    # the pixels, in one pass over them): most crops end here, and a crop is read whole.
    t = int(t)
    hist = np.bincount(grey.ravel(), minlength=256)
    n_dark, n = int(hist[: t + 1].sum()), grey.size
    if n_dark == 0 or n_dark == n:
        return None
    sum_dark = float(hist[: t + 1] @ np.arange(t + 1))
    dark_mean = sum_dark / n_dark
    light_mean = (float(hist @ np.arange(256)) - sum_dark) / (n - n_dark)
    if abs(dark_mean - light_mean) < MIN_CONTRAST:
        return None
    dark = grey <= t
    return dark if n_dark / n < 0.5 else ~dark


def _drift(length: int) -> int:
    """Pixels a rule leaning ``TILT`` drifts across over half of ``length`` (at least 1)."""
    return max(1, int(np.ceil(TILT * length / 2)))


def _runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Bool: the pixels of ``ink`` on runs at least ``length`` long along ``axis`` (1: x, 0: y),
    the runs taken over the ink thickened across them by the drift of a rule leaning ``TILT``
    over that length (a leaning rule's rows each hold only part of it)."""
    # A run that long needs as many consecutive columns (rows, along y) with ink, or half as
    # many at the crop's edge (OpenCV's erosion takes the outside for ink): most crops (a word,
    # no rule) have none, and skip the morphology (the same result, sooner).
    if _longest_run(ink.any(axis=1 - axis), length) < length:
        return np.zeros_like(ink)
    drift = _drift(length)
    across = (2 * drift + 1, 1) if axis == 1 else (1, 2 * drift + 1)
    thick = cv2.dilate(ink.astype(np.uint8), np.ones(across, np.uint8))
    along = (1, length) if axis == 1 else (length, 1)
    return cv2.morphologyEx(thick, cv2.MORPH_OPEN, np.ones(along, np.uint8)).astype(bool) & ink


def _longest_run(flags: np.ndarray, length: int) -> int:
    """The longest run of True in ``flags`` (1-D bool) as an erosion by a ``length`` kernel
    that takes the outside for True sees it: a run at one end ``length // 2 + 1`` longer, a
    run from end to end ``length`` at least (it passes, however short the array)."""
    def seen(a: int, b: int) -> int:
        ends = (a == 0) + (b == flags.size)
        return length if ends == 2 else b - a + (length // 2 + 1) * ends

    return max((seen(a, b) for a, b in _bands(flags)), default=0)


def _side_runs(ink: np.ndarray, span: int, end: int) -> np.ndarray:
    """``_runs(ink, span, axis=0)`` in the outer ``end`` columns on either side, False between.
    Worked out on those columns and the drift's beyond them only: a run along y is a column's
    own, and the thickening across reaches ``drift`` columns, so the result is the same."""
    h, w = ink.shape
    drift = _drift(span)
    vert = np.zeros_like(ink)
    if 2 * (end + drift) >= w:  # the strips meet: the whole crop at once
        vert[:] = _runs(ink, span, axis=0)
        vert[:, end : w - end] = False
        return vert
    vert[:, :end] = _runs(ink[:, : end + drift], span, axis=0)[:, :end]
    vert[:, w - end :] = _runs(ink[:, w - end - drift :], span, axis=0)[:, drift:]
    return vert


def _fit_line(strip: np.ndarray, top: int) -> tuple[float, float, float, tuple[int, int]]:
    """A rule's line through the pixels of ``strip`` (bool (k, w), not empty: rows ``top`` to
    ``top + k`` of the crop): (slope, offset: y = slope × x + offset in the crop's rows,
    thickness (px), [first, last + 1) of its columns) — see ``_line``."""
    ys, xs = np.nonzero(strip)  # in the crop's row-major order, as over the whole crop
    ys += top
    counts = np.bincount(xs, minlength=strip.shape[1])
    thickness = _quartile(counts[counts > 0])
    thin = counts[xs] <= thickness
    if thin.sum() >= 2 and np.ptp(xs[thin]) > 0:
        slope, offset = np.polyfit(xs[thin], ys[thin], 1)
    else:
        slope, offset = 0.0, float(ys.mean())
    return float(slope), float(offset), thickness, (int(xs.min()), int(xs.max()) + 1)


def _line(strip: np.ndarray, top: int, ink: np.ndarray) -> np.ndarray:
    """Bool, ``ink``'s shape: the ink within one rule's thickness of the straight line through
    the pixels of ``strip`` (bool (k, w): rows ``top`` to ``top + k`` of a band of a rule found
    along x, with some letter ink that touches it; the band's other rows are empty).

    The rule's thickness is the first quartile of its columns' pixel counts, and the line is
    fitted on the columns no thicker (the rule alone, not a letter standing on it), so a letter
    on an underline keeps its stroke down to the rule."""
    slope, offset, thickness, (x0, x1) = _fit_line(strip, top)
    half = thickness / 2
    # Distances (px) from the line are worked out only in the window of rows and columns it
    # can reach, ``half`` + 1.5 px round it between the band's ends: nothing outside is near.
    h, w = ink.shape
    ends = slope * np.array([x0, x1 - 1]) + offset
    y0 = max(0, int(np.floor(ends.min() - half - 1.5)) - 1)
    y1 = min(h, int(np.ceil(ends.max() + half + 1.5)) + 2)
    yy, xx = np.arange(y0, y1)[:, None], np.arange(x0, x1)[None, :]
    off = np.abs(yy - (slope * xx + offset))  # (y1 - y0, x1 - x0)
    line = np.zeros_like(ink)
    line[y0:y1, x0:x1] = (off <= half) & ink[y0:y1, x0:x1]
    # Slivers the line's anti-aliased edge leaves (a leaning line's pixels stick out by one):
    # ink parts lying wholly within 1.5 px more of it. A letter reaches further and stays.
    # Such a part lies in the window, so parts are labelled there and in a 1-px ring round
    # it: a part touching the ring may reach beyond (no sliver), one that does not is a
    # whole part of the crop's (its neighbours all lie in the window and the ring).
    r0, r1, c0, c1 = max(0, y0 - 1), min(h, y1 + 1), max(0, x0 - 1), min(w, x1 + 1)
    rest = ink[r0:r1, c0:c1] & ~line[r0:r1, c0:c1]
    n, labels = cv2.connectedComponents(rest.astype(np.uint8), connectivity=8)
    if n == 1:
        return line
    near = np.zeros(rest.shape, bool)
    near[y0 - r0 : y1 - r0, x0 - c0 : x1 - c0] = off <= half + 1.5
    sliver = np.bincount(labels[~near], minlength=n) == 0  # no pixel off the near band
    sliver[0] = False
    if sliver.any():
        line[r0:r1, c0:c1] |= sliver[labels]
    return line


def _quartile(values: np.ndarray) -> float:
    """The first quartile of ``values`` (1-D ints), as ``np.percentile(values, 25)`` has it
    (linear between the two nearest ranks), without its general machinery (a tenth of a
    millisecond a call, more than the rest of a rule's fitting)."""
    ranked = np.sort(values)
    at = 0.25 * (ranked.size - 1)  # exact in floats: a quarter of an integer
    lo = int(at)
    hi = min(lo + 1, ranked.size - 1)
    return float(ranked[lo] + (ranked[hi] - ranked[lo]) * (at - lo))


def faint_mask(grey: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Bool (h, w): ``ink`` and the pixels of ``grey`` (uint8 (h, w)) darker than the background
    by ``FAINT`` of the ink's contrast (or lighter, for light text): the anti-aliased
    half-pixels round the ink."""
    grey = grey.astype(np.float32)
    ground, ink_level = float(np.median(grey[~ink])), float(grey[ink].mean())
    return ink | ((grey - ground) * np.sign(ink_level - ground) >= FAINT * abs(ink_level - ground))


def rule_mask(ink: np.ndarray, grey: np.ndarray | None = None) -> np.ndarray:
    """Bool (h, w): the pixels of ``ink`` (bool (h, w)) that belong to ruling lines. With the
    crop's ``grey`` (uint8 (h, w)), the faint ink (``faint_mask``, worked out only then) in the
    crop's outer ``REACH`` columns between a top and a bottom rule joins the sides' search: a
    box's side that the crop's edge halves comes out grey (a Lanczos-enlarged crop's last
    column at 140 of 255, the ink at 0), under the ink's threshold but read as a letter. Only
    there: elsewhere a letter's stem at a tight crop's end ("l" of "line") would reach the
    crop's top and bottom through its anti-aliased ends."""
    h, w = ink.shape
    length = int(np.ceil(max(H_RUN * w, H_RUN_H * h)))
    horiz = _runs(ink, length, axis=1)
    thick = max(1, int(round(THICK * h + TILT * w)))
    rule = np.zeros_like(ink)
    top, bottom = 0, h  # a box's side runs between its top and bottom rules, or the crop's edges
    for a, b in _bands(horiz.any(axis=1)):
        if b - a > thick:
            continue
        if b <= EDGE * h:
            top = max(top, b)
        elif a >= (1 - EDGE) * h:
            bottom = min(bottom, a)
        else:
            continue  # across the letters' middle
        rule |= _line(horiz[a:b], a, ink)
    span = int(np.ceil(V_RUN * (bottom - top)))
    if span < 8:
        return rule
    reach = max(2, int(round(REACH * h)))
    side_ink = ink
    if grey is not None and top > 0 and bottom < h:  # in a box: its side may be halved
        edges = np.zeros_like(ink)
        edges[:, :reach] = edges[:, w - reach :] = True
        side_ink = ink | (faint_mask(grey, ink) & edges)
    end = max(1, int(round(END * w)))
    vert = _side_runs(side_ink, span, end)
    if not vert.any():
        return rule
    thick = max(1, int(round(THICK * h + TILT * h)))
    # A side stands apart from the letters between the rules along x: a letter's stem at a
    # tight crop's end ("d", "l") spans the height too, but its part has a bowl or an arm.
    # (The rules' rows and ``reach`` more are left out whole: a leaning rule's edge strays
    # past its fitted line and would join the side to it.)
    between = ink & ~rule
    between[: top + reach] = False
    between[max(0, bottom - reach) :] = False
    _, parts, stats, _ = cv2.connectedComponentsWithStats(between.astype(np.uint8), connectivity=8)
    for a, b in _bands(vert.any(axis=0)):
        rows = np.flatnonzero(vert[:, a:b].any(axis=1))
        own = np.unique(parts[:, a:b][vert[:, a:b]])
        widths = stats[own[own > 0], cv2.CC_STAT_WIDTH]  # 0: no part (a rule's rows)
        if (b - a <= thick and rows[0] <= top + reach and rows[-1] >= bottom - 1 - reach
                and (widths <= thick).all()):  # fmt: skip
            rule |= _line(vert[:, a:b].T, a, side_ink.T).T
    return rule


def erased_reads_better(cut: Recognition, erased: Recognition) -> bool:
    """Whether to take the reading of a crop with its rules erased over the crop's as cut: it
    is more confident and keeps all but ``KEEP_CHARS`` of the characters, and at least half
    (spaces aside). Erasing a box's two sides drops at most their two brackets; a scene word's
    "rule" that was the tops of its letters leaves a short, confident misreading ("UNSHAKA"
    read "U", "CANDY" "EI"), which this turns away."""
    n_cut = len(cut.text.replace(" ", ""))
    n_erased = len(erased.text.replace(" ", ""))
    return erased.score > cut.score and n_erased >= max(n_cut - KEEP_CHARS, n_cut / 2)


def erase_rules(crop: np.ndarray) -> np.ndarray:
    """``crop`` (uint8 RGB (h, w, 3) or grey (h, w), the text along x) with its ruling lines
    painted in its background's median colour, their anti-aliased fringe too (the background
    pixels beside them; never the letters' ink). The same object when it has none, so a caller
    can tell by identity whether anything was erased."""
    h, w = crop.shape[:2]
    if h < 8 or w < 8:
        return crop
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    ink = ink_mask(grey)
    if ink is None:
        return crop
    rule = rule_mask(ink, grey)
    if not rule.any() or (ink & ~rule).sum() < MIN_LEFT * ink.sum():
        return crop  # no rule, or the rule was all there was (a lone dash, a line read as a word)
    # The fringe spans a source pixel's worth of the enlarged crop: a Lanczos cut (the default
    # crop sampling) spreads a thin line's anti-aliased edge, and its ringing, over several
    # pixels of a small word's crop, and a grey trace left beside an erased box's side reads
    # as a letter ("Balance" -> "Balanced").
    r = max(1, int(round(FRINGE * h)))
    fringe = cv2.dilate(rule.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    fringe = fringe.astype(bool) & ~ink
    out = crop.copy()
    out[rule | fringe] = _median_colour(crop, ~ink)
    return out


def _median_colour(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Uint8 (channels,): the median of ``image`` (uint8 (h, w, channels) or (h, w)) over
    ``mask`` (bool (h, w), some True) per channel, the two middle values' mean rounded down
    where they are an even number, as ``np.median(image[mask], axis=0).astype(np.uint8)``
    has it. Counted from the masked histograms (OpenCV's, in one pass without gathering the
    pixels): the numpy median sorts them, a quarter of a millisecond on a word's crop."""
    channels = image.reshape(*image.shape[:2], -1)
    m = mask.astype(np.uint8)
    n = int(np.count_nonzero(mask))
    out = np.empty(channels.shape[2], np.uint8)
    for c in range(channels.shape[2]):
        # Channel c of the whole image: a channel's strided view would be copied first.
        hist = cv2.calcHist([channels], [c], m, [256], [0, 256]).ravel()
        cum = np.cumsum(hist, dtype=np.float64)
        low, high = np.searchsorted(cum, [(n - 1) // 2, n // 2], side="right")
        out[c] = (int(low) + int(high)) // 2
    return out
