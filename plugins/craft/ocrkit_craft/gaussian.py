"""The 2-D Gaussian character template and its perspective warp onto a quad (SPEC §2.3).

Template: 200×200, isotropic σ = 40 around (100, 100), times a disc of radius 100, peak 1. A
character quad is enlarged 1.5× about its diagonal intersection before the template is warped
onto it, so the template's value at the original box's edge midpoints is exp(−(100/1.5)²/(2·40²))
≈ 0.25. Warps are done inside each quad's bounding box only (cost ∝ character area).
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

SIZE = 200  # template side (pixels)
SIGMA = 40.0
ENLARGE = 0.5  # each corner moves out by this × its distance from the centre (1.5× quad)


@lru_cache(maxsize=1)
def template() -> np.ndarray:
    """float32 (200, 200): Gaussian σ=40 × disc of radius 100, max 1."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) + 0.5
    d2 = (xx - SIZE / 2) ** 2 + (yy - SIZE / 2) ** 2
    g = np.exp(-d2 / (2 * SIGMA**2)) * (d2 <= (SIZE / 2) ** 2)
    return (g / g.max()).astype(np.float32)


def diagonal_centre(quad: np.ndarray) -> np.ndarray:
    """Intersection of the diagonals TL–BR and TR–BL (mean of the corners if parallel)."""
    p0, p1, p2, p3 = (quad[i].astype(np.float64) for i in range(4))
    d1, d2 = p2 - p0, p3 - p1
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 1e-9:
        return quad.mean(axis=0).astype(np.float64)
    t = ((p1[0] - p0[0]) * d2[1] - (p1[1] - p0[1]) * d2[0]) / den
    return p0 + t * d1


def enlarge(quad: np.ndarray, ratio: float = ENLARGE, along: float | None = None) -> np.ndarray:
    """Move each corner outward along centre→corner by ``ratio`` × that distance; with ``along``,
    the corners' offsets along the quad's TL→TR axis grow by ``along`` instead (and across it by
    ``ratio``): an anisotropic enlargement in the quad's own frame."""
    q = quad.astype(np.float64)
    centre = diagonal_centre(q)
    if along is None or along == ratio:
        return centre + (q - centre) * (1.0 + ratio)
    ex = (q[1] - q[0]) + (q[2] - q[3])  # the quad's mean TL→TR direction
    ex /= max(float(np.hypot(*ex)), 1e-9)
    ey = np.array([-ex[1], ex[0]])
    v = q - centre
    return centre + np.outer(v @ ex * (1.0 + along), ex) + np.outer(v @ ey * (1.0 + ratio), ey)


def draw(score: np.ndarray, quad: np.ndarray, ratio: float = ENLARGE, along: float | None = None) -> None:
    """Warp the template onto ``quad`` (enlarged, see ``enlarge``) and max it into ``score``
    (float32 H×W) in place."""
    target = enlarge(np.asarray(quad, np.float64), ratio, along)
    h, w = score.shape
    x0, y0 = np.floor(target.min(axis=0)).astype(int)
    x1, y1 = np.ceil(target.max(axis=0)).astype(int) + 1
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if cx0 >= cx1 or cy0 >= cy1:
        return  # entirely outside the map
    src = np.float32([[0, 0], [SIZE, 0], [SIZE, SIZE], [0, SIZE]])
    dst = (target - [cx0, cy0]).astype(np.float32)  # into the clipped window's coordinates
    m = cv2.getPerspectiveTransform(src, dst)
    patch = cv2.warpPerspective(template(), m, (cx1 - cx0, cy1 - cy0), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0)  # fmt: skip
    window = score[cy0:cy1, cx0:cx1]
    np.maximum(window, patch, out=window)
