"""Words bent round a tight circle: a polygon along the ring that the word's mask fills.

CRAFT's polygon step (SPEC §1.5, ``polygon.word_polygon``) follows a word along the columns of
its rotated box. On a circle of radius under ~2 word heights (a round badge, a seal, a logo) it
gives up, as one column crosses more than 0.7 of the box's height, and the word is read from its
box with its letters fanned out ("CITY" → "GIT)"); or its pivots and end caps cross the end
letters aslant, which the TPS crop leaves tilted ("market" → "~arker"). Here the mask is fitted
with a ring: its centre line is the circle through the middles of the mask's radial extent,
found by a few fixed-point rounds (angles binned about the current centre, each bin's innermost
and outermost pixel averaged, a circle fitted through those midpoints). Under ``poly=auto`` the
ring is taken first, but only where the mask is one: it bows off its long axis (``sag``, the
fast exit), the midpoints lie on a circle no wider than ``MAX_RADIUS`` thicknesses, the
thickness is steady, nearly all pixels lie in the band and fill it, and the word bends as much as
``poly=auto`` asks. Anything else returns None and the column-wise step goes on as before.
"""

from __future__ import annotations

import math

import numpy as np

from .arc import fit_circle

MIN_PIXELS = 500  # fewer mask pixels (heat-map px): too few for 12 bins to tell a ring from a slanted word
MIN_SAG = 0.45  # sag() below this: a straight word (the fast exit, ~0.8 × the bend MIN_SAGITTA asks)
MAX_RADIUS = 4.5  # × thickness: a wider circle bends gently enough for the column-wise step
BINS = 12  # angular bins over the word for the midpoints
ROUNDS = 8  # fixed-point rounds at most (they settle in 3–5)
MAX_RMS = 0.1  # × thickness: the midpoints' RMS distance from the circle to take it
MIN_FILL = 0.6  # mask pixels / the band's area between the word's end angles
MIN_INSIDE = 0.95  # share of mask pixels within the band (radius ± 0.75 × thickness)
MAX_SPAN = 1.8 * math.pi  # a word round more than this much of its circle is not taken
MIN_LENGTH = 1.5  # × thickness: shorter along the arc is a letter or a blob, not a word
EXPAND_RATIO = 1.45  # polygon height / mask thickness, as polygon.EXPAND_RATIO
MIN_SAGITTA = 0.4 * EXPAND_RATIO  # × thickness: the bend poly=auto asks of a polygon (CURVED_BOW)
END_EXTEND = 0.45  # × thickness along the arc beyond the mask's ends: CRAFT's mask stops short of
# the end letters' outer strokes ("Seafooc", "3istro" without it; 0.3–0.6 read the same)
POINTS = 7  # per chain: CRAFT's 14-point layout


def _angles(rel: np.ndarray) -> tuple[np.ndarray, float]:
    """Angles (N,) of ``rel`` (N, 2) about the origin, measured from the start of the word: the
    side of the widest empty gap between them, so the word's angles run 0 → span unbroken."""
    phi = np.arctan2(rel[:, 1], rel[:, 0])
    s = np.sort(phi)
    gaps = np.diff(np.concatenate([s, s[:1] + 2 * math.pi]))
    start = s[(int(np.argmax(gaps)) + 1) % len(s)]
    return np.mod(phi - start, 2 * math.pi), float(start)


def _midpoints(pts: np.ndarray, centre: np.ndarray):
    """Per angular bin about ``centre``: the midpoint between the bin's innermost and outermost
    pixel (B', 2) and the thickness (B',) there, for the B' bins holding ≥ 3 pixels; plus every
    pixel's radius (N,) and angle (N,) from the word's start, and that start angle."""
    rel = pts - centre
    rho = np.linalg.norm(rel, axis=1)
    ang, start = _angles(rel)
    which = np.minimum((ang * (BINS / (float(ang.max()) + 1e-9))).astype(np.int64), BINS - 1)
    order = np.lexsort((rho, which))  # by bin, then radius: a bin's first and last are its extremes
    counts = np.bincount(which, minlength=BINS)
    last = np.cumsum(counts) - 1
    full = counts >= 3
    inner, outer = rho[order][last - counts + 1][full], rho[order][last][full]
    a = start + (np.bincount(which, weights=ang, minlength=BINS)[full] / counts[full])
    mids = centre + ((inner + outer) / 2)[:, None] * np.stack([np.cos(a), np.sin(a)], 1)
    return mids, outer - inner, rho, ang, start


