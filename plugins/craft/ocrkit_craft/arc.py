"""Words on a circle: a polygon's top and bottom chains laid along the circle, for the TPS crop.

CRAFT's polygon (SPEC §1.5) crosses the text at 5 pivots and ends in two caps, each the last
pivot's segment slid outward. On an arc (a stamp, a logo, a bottle) the first and last letters
lie further round the bend than those pivots, so the caps cross them at a slant and the TPS crop
leaves them tilted: "bread" on an arc was read "preao", "NATURAL" "~TATURAZ". Where the word's
centre points (midpoints of the chains' paired points) lie on one circle, the chains are
rebuilt along that circle, every cross-line along its radius, so the end letters come out
upright too. Any other shape (a wave, a straight word, a fit too loose) keeps its chains.
"""

from __future__ import annotations

import math

import numpy as np

MAX_RMS = 0.08  # × the word height: the centre points' RMS distance from the circle to take it
MAX_RADIUS = 50.0  # × the word height: a larger circle is a straight word (nothing to mend)
SAMPLES = 64  # points per rebuilt chain, evenly spaced in angle: dense, so the TPS's resampling
# of the chain as a polyline (tps_crop._resample, by arc length) stays on the circle


def fit_circle(points: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The least-squares (Kåsa) circle through ``points`` (K ≥ 3, 2): centre (2,) and radius,
    or None when the points are collinear."""
    a = np.concatenate([points, np.ones((len(points), 1))], 1)
    b = -(points**2).sum(1)
    (d, e, f), _, rank, _ = np.linalg.lstsq(a, b, rcond=None)
    if rank < 3:  # collinear points: a straight line, no circle
        return None
    centre = np.array([-d / 2, -e / 2])
    r2 = float(centre @ centre - f)
    return (centre, math.sqrt(r2)) if r2 > 0 and np.isfinite(r2) else None


def arc_chains(top: np.ndarray, bottom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``top`` and ``bottom`` (K, 2) image points, paired and left → right, rebuilt along the
    circle through their midpoints when those lie on one (returns (SAMPLES, 2) each, from the
    first pair's angle to the last's, each pair on one radius, as far apart as the original
    pairs there); else returned as they are."""
    if len(top) < 3 or len(top) != len(bottom):
        return top, bottom
    centre = (top + bottom) / 2  # (K, 2)
    heights = np.linalg.norm(bottom - top, axis=1)  # (K,) px
    h = float(np.median(heights))
    fit = fit_circle(centre)
    if h <= 0 or fit is None or fit[1] > MAX_RADIUS * h:
        return top, bottom
    o, r = fit
    rel = centre - o
    if float(np.sqrt(np.mean((np.linalg.norm(rel, axis=1) - r) ** 2))) > MAX_RMS * h:
        return top, bottom
    phi = np.unwrap(np.arctan2(rel[:, 1], rel[:, 0]))  # (K,) each centre point's angle
    step = np.diff(phi)
    if not (np.all(step > 0) or np.all(step < 0)):  # the points must run round the circle in order
        return top, bottom
    angles = np.linspace(phi[0], phi[-1], SAMPLES)
    radial = np.stack([np.cos(angles), np.sin(angles)], 1)  # (SAMPLES, 2) unit vectors
    # Top faces the centre (a word under a stamp's rim) or away from it (over the rim).
    down = radial if float(np.mean(np.sum((bottom - top) * rel, 1))) > 0 else -radial
    order = np.argsort(phi)
    half = np.interp(angles, phi[order], heights[order])[:, None] / 2
    middle = o + r * radial
    return middle - half * down, middle + half * down
