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
ATTACH_MARKS = True  # `_attach_marks` (False: a small mark's box may stay a line of its own)
MARK_HEIGHT = 0.6  # a line whose words are all below this × another line's height is a mark


def _word_frames(polygons: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (N, 2), heights (N,) and top-edge angles (N, radians) of each polygon's quad."""
    centres, heights, angles = [], [], []
    for poly in polygons:
        quad = polygon_to_quad(poly).astype(np.float64)
        width, height = quad_size(quad)
        d = (quad[1] - quad[0]) + (quad[2] - quad[3])
        centres.append(quad.mean(axis=0))
        heights.append(max(height, 1e-3))
        # Only words wider than tall say where the text runs; others get NaN (ignored).
        angles.append(np.arctan2(d[1], d[0]) if width >= height else np.nan)
    return np.array(centres).reshape(-1, 2), np.array(heights), np.array(angles)


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
    xr, yr = _rotated(centres, theta)
    angles = []
    for i in range(len(centres)):  # one row at a time: O(N) memory on pages of many words
        ahead = xr - xr[i]  # (N,) px: each word's distance along the text past word i
        ratio = heights / heights[i]
        ok = (ahead > 0) & (ahead < PAIR_SPAN * np.maximum(heights, heights[i]))
        ok &= np.abs(yr - yr[i]) < LINE_OVERLAP * np.minimum(heights, heights[i])
        ok &= (ratio > 0.7) & (ratio < 1.4)
        if not ok.any():
            continue
        j = int(np.flatnonzero(ok)[np.argmin(ahead[ok])])
        d = centres[j] - centres[i]
        angle = float(np.arctan2(d[1], d[0]))
        if abs(angle - theta) < PAIR_ANGLE:
            angles.append(angle)
    return float(np.median(angles)) if len(angles) >= MIN_PAIRS else theta


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
    for idx in np.argsort(yr, kind="stable"):
        best, best_dy = -1, np.inf
        for k in range(len(lines)):
            dy = abs(yr[idx] - line_y[k])
            if dy < LINE_OVERLAP * min(heights[idx], line_h[k]) and dy < best_dy:
                best, best_dy = k, dy
        if best < 0:
            lines.append([int(idx)])
            line_y.append(float(yr[idx]))
            line_h.append(float(heights[idx]))
        else:
            members = lines[best] + [int(idx)]
            lines[best] = members
            line_y[best] = float(np.mean(yr[members]))
            line_h[best] = float(np.median(heights[members]))
    spans = _spans(polygons, theta) if ATTACH_MARKS or split_gaps else None
    if ATTACH_MARKS:
        wide = ~np.isnan(angles)
        lines, line_y, line_h = _attach_marks(lines, line_y, line_h, yr, heights, spans, wide)
    order = np.argsort(line_y, kind="stable")
    out = [sorted(lines[k], key=lambda i: xr[i]) for k in order]
    if split_gaps:
        out = [seg for k, line in zip(order, out) for seg in _split(line, spans, line_h[k])]
    return out


def _spans(polygons: Sequence[np.ndarray], theta: float) -> np.ndarray:
    """(N, 2) px: each polygon's extent (lowest, highest) along the text direction."""
    c, s = np.cos(theta), np.sin(theta)
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
