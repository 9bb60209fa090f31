"""Crops that stop halfway to a touching neighbour on the same line.

Why: detectors pad their word boxes (CRAFT dilates each character group; the crop adds
``MARGIN`` × the shorter side on every side, as EasyOCR does), so on dense pages (forms, ID cards,
dates such as "12.08.1974" split in two) a word's crop often reaches into the next word, and the
recogniser reads the neighbour's edge as an extra character ("ERIKSSON" + "K<ANNA"). Where two
consecutive words of a line (the lines of the reading order) are closer than their two margins,
each crop is cut where the gap (or the overlap) between the boxes is halved, margin included.
Only the crop changes: the regions' polygons, and so detection results, are the detector's own.

Measured with the packaged weights on the same boxes (``benchmarks/bench_crops.py``), end-to-end
H-mean: ICDAR 2015 test (500 images, the official CRAFT boxes) 0.282 → 0.310; FUNSD test
(50 forms) 0.460 → 0.485 (RESULTS.md §2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geometry import polygon_to_quad
from .orientation import VERTICAL_RATIO  # regions this much taller than wide: read turned, not cut
from .reading_order import group_lines

NEIGHBOURS = ("trim", "keep")


def _frames(quads: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per quad (N, 4, 2) TL, TR, BR, BL: the unit vector along the text (N, 2), the centre
    (N, 2) and the width/height (N,): mean of opposite sides, in pixels."""
    u = (quads[:, 1] - quads[:, 0]) + (quads[:, 2] - quads[:, 3])
    v = (quads[:, 3] - quads[:, 0]) + (quads[:, 2] - quads[:, 1])
    width = np.linalg.norm(u, axis=1) / 2
    height = np.linalg.norm(v, axis=1) / 2
    return u / np.maximum(2 * width, 1e-9)[:, None], quads.mean(1), width, height


def trim_to_neighbours(
    polygons: Sequence[np.ndarray],
    margin: float,
    lines: Sequence[Sequence[int]] | None = None,
) -> list[np.ndarray]:
    """The regions to crop: each 4-point region cut at the middle of its gap to the word
    before and after it on its line, when the two margins (``margin`` × each region's shorter
    side) would otherwise meet; other polygons (curved words) come back unchanged.

    ``polygons``: float (K, 2) arrays in image pixels, clockwise from the top-left. ``lines``:
    indices grouped into lines and ordered along the text, as
    :func:`ocrkit.reading_order.group_lines` gives them (computed when not given; the pipeline
    passes the grouping its reading order already made). Returns float32 arrays; a cut region
    has the same 4 corners moved along its own text direction.
    """
    out = [np.asarray(p, np.float32) for p in polygons]
    if len(out) < 2:
        return out
    lines = group_lines(out) if lines is None else lines
    pairs = np.array([(a, b) for line in lines for a, b in zip(line, line[1:])], np.intp)
    if len(pairs) == 0:
        return out
    quads = np.stack([polygon_to_quad(p) for p in out]).astype(np.float64)  # (N, 4, 2)
    u, centre, width, height = _frames(quads)
    m = margin * np.minimum(width, height)
    cut = np.array([len(p) == 4 for p in out]) & (height < VERTICAL_RATIO * width)
    # Each pair (a before b) cuts a's end against b and b's start against a: region i, its
    # neighbour j, and whether j comes after i. Both sides of j in i's frame, along i's text.
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    after = np.arange(len(i)) < len(pairs)
    s = np.einsum("pkc,pc->pk", quads[j] - centre[i][:, None, :], u[i])  # (P, 4) pixels
    s_min, s_max, hw = s.min(1), s.max(1), width[i] / 2
    # Only a neighbour beyond i's centre that also reaches past i's end (not nested in it)
    # cuts, so a side never moves in past the middle of its half, less the margin.
    right = cut[i] & after & (s_min > 0) & (s_max > hw) & (s_min < hw + 2 * m[i])
    left = cut[i] & ~after & (s_max < 0) & (s_min < -hw) & (s_max > -hw - 2 * m[i])
    shift_r = np.zeros(len(out))
    shift_l = np.zeros(len(out))
    shift_r[i[right]] = np.minimum((s_min - hw) / 2 - m[i], 0.0)[right]
    shift_l[i[left]] = np.maximum((s_max + hw) / 2 + m[i], 0.0)[left]
    for k in np.nonzero((shift_r != 0) | (shift_l != 0))[0]:
        q = quads[k].copy()
        q[[1, 2]] += shift_r[k] * u[k]
        q[[0, 3]] += shift_l[k] * u[k]
        out[k] = q.astype(np.float32)
    return out
