"""Polygon conventions and the perspective quad crop (numpy/cv2 only, never torch)."""

from __future__ import annotations

import cv2
import numpy as np

from .types import Image, Polygon

__all__ = ["crop_quad", "order_quad", "polygon_to_quad", "quad_size", "signed_area"]


def signed_area(polygon: np.ndarray) -> float:
    """Shoelace area; positive for clockwise order in image coordinates (y down)."""
    x, y = polygon[:, 0].astype(np.float64), polygon[:, 1].astype(np.float64)
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def order_quad(points: np.ndarray) -> Polygon:
    """Return 4 points clockwise (image coordinates) starting with the smallest x + y (≈ TL)."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # increasing angle with y down = clockwise on screen
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def polygon_to_quad(polygon: np.ndarray) -> Polygon:
    """A 4-point polygon unchanged; otherwise its minimum-area rectangle, ordered clockwise."""
    pts = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
    if len(pts) == 4:
        return pts
    box = cv2.boxPoints(cv2.minAreaRect(pts))
    return order_quad(box)


def quad_size(quad: np.ndarray) -> tuple[float, float]:
    """(width, height) of a TL, TR, BR, BL quad: mean of opposite edge lengths, in pixels."""
    q = quad.astype(np.float64)
    width = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    height = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return float(width), float(height)


def expand_quad(quad: np.ndarray, margin: float) -> np.ndarray:
    """Grow a TL, TR, BR, BL quad outward by ``margin`` × its shorter side along both of its axes.

    Why: a tight CRAFT box clips leading/trailing glyph strokes (``$``, ``(``), which the
    recogniser then misses; EasyOCR adds 0.1 × min(w, h) on every side for the same reason.
    """
    q = quad.astype(np.float64)
    u = (q[1] - q[0]) + (q[2] - q[3])  # along the text
    v = (q[3] - q[0]) + (q[2] - q[1])  # across the text, top → bottom
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu < 1e-9 or nv < 1e-9:
        return q
    u, v = u / nu, v / nv
    width, height = quad_size(quad)
    m = margin * min(width, height)
    return q + m * np.array([-u - v, u - v, u + v, -u + v])


def crop_quad(image: Image, quad: np.ndarray, height: int, margin: float = 0.1) -> Image:
    """Perspective-warp a TL, TR, BR, BL quad to an upright crop ``height`` pixels high.

    The width keeps the quad's aspect ratio (at least 1 pixel). Pixels outside the image
    replicate the border. Returns (height, width, C) with the image's dtype.
    """
    src = expand_quad(quad, margin) if margin > 0 else quad.astype(np.float64)
    width_px, height_px = quad_size(src)
    aspect = width_px / max(height_px, 1e-6)
    # Warp at (at least) native resolution, then shrink with INTER_AREA: warping a tall word
    # straight down to 64 px with bilinear sampling aliases thin strokes away.
    native_h = max(height, int(round(height_px)))
    native_w = max(1, int(round(aspect * native_h)))
    dst = np.array(
        [[0, 0], [native_w, 0], [native_w, native_h], [0, native_h]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    crop = cv2.warpPerspective(
        image, matrix, (native_w, native_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    if native_h != height:
        out_w = max(1, int(round(aspect * height)))
        crop = cv2.resize(crop, (out_w, height), interpolation=cv2.INTER_AREA)
    return crop
