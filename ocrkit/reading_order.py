"""Reading order: words grouped into lines, lines top to bottom, words left to right.

Robust to page skew: centres are first rotated by the dominant text angle (the median angle of
the words' top edges), so lines of a rotated page still group correctly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geometry import polygon_to_quad, quad_size

LINE_OVERLAP = 0.5  # a word joins a line when |Δy| < this × the smaller of the two heights
SEGMENT_GAP = 1.0  # `split_gaps`: a gap wider than this × the line height starts a new segment
REFINE_SKEW = True  # `refined_skew` (False: the boxes' skew alone, as before 2026-12-04)
PAIR_SPAN = 10.0  # × the taller height: the farthest a word's neighbour on its line may be
PAIR_ANGLE = np.radians(10.0)  # a pair's direction within this of the boxes' skew
MIN_PAIRS = 3
SKEW_ROWS = 64  # `refined_skew` compares this many words at a time with all the others
ATTACH_MARKS = True  # `_attach_marks` (False: a small mark's box may stay a line of its own)
MARK_HEIGHT = 0.6  # a line whose words are all below this × another line's height is a mark


def _word_frames(polygons: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (N, 2), heights (N,) and top-edge angles (N, radians) of each polygon's quad."""
    centres, heights, angles = [], [], []
    for poly in polygons:
        # Plain floats (the same doubles as numpy's per-quad arithmetic, sums in the same
        # order): numpy's overhead on 4 × 2 arrays was most of this step's time.
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = polygon_to_quad(poly).astype(np.float64).tolist()
        width, height = quad_size(((x0, y0), (x1, y1), (x2, y2), (x3, y3)))
        centres.append(((x0 + x1 + x2 + x3) / 4, (y0 + y1 + y2 + y3) / 4))
        heights.append(max(height, 1e-3))
        # Only words wider than tall say where the text runs; others get NaN (ignored).
        dx, dy = (x1 - x0) + (x2 - x3), (y1 - y0) + (y2 - y3)
        angles.append(np.arctan2(dy, dx) if width >= height else np.nan)
    return np.array(centres, np.float64).reshape(-1, 2), np.array(heights), np.array(angles)


