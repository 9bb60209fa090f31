"""Score maps → word boxes (SPEC §1.4), numpy/cv2 only, the same boxes as the reference.

Each connected component of (region > low_text) ∪ (affinity > link_threshold) whose peak region
score reaches text_threshold becomes one word: its link-only pixels are removed, the rest dilated
by a square kernel of a size-dependent width, and a minimum-area rectangle fitted to the result.
Given an ``unsure_threshold`` below text_threshold, a component peaking between the two whose
box is shorter than ``LONE_ASPECT``:1 (a character on its own) is kept too, flagged unsure.

The reference (:mod:`.reference`) builds a full-map mask, dilates it and lists its pixels for
every component. Here nothing per pixel runs per component: the rectangle depends only on the
convex hull of the dilated pixels, and that hull is the hull of the dilation offsets' corners
applied to the two ends of each horizontal run of text pixels (a run lies in one component under
4-connectivity; the dilation of a run is a rectangle; clipping to the map keeps each corner a
corner). So the text pixels become runs once for the whole map (vectorised), the corners of
every component are made in one array operation, and the per-word Python work is one
``cv2.minAreaRect`` on a few dozen points. Measured by ``benchmarks/bench_postprocess.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

MIN_COMPONENT_AREA = 10  # heat-map pixels; smaller components are noise
SQUARE_TOLERANCE = 0.1  # |1 − long/short| at or below this → use the axis-aligned box
# Long / short side under which an unsure component may be a lone character. CRAFT learnt its
# region score on words: a character with no neighbour to link to (a card's sex "F", a form's
# "X") peaks lower, 0.5–0.7 on bench_cards' photos, under the reference's text_threshold 0.7.
LONE_ASPECT = 2.0


@dataclass
class Components:
    """Connected components of the binarised maps, kept for the polygon step."""

    labels: np.ndarray  # int32 (h, w) label image at heat-map resolution
    boxes: list[np.ndarray]  # float32 (4, 2) per kept word, heat-map pixels, TL-first clockwise
    label_ids: list[int]  # the component label of each box
    scores: list[float]  # mean region score over each word's component, clipped to [0, 1]
    unsure: list[bool] = field(default_factory=list)  # peak under text_threshold (a lone char)
    hulls: list[np.ndarray] = field(default_factory=list)  # int32 (P, 2) points whose hull is
    # each box's dilated pixels (heat-map px): a box can be refitted at another angle from them
    areas: list[int] = field(default_factory=list)  # each box's component's pixel count


def detect_boxes(
    region: np.ndarray,
    affinity: np.ndarray,
    text_threshold: float,
    link_threshold: float,
    low_text: float,
    unsure_threshold: float | None = None,
) -> Components:
    """Word boxes in heat-map pixels from the region/affinity maps (float32 (h, w) each); with
    ``unsure_threshold`` < ``text_threshold`` also the lone characters peaking between the two,
    flagged in ``Components.unsure``."""
    text_bin = region > low_text
    combined = (text_bin | (affinity > link_threshold)).view(np.uint8)
    # Labels only: cv2's statistics cost 6× the labelling here; they come from runs instead.
    n, labels = cv2.connectedComponents(combined, connectivity=4)
    stats = _component_stats(combined, labels, n)
    area = stats[:, cv2.CC_STAT_AREA]
    keep = area >= MIN_COMPONENT_AREA
    peaked = np.zeros(n, bool)
    peaked[labels[region >= text_threshold]] = True  # max < text_threshold ⇔ no pixel reaches it
    reached = peaked.copy()
    if unsure_threshold is not None and unsure_threshold < text_threshold:
        reached[labels[region >= unsure_threshold]] = True
    keep &= reached
    keep[0] = False  # background
    ids = np.flatnonzero(keep)
    out = Components(labels, [], [], [])
    if ids.size == 0:
        return out
    corners, starts = _dilated_corners(text_bin, labels, stats, ids)
    sizes = np.diff(starts)
    if not sizes.all():
        # No text pixel at all (only possible with text_threshold ≤ low_text: the peak is on a
        # link pixel): the reference fits a degenerate box at the origin; such words are dropped.
        ids, sizes = ids[sizes > 0], sizes[sizes > 0]
        starts = np.concatenate([[0], np.cumsum(sizes)])
        if ids.size == 0:
            return out
    # Mean region score per component (link-only pixels included, as its area is).
    xy = cv2.findNonZero(combined).reshape(-1, 2)  # (x, y) of every component pixel
    sums = np.bincount(labels[xy[:, 1], xy[:, 0]], weights=region[xy[:, 1], xy[:, 0]], minlength=n)
    scores = np.clip(sums[ids] / area[ids], 0.0, 1.0)
    # The only per-word Python work: one rotated-rectangle fit on a few dozen hull points.
    spans = zip(starts[:-1], starts[1:])
    boxes = np.stack([cv2.boxPoints(cv2.minAreaRect(corners[a:b])) for a, b in spans])
    edges = np.linalg.norm(boxes[:, :2] - boxes[:, 1:3], axis=2)  # (m, 2) float32 side lengths
    long, short = edges.max(axis=1), edges.min(axis=1)
    for j in np.flatnonzero(np.abs(1 - long / (short + 1e-5)) <= SQUARE_TOLERANCE):
        # Near-square: a rotated fit is unstable (45° diamonds), take the axis-aligned box.
        points = corners[starts[j] : starts[j + 1]]
        (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
        boxes[j] = [[left, top], [right, top], [right, bottom], [left, bottom]]
    unsure = ~peaked[ids]
    kept = np.flatnonzero(~unsure | (long < LONE_ASPECT * short))  # unsure: lone characters only
    out.boxes.extend(top_left_first(boxes[kept]))
    out.label_ids.extend(ids[kept].tolist())
    out.scores.extend(scores[kept].tolist())
    out.hulls.extend(corners[starts[j] : starts[j + 1]] for j in kept)
    out.unsure.extend(unsure[kept].tolist())
    out.areas.extend(area[ids[kept]].tolist())
    return out


def top_left_first(boxes: np.ndarray) -> np.ndarray:
    """float32 (m, 4, 2) clockwise boxes with each corner list rolled to start at its top-left
    (smallest x + y, the first on ties), the reference's order."""
    first = boxes.sum(axis=2).argmin(axis=1)
    rolled = boxes[np.arange(len(boxes))[:, None], (np.arange(4)[None] + first[:, None]) % 4]
    return rolled.astype(np.float32)


