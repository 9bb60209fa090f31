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


def outline(
    box: np.ndarray, labels: np.ndarray, label_id: int, poly: bool | str, area: int | None = None
) -> np.ndarray:
    """A word's output shape in heat-map pixels: its (4, 2) ``box``, or a (14, 2) polygon of
    component ``label_id`` per the ``poly`` option. ``True``: the reference's ``--poly``, a
    polygon wherever its column-wise step can follow the word. ``"auto"``: a polygon only where
    the word bends; one whose mask fills a ring (bent round a circle, :mod:`.ring`) gets the
    ring's, as on such a bend the column-wise step gives up or cuts the end letters aslant.
    ``area``: the component's pixel count, where known (it spares the ring's search)."""
    if poly == "auto":
        shape = ring_polygon(box, labels, label_id, area)
        if shape is None:
            shape = word_polygon(along_text(box), labels, label_id, min_bow=CURVED_BOW)
            shape = shape if shape is not None and bow(shape) >= CURVED_BOW else None
    else:
        shape = word_polygon(box, labels, label_id) if poly else None
    return box if shape is None else shape


def _warp_point(inv: np.ndarray, x: float, y: float) -> np.ndarray:
    """Map a point through a homography with the homogeneous divide."""
    out = inv @ np.array([x, y, 1.0])
    return np.array([out[0] / out[2], out[1] / out[2]])


def _column_profile(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column with ≥ 2 mask pixels: its x, first and last row (int arrays, x ascending)."""
    has = mask != 0
    cols = np.nonzero(has.sum(axis=0) >= 2)[0]
    first = has.argmax(axis=0)[cols]
    last = has.shape[0] - 1 - has[::-1].argmax(axis=0)[cols]
    return cols, first, last


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


def _bow_at_most(
    pivots: list[tuple[float, float]], grads: tuple[float, float], half_h: float, inv: np.ndarray
) -> float:
    """An upper bound on ``bow`` of the polygon ``word_polygon`` would make from these pivots
    (box-frame px, x ascending), end-cap slopes and half height, mapped to the map by ``inv``
    (3, 3); ``inf`` where no bound is found.

    Why it bounds: the polygon's centre line is the pivots plus the two end caps' centres, each
    a pivot moved along its cap's slope by 2·``half_h``·r, r < ``MAX_R`` (``_cap``), beyond
    the end pivots. Every centre point lies between the caps along x, so its offset across the
    chord (the caps' centres joined) is at most R, the centre points' spread in y. The map's
    affine part L takes that offset to at most R·|L e_y| and each cross-section (2·``half_h``
    long in the box frame) to at least 2·``half_h``·σ_min(L); its perspective part (float
    rounding of a box's corners) moves each point by at most ``slack`` px, allowed for."""
    ys = [cy for _, cy in pivots]
    # A cap's centre: its end pivot's cy moved by ∓grad·2·half_h·r (start −, end +), r from
    # 0.5 to under MAX_R, so between the two ends of that range.
    for cy, step in ((ys[0], -grads[0]), (ys[-1], grads[1])):
        ys += [cy + step * 2 * half_h * 0.5, cy + step * 2 * half_h * MAX_R]
    spread = max(ys) - min(ys)
    m = inv / inv[2, 2]
    (a, b, tx), (c, d, ty), (gx, gy, _) = m.tolist()
    # The points' reach in the box frame, and how far the perspective divide moves them.
    far_x = max(abs(x) for x, _ in pivots) + 2 * half_h * MAX_R + half_h
    far_y = max(abs(y) for y in ys) + half_h
    eps = abs(gx) * far_x + abs(gy) * far_y
    if eps > 1e-3:
        return math.inf
    frob, det = a * a + b * b + c * c + d * d, abs(a * d - b * c)
    slack = (math.sqrt(frob) * math.hypot(far_x, far_y) + math.hypot(tx, ty)) * eps / (1 - eps)
    # σ_min of a 2 × 2 map, in the stable form 2|det| / (σ_max + σ_min + σ_max − σ_min).
    low = 2 * det / (math.sqrt(frob + 2 * det) + math.sqrt(max(frob - 2 * det, 0.0)))
    height = 2 * half_h * low - 2 * slack
    if height <= 0:
        return math.inf
    # A relative 1e-6 over the bound covers the rounding of bow()'s own float arithmetic.
    return (spread * math.hypot(b, d) + 3 * slack) / height * (1 + 1e-6)


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


def word_polygon(
    box: np.ndarray, labels: np.ndarray, label_id: int, min_bow: float = 0.0
) -> np.ndarray | None:
    """A (14, 2) float64 polygon in heat-map pixels for one word box, or None to keep the box.

    ``min_bow`` > 0: None as well for a word whose polygon would ``bow`` less than that, found
    from its pivots before the end caps are searched (``_bow_at_most``): ``poly=auto`` keeps
    the box for such a word anyway, and most words of a page are straight."""
    w = int(np.linalg.norm(box[0] - box[1]) + 1)
    h = int(np.linalg.norm(box[1] - box[2]) + 1)
    if w < 10 or h < 10:
        return None
    target = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(box.astype(np.float32), target)
    word_label = cv2.warpPerspective(labels, matrix, (w, h), flags=cv2.INTER_NEAREST)
    mask = (word_label == label_id).astype(np.uint8)
    cols, first, last = _column_profile(mask)
    if not cols.size or h * MAX_LEN_RATIO < int((last - first + 1).max()):
        return None  # no column to follow, or one spanning most of the box: a box suffices
    try:
        inv = np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return None
    seg_w = w / (2 * NUM_PIVOTS + 1)
    profile = list(zip(cols.tolist(), first.tolist(), last.tolist()))  # (x, first, last row)
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
    if min_bow > 0 and _bow_at_most(pivots, (grad_s, grad_e), half_h, inv) < min_bow:
        return None
    start = _cap(mask, segments[0], grad_s, -1.0, half_h)
    end = _cap(mask, segments[-1], grad_e, +1.0, half_h)
    if start is None or end is None:
        return None
    top = [start[:2]] + [s[:2] for s in segments] + [end[:2]]
    bottom = [end[2:]] + [s[2:] for s in reversed(segments)] + [start[2:]]
    return np.array([_warp_point(inv, x, y) for x, y in top + bottom])