def _rotated(centres: np.ndarray, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """(N, 2) centres rotated by −theta: (N,) x along the text direction, (N,) y across it."""
    c, s = np.cos(theta), np.sin(theta)
    return c * centres[:, 0] + s * centres[:, 1], -s * centres[:, 0] + c * centres[:, 1]


def refined_skew(centres: np.ndarray, heights: np.ndarray, theta: float) -> float:
    """The page's skew (radians) from the directions between neighbouring words' centres,
    starting from ``theta`` (the words' box angles); ``theta`` where fewer than
    ``MIN_PAIRS`` pairs are found.

    A short word's box says little about its angle: CRAFT's boxes of 2-4 letter words lean
    1-1.5° on a level line, and over a 1000-px line of such words that moves the far end by
    more than half the text height, so the line fell apart in two. The centres of two
    neighbours on one line, a word or more apart, give the direction to ~1 px in that span.
    centres: (N, 2) px; heights: (N,) px."""
    angles = []
    for i, j in enumerate(_line_neighbours(*_rotated(centres, theta), heights).tolist()):
        if j < 0:
            continue
        d = centres[j] - centres[i]
        angle = float(np.arctan2(d[1], d[0]))
        if abs(angle - theta) < PAIR_ANGLE:
            angles.append(angle)
    return float(np.median(angles)) if len(angles) >= MIN_PAIRS else theta


def _line_neighbours(xr: np.ndarray, yr: np.ndarray, heights: np.ndarray) -> np.ndarray:
    """(N,) int: each word's nearest neighbour ahead on its line, −1 where it has none: the
    word least far ahead along the text (the first of equals) within ``PAIR_SPAN`` × the taller
    height, across it by under ``LINE_OVERLAP`` × the smaller one, its height 0.7-1.4 × the
    word's. xr, yr: (N,) px along and across the text; heights: (N,) px."""
    out = np.full(len(xr), -1)
    # SKEW_ROWS words at a time against all: (rows, N) arrays, O(N) memory on pages of many
    # words, and a few numpy calls per block instead of per word.
    for i0 in range(0, len(xr), SKEW_ROWS):
        i1 = min(i0 + SKEW_ROWS, len(xr))
        ahead = xr - xr[i0:i1, None]  # (rows, N) px: each word's distance past the row's word
        h = heights[i0:i1, None]
        ratio = heights / h
        ok = (ahead > 0) & (ahead < PAIR_SPAN * np.maximum(heights, h))
        ok &= np.abs(yr - yr[i0:i1, None]) < LINE_OVERLAP * np.minimum(heights, h)
        ok &= (ratio > 0.7) & (ratio < 1.4)
        nearest = np.where(ok, ahead, np.inf).argmin(axis=1)  # a row without any: column 0
        out[i0:i1] = np.where(ok[np.arange(i1 - i0), nearest], nearest, -1)
    return out


def group_lines(polygons: Sequence[np.ndarray], split_gaps: bool = False) -> list[list[int]]:
    """Indices of ``polygons`` grouped into lines, in reading order.

    With ``split_gaps``, a line is also cut where the gap between neighbouring words exceeds
    ``SEGMENT_GAP`` × the line's median word height: form fields, table cells and columns that
    share a baseline become separate lines, as text-line annotations (FUNSD, receipts) expect.
    """
    if len(polygons) == 0:
        return []
    centres, heights, angles = _word_frames(polygons)
    valid = angles[~np.isnan(angles)]
    theta = float(np.median(valid)) if valid.size else 0.0
    theta = float(np.clip(theta, -np.pi / 4, np.pi / 4))
    if REFINE_SKEW:
        theta = refined_skew(centres, heights, theta)
    xr, yr = _rotated(centres, theta)
    lines: list[list[int]] = []
    line_y: list[float] = []
    line_h: list[float] = []
    ys, hs = yr.tolist(), heights.tolist()  # Python floats: the same doubles, faster one by one
    for idx in np.argsort(yr, kind="stable").tolist():
        y, h = ys[idx], hs[idx]
        best, best_dy = -1, np.inf
        for k in range(len(lines)):
            dy = abs(y - line_y[k])
            if dy < LINE_OVERLAP * min(h, line_h[k]) and dy < best_dy:
                best, best_dy = k, dy
        if best < 0:
            lines.append([idx])
            line_y.append(y)
            line_h.append(h)
        else:
            members = lines[best] + [idx]
            lines[best] = members
            # np.mean's own sum and division, without its checks; the median of floats.
            line_y[best] = float(np.add.reduce(yr[members]) / len(members))
            line_h[best] = _median([hs[i] for i in members])
    spans = _spans(polygons, theta) if ATTACH_MARKS or split_gaps else None
    if ATTACH_MARKS:
        wide = ~np.isnan(angles)
        lines, line_y, line_h = _attach_marks(lines, line_y, line_h, yr, heights, spans, wide)
    order = np.argsort(line_y, kind="stable")
    along = xr.tolist()
    out = [sorted(lines[k], key=along.__getitem__) for k in order]
    if split_gaps:
        out = [seg for k, line in zip(order, out) for seg in _split(line, spans, line_h[k])]
    return out


def _median(values: list[float]) -> float:
    """``np.median(values)`` of a few floats (not NaN): the middle one, or the mean of the two
    middle ones (their sum halved, as numpy's mean of two has it)."""
    ranked = sorted(values)
    m = len(ranked) // 2
    return ranked[m] if len(ranked) % 2 else (ranked[m - 1] + ranked[m]) / 2


def _spans(polygons: Sequence[np.ndarray], theta: float) -> np.ndarray:
    """(N, 2) px: each polygon's extent (lowest, highest) along the text direction."""
    c, s = np.cos(theta), np.sin(theta)
    if len(polygons) and all(np.shape(p) == (4, 2) for p in polygons):  # quads: all at once
        pts = np.asarray(polygons, dtype=np.float64)  # (N, 4, 2)
        along = c * pts[..., 0] + s * pts[..., 1]  # (N, 4)
        return np.stack([along.min(axis=1), along.max(axis=1)], axis=1)
    out = np.empty((len(polygons), 2))
    for i, poly in enumerate(polygons):
        pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        along = c * pts[:, 0] + s * pts[:, 1]
        out[i] = along.min(), along.max()
    return out


def _attach_marks(
    lines: list[list[int]],
    line_y: list[float],
    line_h: list[float],
    yr: np.ndarray,
    heights: np.ndarray,
    spans: np.ndarray,
    wide: np.ndarray,
) -> tuple[list[list[int]], list[float], list[float]]:
    """Lone marks moved into the line of text they sit in.

    A comma, hyphen, period or bullet CRAFT boxes apart is 3-8 px high on a 24-px line and
    sits on its baseline or at mid-height: off the line's centre by more than half its own
    height, so ``group_lines`` made it a line of its own, read after (or before) the line it
    belongs to, and the joins and crop trims never saw it beside its words. A line of one box
    under ``MARK_HEIGHT`` × another line's height and shorter than that height along the text
    (a mark, not a word in a smaller font) joins that line when its centre lies within the
    line's height band and it is within ``SEGMENT_GAP`` line heights of one of the line's
    words wider than tall (not of a tall box alone: a form's number printed sideways in its
    margin is no line of text); the nearest such line by centre offset. The line's centre and
    height stay its text's.
    yr: (N,) px across the text; heights: (N,) px; spans: (N, 2) px along the text; wide: (N,)
    bool, the word's box is wider than tall."""
    ys, hs = np.array(line_y), np.array(line_h)
    target = np.full(len(lines), -1)
    for m, members in enumerate(lines):
        if len(members) != 1:
            continue
        i = members[0]
        length = spans[i, 1] - spans[i, 0]
        dy = np.abs(yr[i] - ys)  # (lines,) px
        fits = (heights[i] < MARK_HEIGHT * hs) & (length < hs) & (dy < 0.5 * hs)
        fits[m] = False
        for k in np.flatnonzero(fits)[np.argsort(dy[fits], kind="stable")]:  # nearest first
            own = [j for j in lines[k] if wide[j]]
            # px along the text to the nearest of line k's words; < 0: overlapping it
            gaps = np.maximum(spans[own, 0] - spans[i, 1], spans[i, 0] - spans[own, 1])
            if own and gaps.min() < SEGMENT_GAP * hs[k]:
                target[m] = k
                break
    merged = [list(line) for line in lines]
    for m in np.flatnonzero(target >= 0):
        root = target[m]
        while target[root] >= 0:  # a mark beside a wider mark: on to that one's line (each
            root = target[root]  # step is to a line over 1/MARK_HEIGHT × taller: no cycle)
        merged[root] += lines[m]
    kept = np.flatnonzero(target < 0)
    return [merged[k] for k in kept], [line_y[k] for k in kept], [line_h[k] for k in kept]


def _split(line: list[int], spans: np.ndarray, height: float) -> list[list[int]]:
    """Cut a line (indices sorted along the text) at gaps > SEGMENT_GAP × its height (px)."""
    if len(line) < 2:
        return [line]
    limit = SEGMENT_GAP * height
    segments, current, right = [], [line[0]], spans[line[0], 1]
    for i in line[1:]:
        if spans[i, 0] - right > limit:
            segments.append(current)
            current = []
        current.append(i)
        right = max(right, spans[i, 1])
    segments.append(current)
    return segments


def reading_order(polygons: Sequence[np.ndarray]) -> list[int]:
    """A permutation of ``range(len(polygons))`` in reading order."""
    return [i for line in group_lines(polygons) for i in line]
