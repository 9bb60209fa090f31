"""The background between neighbouring words of a line, for weighting it in the loss.

Why: on tightly set form text a fine-tuned CRAFT learns to *join* neighbouring words. The gap
between two words is a handful of pixels of negative target; OHEM does select them (they are
among the hardest negatives) but each selected negative weighs 1 / (3 × positives), and a page
has 3,000–6,700 positive affinity pixels against 13–178 would-be merge pixels
(benchmarks/RESULTS.md §5, the OHEM diagnostic). ``gap_polygons`` finds those gaps from word
quads alone, so any word-level page (real or synthetic) can give them more weight through its
confidence map (``weak_supervision.confidence_map``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

GAP_MAX = 1.0  # a neighbour is at most this × the taller word's height away along the line
MIN_OVERLAP = 0.5  # ... and overlaps it across the line by this × the shorter word's height
MAX_HEIGHT_RATIO = 2.0  # ... and is at most this much taller or shorter (one line, one size)
MIN_PARALLEL = 0.94  # ... and runs the same way: |cos| of the angle between the two (≈ 20°)


def gap_polygons(quads: Sequence[np.ndarray], max_gap: float = GAP_MAX) -> list[np.ndarray]:
    """(4, 2) float32 rectangles (image pixels) between each word and its nearest neighbour after
    it on the same line.

    ``quads``: word quads (4, 2), TL, TR, BR, BL in reading order of the word. In word A's own
    frame (u along its text, v across, both unit vectors) every word is reduced to its extent
    [u0, u1] × [v0, v1]; B is A's neighbour when it starts after A ends (0 < gap ≤ ``max_gap``
    × the taller height), overlaps A across the line, has a similar height and direction, and
    no other such word is nearer. The gap is the rectangle from A's end to B's start over the
    rows both cover, so it never reaches into either word's box. Overlapping or touching words
    have no gap.
    """
    q = np.asarray([np.asarray(x, np.float64).reshape(4, 2) for x in quads]).reshape(-1, 4, 2)
    n = len(q)
    if n < 2:
        return []
    u = (q[:, 1] - q[:, 0]) + (q[:, 2] - q[:, 3])  # (n, 2) along each word's text
    norm = np.linalg.norm(u, axis=1)
    valid = norm > 1e-6
    u = u / np.maximum(norm, 1e-6)[:, None]
    v = np.stack([-u[:, 1], u[:, 0]], axis=1)  # across, pointing down for left→right text
    centre = q.mean(axis=1)  # (n, 2)
    # ext[a, b] = extent of word b in word a's frame: (n, n, 4 corners) projections.
    rel = q[None, :, :, :] - centre[:, None, None, :]  # (n, n, 4, 2)
    pu = np.einsum("abkd,ad->abk", rel, u)
    pv = np.einsum("abkd,ad->abk", rel, v)
    u0, u1, v0, v1 = pu.min(2), pu.max(2), pv.min(2), pv.max(2)  # (n, n)
    diag = np.arange(n)
    own_h = (v1 - v0)[diag, diag]  # (n,) each word's height in its own frame
    h_a, h_b = own_h[:, None], own_h[None, :]
    gap = u0 - u1[diag, diag][:, None]  # B's start − A's end, along A
    overlap = np.minimum(v1, v1[diag, diag][:, None]) - np.maximum(v0, v0[diag, diag][:, None])
    parallel = np.abs(u @ u.T) >= MIN_PARALLEL
    ok = (
        (gap > 0) & (gap <= max_gap * np.maximum(h_a, h_b)) & parallel
        & (overlap >= MIN_OVERLAP * np.minimum(h_a, h_b))
        & (np.maximum(h_a, h_b) <= MAX_HEIGHT_RATIO * np.maximum(np.minimum(h_a, h_b), 1e-6))
        & valid[:, None] & valid[None, :] & ~np.eye(n, dtype=bool)
    )  # fmt: skip
    out = []
    for a in range(n):
        cands = np.nonzero(ok[a])[0]
        if not len(cands):
            continue
        b = cands[np.argmin(gap[a, cands])]
        start, stop = u1[a, a], u0[a, b]
        top, bottom = max(v0[a, a], v0[a, b]), min(v1[a, a], v1[a, b])
        corners = [(start, top), (stop, top), (stop, bottom), (start, bottom)]
        out.append(np.array([centre[a] + cu * u[a] + cv * v[a] for cu, cv in corners], np.float32))
    return out
