"""Crops that stop halfway to a touching neighbour on the same line.

Why: detectors pad their word boxes (CRAFT dilates each character group; the crop adds
``MARGIN`` × the shorter side on every side, as EasyOCR does), so on dense pages (forms, ID cards,
dates such as "12.08.1974" split in two) a word's crop often reaches into the next word, and the
recogniser reads the neighbour's edge as an extra character ("ERIKSSON" + "K<ANNA"). Where two
regions of one line are closer than their two margins, each crop is cut where the gap (or the
overlap) between the boxes is halved, margin included. Only the crop changes: the regions'
polygons, and so detection results, are the detector's own.

Measured with the packaged weights on the same boxes (``benchmarks/bench_crops.py``), end-to-end
H-mean: ICDAR 2015 test (500 images, the official CRAFT boxes) 0.282 → 0.316; FUNSD test
(50 forms) 0.460 → 0.484 (RESULTS.md §2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

from .geometry import polygon_to_quad
from .orientation import VERTICAL_RATIO  # regions this much taller than wide: read turned, not cut

NEIGHBOURS = ("trim", "keep")
SAME_LINE = 0.5  # a neighbour shares ≥ this share of the lower region's height (across the text)


def _frames(quads: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per quad (N, 4, 2) TL, TR, BR, BL: unit vectors along (u) and across (v) the text, the
    centre, and the width/height (mean opposite sides), all (N, 2) or (N,), in pixels."""
    u = (quads[:, 1] - quads[:, 0]) + (quads[:, 2] - quads[:, 3])
    v = (quads[:, 3] - quads[:, 0]) + (quads[:, 2] - quads[:, 1])
    width = np.linalg.norm(u, axis=1) / 2
    height = np.linalg.norm(v, axis=1) / 2
    u = u / np.maximum(2 * width, 1e-9)[:, None]
    v = np.stack([-u[:, 1], u[:, 0]], 1)  # image y points down: v is u turned clockwise
    return u, v, quads.mean(1), width, height


def _near_pairs(centre: np.ndarray, reach: np.ndarray, cut: np.ndarray) -> tuple[np.ndarray, ...]:
    """Index pairs (i, j), i ≠ j, i in ``cut``, whose centres are closer than reach_i + reach_j.

    With reach = w + h a region farther away cannot come within two margins of i's end while
    sharing its line (for margin ≤ 0.25). A k-d tree keeps the (N, N) matrices away; the whole
    trim takes ~5 ms for 200 words (a dense form) and ~70 ms for 2,000 on one CPU core.
    """
    rows = np.nonzero(cut)[0]
    if len(rows) == 0:
        return rows, rows
    tree = cKDTree(centre)
    found = tree.query_ball_point(centre[rows], reach[rows] + reach.max())
    counts = np.fromiter((len(f) for f in found), np.intp, len(found))
    i = np.repeat(rows, counts)
    j = np.fromiter((k for f in found for k in f), np.intp, int(counts.sum()))
    keep = (i != j) & (np.hypot(*(centre[i] - centre[j]).T) <= reach[i] + reach[j])
    return i[keep], j[keep]


def trim_to_neighbours(polygons: Sequence[np.ndarray], margin: float) -> list[np.ndarray]:
    """The regions to crop: each 4-point region cut at the middle of its gap to the nearest
    same-line neighbour on either side, when the two margins (``margin`` × each region's
    shorter side) would otherwise meet; other polygons (curved words) come back unchanged.

    ``polygons``: float (K, 2) arrays in image pixels, clockwise from the top-left. Returns
    float32 arrays; a cut region has the same 4 corners moved along its own text direction.
    Only pairs of regions near each other are compared (see ``_near_pairs``).
    """
    out = [np.asarray(p, np.float32) for p in polygons]
    n = len(out)
    if n < 2:
        return out
    quads = np.stack([polygon_to_quad(p) for p in out]).astype(np.float64)  # (N, 4, 2)
    u, v, centre, width, height = _frames(quads)
    m = margin * np.minimum(width, height)
    cut = np.array([len(p) == 4 for p in out]) & (height < VERTICAL_RATIO * width)
    i, j = _near_pairs(centre, width + height, cut)
    if len(i) == 0:
        return out
    # Region j's corners in region i's frame: s along i's text, t across it, (P, 4).
    d = quads[j] - centre[i][:, None, :]
    s = np.einsum("pkc,pc->pk", d, u[i])
    t = np.einsum("pkc,pc->pk", d, v[i])
    half_w, half_h = width[i] / 2, height[i] / 2
    shared = np.minimum(t.max(1), half_h) - np.maximum(t.min(1), -half_h)
    same_line = shared >= SAME_LINE * np.minimum(height[i], height[j])
    s_min, s_max = s.min(1), s.max(1)
    # Neighbours beyond i's centre that also reach past its end (not nested in it): so a side
    # never moves in past the middle of its half, less the margin.
    right = same_line & (s_min > 0) & (s_max > half_w)
    left = same_line & (s_max < 0) & (s_min < -half_w)
    start = np.full(n, np.inf)  # nearest right neighbour's near side, along i's text
    np.minimum.at(start, i[right], s_min[right])
    end = np.full(n, -np.inf)  # nearest left neighbour's near side
    np.maximum.at(end, i[left], s_max[left])
    hw = width / 2
    shift_r = np.where(start < hw + 2 * m, np.minimum((start + hw) / 2 - m - hw, 0.0), 0.0)
    shift_l = np.where(end > -hw - 2 * m, np.maximum((end - hw) / 2 + m + hw, 0.0), 0.0)
    for k in np.nonzero((shift_r != 0) | (shift_l != 0))[0]:
        q = quads[k].copy()
        q[[1, 2]] += shift_r[k] * u[k]
        q[[0, 3]] += shift_l[k] * u[k]
        out[k] = q.astype(np.float32)
    return out
