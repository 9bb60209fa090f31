"""Curved 14-point polygons around words (SPEC §1.5, the reference ``getPoly_core``), numpy/cv2.

The word's label mask is warped into its box frame; 5 pivots (the tallest column in each odd
segment of 11) give the local centre line and direction; each pivot becomes a segment across the
text of half-length median_height × 1.45 / 2; end caps are pushed outward until a 1-px line no
longer touches the mask. Any failure returns None and the caller keeps the 4-point box.

``bow`` measures how curved such a polygon is, for ``poly=auto``: keep the polygon only where
the word really bends, the reference box everywhere else.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .ring import ring_polygon

NUM_PIVOTS = 5
MAX_LEN_RATIO = 0.7  # bail when a column spans more than this × box height (a box suffices)
EXPAND_RATIO = 1.45  # pivot segment length / median character height
MAX_R, STEP_R = 2.0, 0.2  # end-cap search: offsets r × char height, r = 0.5, 0.7, … < 2.0
CURVED_BOW = 0.4  # poly=auto keeps a polygon whose bow() reaches this (word heights)


def split_chains(polygon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top chain (left → right) and bottom chain (left → right) of a clockwise polygon with an
    even number of points, as CRAFT's 14-point polygons: first half top, second half bottom."""
    k = len(polygon) // 2
    return polygon[:k], polygon[k:][::-1]


def bow(polygon: np.ndarray) -> float:
    """How far a word's centre line bends, in word heights: the largest distance of the centre
    line from the chord joining its ends, over the mean top-to-bottom distance.

    ``polygon``: (2K, 2), K points along the top edge left → right, then K along the bottom
    right → left (CRAFT's 14-point layout). A straight word scores ~0.1 (its pivots follow
    ascenders and descenders), a word on an arc 3–4 word heights in radius 0.6–1.3.
    """
    top, bottom = split_chains(np.asarray(polygon, dtype=np.float64))
    centre = (top + bottom) / 2  # (K, 2)
    height = float(np.linalg.norm(top - bottom, axis=1).mean())
    chord = centre[-1] - centre[0]
    length = float(np.linalg.norm(chord))
    if height <= 0 or length <= 0:
        return 0.0
    normal = np.array([-chord[1], chord[0]]) / length
    return float(np.abs((centre - centre[0]) @ normal).max() / height)


def along_text(box: np.ndarray) -> np.ndarray:
    """``box`` (4, 2), clockwise, with its corners rolled so its first edge is a long side
    running left to right: the polygon step follows the text along that edge, so a word steeper
    than 45° (its first edge the short one) would otherwise be given up as too tall. A box whose
    first edge already is (every word within 45° of horizontal) is returned as it is."""
    for k in (0, 1, 3, 2):
        rolled = np.roll(box, -k, axis=0) if k else box
        first, second = rolled[1] - rolled[0], rolled[2] - rolled[1]
        if np.linalg.norm(first) >= np.linalg.norm(second) and first[0] >= 0:
            return rolled
    return box


def outline(box: np.ndarray, labels: np.ndarray, label_id: int, poly: bool | str) -> np.ndarray:
    """A word's output shape in heat-map pixels: its (4, 2) ``box``, or a (14, 2) polygon of
    component ``label_id`` per the ``poly`` option. ``True``: the reference's ``--poly``, a
    polygon wherever its column-wise step can follow the word. ``"auto"``: a polygon only where
    the word bends; one whose mask fills a ring (bent round a circle, :mod:`.ring`) gets the
    ring's, as on such a bend the column-wise step gives up or cuts the end letters aslant."""
    if poly == "auto":
        shape = ring_polygon(box, labels, label_id)
        if shape is None:
            shape = word_polygon(along_text(box), labels, label_id)
            shape = shape if shape is not None and bow(shape) >= CURVED_BOW else None
    else:
        shape = word_polygon(box, labels, label_id) if poly else None
    return box if shape is None else shape


def _warp_point(inv: np.ndarray, x: float, y: float) -> np.ndarray:
    """Map a point through a homography with the homogeneous divide."""
    out = inv @ np.array([x, y, 1.0])
    return np.array([out[0] / out[2], out[1] / out[2]])


def _column_profile(mask: np.ndarray) -> tuple[list[tuple[int, int, int]], int]:
    """(x, first row, last row) for each column with ≥ 2 mask pixels, and the tallest extent."""
    has = mask != 0
    counts = has.sum(axis=0)
    cols = np.nonzero(counts >= 2)[0]
    if cols.size == 0:
        return [], -1
    first = has.argmax(axis=0)
    last = has.shape[0] - 1 - has[::-1].argmax(axis=0)
    profile = [(int(x), int(first[x]), int(last[x])) for x in cols]
    max_len = int((last[cols] - first[cols] + 1).max())
    return profile, max_len