def sag(pts: np.ndarray) -> float:
    """How far ``pts`` (N, 2), a word's mask, bow off their long axis, in thicknesses: a parabola
    fitted across the axis (least squares), its rise over the mask's length, over the spread of
    the pixels about it as a band's thickness (√12 × std). ~0.05 for a straight word (95 % under
    0.2 on FUNSD and ICDAR 2015), 0.5–2 for one bent round a circle of 1–2 word heights."""
    centred = pts - pts.mean(0)
    _, axes = np.linalg.eigh(centred.T @ centred)  # columns: across, then along the long axis
    u, v = centred @ axes[:, 1], centred @ axes[:, 0]
    design = np.stack([u * u, u, np.ones_like(u)], 1)
    coef, *_ = np.linalg.lstsq(design, v, rcond=None)
    thickness = math.sqrt(12 * float(np.var(v - design @ coef)))
    rise = abs(float(coef[0])) * (float(u.max() - u.min()) / 2) ** 2
    return rise / thickness if thickness > 0 else 0.0


def fit_ring(pts: np.ndarray) -> tuple[np.ndarray, float, float, float, float] | None:
    """Centre (2,), mid radius, thickness, start angle and angular span of the ring that ``pts``
    (N, 2) fill, or None when they do not fill one (see the module)."""
    fit = fit_circle(pts)
    if fit is None:
        return None
    centre = fit[0]
    for _ in range(ROUNDS):
        mids, thick, *_ = _midpoints(pts, centre)
        if len(mids) < BINS // 2:
            return None
        fit = fit_circle(mids)
        if fit is None:
            return None
        moved = float(np.linalg.norm(fit[0] - centre))
        centre = fit[0]
        if moved < 0.01 * float(np.median(thick)):
            break
    mids, thick, rho, ang, start = _midpoints(pts, centre)
    if len(mids) < BINS // 2:
        return None
    radius = float(np.linalg.norm(mids - centre, axis=1).mean())
    h = float(np.median(thick))
    span = float(ang.max())
    if h <= 0 or not 0.6 * h <= radius <= MAX_RADIUS * h:
        return None
    if span > MAX_SPAN or radius * span < MIN_LENGTH * h:
        return None
    if np.sqrt(np.mean((np.linalg.norm(mids - centre, axis=1) - radius) ** 2)) > MAX_RMS * h:
        return None
    if np.mean(np.abs(rho - radius) <= 0.75 * h) < MIN_INSIDE:
        return None
    if len(pts) < MIN_FILL * span * radius * h:  # the band is not filled: not one word's ring
        return None
    if radius * (1 - math.cos(min(span, math.pi) / 2)) < MIN_SAGITTA * h:  # hardly bends
        return None
    return centre, radius, h, start, span


def ring_polygon(
    box: np.ndarray, labels: np.ndarray, label_id: int, area: int | None = None
) -> np.ndarray | None:
    """A (14, 2) float64 polygon in heat-map pixels (top chain left → right, then bottom chain
    right → left) for component ``label_id`` of ``labels`` within ``box`` (4, 2), or None.
    ``area``: the component's pixel count where known: under ``MIN_PIXELS`` it is None at
    once, without looking for its pixels (most words of a page)."""
    if area is not None and area < MIN_PIXELS:  # no more of it within the box than that
        return None
    lo = np.maximum(np.floor(box.min(0)).astype(int), 0)
    hi = np.minimum(np.ceil(box.max(0)).astype(int) + 1, labels.shape[::-1])
    ys, xs = np.nonzero(labels[lo[1] : hi[1], lo[0] : hi[0]] == label_id)
    if len(xs) < MIN_PIXELS:
        return None
    pts = np.stack([xs + lo[0], ys + lo[1]], 1).astype(np.float64)
    if sag(pts) < MIN_SAG:  # the fast exit taken by nearly every straight word
        return None
    ring = fit_ring(pts)
    if ring is None:
        return None
    centre, radius, h, start, span = ring
    ext = END_EXTEND * h / radius  # radians
    angles = start - ext + np.linspace(0.0, span + 2 * ext, POINTS)
    radial = np.stack([np.cos(angles), np.sin(angles)], 1)  # (POINTS, 2) unit vectors
    half = EXPAND_RATIO * h / 2
    outer = centre + (radius + half) * radial
    inner = centre + max(radius - half, 0.0) * radial  # a word round a circle under its own height
    # The word's upright side is the one facing up the image: away from the centre for a word
    # over the circle (angles run left → right), towards it for one under it (right → left).
    mid = start + span / 2
    if math.sin(mid) < 0:
        top, bottom = outer, inner
    else:
        top, bottom = inner[::-1], outer[::-1]
    return np.concatenate([top, bottom[::-1]])