def _dilated_corners(
    text_bin: np.ndarray, labels: np.ndarray, stats: np.ndarray, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hull-defining points of each kept component's dilated text pixels.

    Returns int32 (P, 2) (x, y) points grouped by component in ``ids`` order, and int64
    (len(ids) + 1,) offsets: component ``ids[j]`` owns rows ``starts[j]:starts[j + 1]``.
    """
    map_h, map_w = text_bin.shape
    run_y, run_x0, run_x1 = _runs(text_bin.view(np.uint8))
    if run_y.size == 0:  # no text pixels
        return np.zeros((0, 2), np.int32), np.zeros(len(ids) + 1, np.int64)
    run_k = labels[run_y, run_x0]
    # Dilation by a (1 + niter)² rect kernel moves a pixel by lo..hi in x and y (cv2's centred
    # anchor: lo = −(niter // 2), hi = (niter + 1) // 2).
    w, h = stats[ids, cv2.CC_STAT_WIDTH], stats[ids, cv2.CC_STAT_HEIGHT]
    # The reference's int(sqrt(area · min(w, h) / (w · h)) · 2), in float64 as Python's.
    niter = np.zeros(len(stats), np.int64)
    niter[ids] = np.sqrt(stats[ids, cv2.CC_STAT_AREA] * np.minimum(w, h) / (w * h)) * 2
    lo, hi = -(niter // 2), (niter + 1) // 2
    wanted = np.zeros(len(stats), bool)
    wanted[ids] = True
    sel = wanted[run_k]
    run_y, run_x0, run_x1, run_k = run_y[sel], run_x0[sel], run_x1[sel], run_k[sel]
    # Group runs by component in ids order (ids ascending: a stable sort by label does it).
    order = np.argsort(run_k, kind="stable")
    run_y, run_x0, run_x1, run_k = run_y[order], run_x0[order], run_x1[order], run_k[order]
    rlo, rhi = lo[run_k], hi[run_k]
    left = np.clip(run_x0 + rlo, 0, map_w - 1)
    right = np.clip(run_x1 + rhi, 0, map_w - 1)
    top = np.clip(run_y + rlo, 0, map_h - 1)
    bottom = np.clip(run_y + rhi, 0, map_h - 1)
    # Four corners per run, kept together so a component's points stay contiguous.
    corners = np.stack(
        [np.stack([left, top], 1), np.stack([right, top], 1),
         np.stack([right, bottom], 1), np.stack([left, bottom], 1)], axis=1,
    ).reshape(-1, 2).astype(np.int32)  # fmt: skip
    counts = np.bincount(run_k, minlength=len(stats))[ids] * 4
    starts = np.concatenate([[0], np.cumsum(counts)])
    return corners, starts


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of a uint8 0/1 mask in raster order: (row, first x, last x), int32 each.

    The changes along each zero-padded row, found in raster order, alternate start, end (end
    exclusive); cv2 finds them ~5× faster than numpy's diff + nonzero.
    """
    padded = cv2.copyMakeBorder(mask, 0, 0, 1, 1, cv2.BORDER_CONSTANT, value=0)
    steps = cv2.findNonZero(cv2.bitwise_xor(padded[:, 1:], padded[:, :-1]))
    if steps is None:
        empty = np.zeros(0, np.int32)
        return empty, empty, empty
    xs, ys = steps.reshape(-1, 2).T
    return ys[0::2], xs[0::2], xs[1::2] - 1


def _component_stats(combined: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    """int32 (n, 5) rows of (left, top, width, height, area) per label, as cv2's CC_STAT_*
    columns (row 0, the background, is left at zeros: it is never used)."""
    stats = np.zeros((n, 5), np.int32)
    run_y, run_x0, run_x1 = _runs(combined)
    if run_y.size == 0:
        return stats
    run_k = labels[run_y, run_x0]
    order = np.argsort(run_k, kind="stable")  # by label; rows stay ascending within a label
    run_y, run_x0, run_x1, run_k = run_y[order], run_x0[order], run_x1[order], run_k[order]
    first = np.flatnonzero(np.r_[True, run_k[1:] != run_k[:-1]])
    last = np.r_[first[1:], run_k.size] - 1
    k = run_k[first]
    left, right = np.minimum.reduceat(run_x0, first), np.maximum.reduceat(run_x1, first)
    top, bottom = run_y[first], run_y[last]
    stats[k, cv2.CC_STAT_LEFT], stats[k, cv2.CC_STAT_TOP] = left, top
    stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT] = right - left + 1, bottom - top + 1
    stats[k, cv2.CC_STAT_AREA] = np.add.reduceat(run_x1 - run_x0 + 1, first)
    return stats