def _pivots(profile: list[tuple[int, int, int]], seg_w: float):
    """Average centre per segment and the tallest column of each odd segment (reference loop)."""
    n_seg = 2 * NUM_PIVOTS + 1
    pivots: list[tuple[float, float] | None] = [None] * NUM_PIVOTS
    sections = [[0.0, 0.0] for _ in range(n_seg)]
    heights = [0] * NUM_PIVOTS
    seg, count, prev_h = 0, 0, -1
    for x, top, bottom in profile:
        if (seg + 1) * seg_w <= x and seg <= n_seg:
            if count == 0:
                break
            sections[seg] = [sections[seg][0] / count, sections[seg][1] / count]
            count, prev_h = 0, -1
            seg += 1
        cy = (top + bottom) * 0.5
        cur_h = bottom - top + 1
        sections[seg] = [sections[seg][0] + x, sections[seg][1] + cy]
        count += 1
        if seg % 2 == 0:
            continue
        if prev_h < cur_h:
            pivots[(seg - 1) // 2] = (x, cy)
            heights[(seg - 1) // 2] = cur_h
            prev_h = cur_h
    if count != 0:
        sections[-1] = [sections[-1][0] / count, sections[-1][1] / count]
    return pivots, sections, heights


def _cap(mask: np.ndarray, segment: np.ndarray, grad: float, sign: float, half_h: float):
    """Push a pivot segment outward (sign −1: start, +1: end) until it clears the mask."""
    for r in np.arange(0.5, MAX_R, STEP_R):
        dx = 2 * half_h * r
        p = segment + sign * np.array([dx, grad * dx, dx, grad * dx])
        line = np.zeros(mask.shape, dtype=np.uint8)
        cv2.line(line, (int(p[0]), int(p[1])), (int(p[2]), int(p[3])), 1, thickness=1)
        if not np.logical_and(mask, line).any() or r + 2 * STEP_R >= MAX_R:
            return p
    return None


def word_polygon(box: np.ndarray, labels: np.ndarray, label_id: int) -> np.ndarray | None:
    """A (14, 2) float64 polygon in heat-map pixels for one word box, or None to keep the box."""
    w = int(np.linalg.norm(box[0] - box[1]) + 1)
    h = int(np.linalg.norm(box[1] - box[2]) + 1)
    if w < 10 or h < 10:
        return None
    target = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(box.astype(np.float32), target)
    word_label = cv2.warpPerspective(labels, matrix, (w, h), flags=cv2.INTER_NEAREST)
    try:
        inv = np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return None
    mask = (word_label == label_id).astype(np.uint8)
    profile, max_len = _column_profile(mask)
    if h * MAX_LEN_RATIO < max_len:
        return None
    seg_w = w / (2 * NUM_PIVOTS + 1)
    pivots, sections, heights = _pivots(profile, seg_w)
    if any(p is None for p in pivots) or seg_w < max(heights) * 0.25:
        return None
    half_h = float(np.median(heights)) * EXPAND_RATIO / 2
    segments = []
    for i, (x, cy) in enumerate(pivots):  # type: ignore[misc]
        dx = sections[i * 2 + 2][0] - sections[i * 2][0]
        dy = sections[i * 2 + 2][1] - sections[i * 2][1]
        if dx == 0:
            segments.append(np.array([x, cy - half_h, x, cy + half_h]))
            continue
        rad = -math.atan2(dy, dx)
        c, s = half_h * math.cos(rad), half_h * math.sin(rad)
        segments.append(np.array([x - s, cy - c, x + s, cy + c]))
    p = pivots
    with np.errstate(divide="ignore", invalid="ignore"):
        grad_s = (p[1][1] - p[0][1]) / (p[1][0] - p[0][0]) + (p[2][1] - p[1][1]) / (p[2][0] - p[1][0])
        grad_e = (p[-2][1] - p[-1][1]) / (p[-2][0] - p[-1][0]) + (p[-3][1] - p[-2][1]) / (
            p[-3][0] - p[-2][0]
        )
    if not (np.isfinite(grad_s) and np.isfinite(grad_e)):
        return None
    start = _cap(mask, segments[0], grad_s, -1.0, half_h)
    end = _cap(mask, segments[-1], grad_e, +1.0, half_h)
    if start is None or end is None:
        return None
    top = [start[:2]] + [s[:2] for s in segments] + [end[:2]]
    bottom = [end[2:]] + [s[2:] for s in reversed(segments)] + [start[2:]]
    return np.array([_warp_point(inv, x, y) for x, y in top + bottom])
