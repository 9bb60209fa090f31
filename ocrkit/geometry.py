"""Polygon conventions and the perspective quad crop (numpy/cv2 only, never torch)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from .resample import lanczos_axis_crop
from .types import Image, Polygon

__all__ = ["SAMPLINGS", "crop_quad", "order_quad", "polygon_to_quad", "quad_size", "roll_along",
           "rolled_along", "sampling_flag", "signed_area"]

# How a crop resamples the page: the names of ``--crop-sampling`` and their OpenCV flags.
# Lanczos is the default: most words on a document are smaller than the recogniser's 64 rows
# (FUNSD's are 8–16 px high), so the crop enlarges them 4–8 ×, and the CRNN reads a word
# enlarged with Lanczos's 8 × 8 kernel far better than with bilinear, which draws a 1 px
# stroke as a thin triangle: FUNSD test words cut from the forms 4948 → 5244 of 8707 read
# exactly, ICDAR 2015 test words cut from the photos 794 → 813 of 2077 (benchmarks/RESULTS.md
# §3, "Crops enlarged with Lanczos"). Lanczos costs ~0.1 ms a crop for an axis-aligned box
# (separable, ocrkit.resample; most of a document's) and ~0.5-1 ms for any other quad
# (OpenCV's 2-D warp at twice the word's scale, then enlarged separably), bilinear
# ~0.05-0.1 ms: "linear" for throughput over accuracy.
SAMPLINGS = {"lanczos": cv2.INTER_LANCZOS4, "cubic": cv2.INTER_CUBIC, "linear": cv2.INTER_LINEAR}


# The separable Lanczos path (ocrkit.resample) holds a dense (samples × page pixels) weight
# matrix per axis: 4 bytes × 1024 × ~1032 at most here. Longer crops (a line across a large
# page) take OpenCV's warp, which needs no such matrix.
SEPARABLE_MAX = 1024

# A tilted quad's Lanczos crop is warped at this × the word's own scale and enlarged from there
# separably, where that is smaller than the crop (``_warp_then_enlarge``).
WARP_SCALE = 2.0


def sampling_flag(name: str) -> int:
    """The OpenCV interpolation flag of a ``SAMPLINGS`` name; ValueError naming the choices."""
    try:
        return SAMPLINGS[name]
    except (KeyError, TypeError):
        choices = ", ".join(SAMPLINGS)
        raise ValueError(f"crop sampling must be one of {choices}, got {name!r}") from None


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


def roll_along(quad: np.ndarray, direction: np.ndarray) -> Polygon:
    """A clockwise (4, 2) ``quad`` with its corners rolled so that its first edge (TL → TR) is
    the one pointing most nearly along ``direction`` (a 2-vector, image axes, y down).

    Why: ``order_quad``'s top-left (smallest x + y) is a tie for a box tilted by 45°, so the
    corner order of neighbouring words may differ by a quarter turn there, and a word is then
    cropped on its side. Where the text's direction is known, it decides instead.
    """
    return rolled_along([quad], direction)[0]


def rolled_along(quads: Sequence[np.ndarray], direction: np.ndarray) -> list[Polygon]:
    """:func:`roll_along` of every (4, 2) quad with the one ``direction``, worked out for all
    at once on a (m, 4, 2) stack (a page's boxes in a few array operations): float32 (4, 2)
    each."""
    if not len(quads):
        return []
    q = np.stack([np.asarray(b, np.float32).reshape(4, 2) for b in quads])  # (m, 4, 2)
    edges = np.roll(q, -1, axis=1).astype(np.float64) - q
    norms = np.maximum(np.linalg.norm(edges, axis=2), 1e-9)  # (m, 4)
    first = (edges @ np.asarray(direction, np.float64) / norms).argmax(axis=1)  # (m,)
    return list(q[np.arange(len(q))[:, None], (np.arange(4)[None] + first[:, None]) % 4])


def polygon_to_quad(polygon: np.ndarray) -> Polygon:
    """A 4-point polygon unchanged; otherwise its minimum-area rectangle, ordered clockwise."""
    pts = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
    if len(pts) == 4:
        return pts
    box = cv2.boxPoints(cv2.minAreaRect(pts))
    return order_quad(box)


def quad_size(quad: np.ndarray) -> tuple[float, float]:
    """(width, height) of a TL, TR, BR, BL quad: mean of opposite edge lengths, in pixels."""
    # Plain floats: numpy's per-call overhead on 2-vectors was the largest host cost of reading
    # a dense page (18 norm calls per word crop, ~9 µs each).
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = np.asarray(quad, np.float64).tolist()
    width = (math.hypot(x1 - x0, y1 - y0) + math.hypot(x2 - x3, y2 - y3)) / 2
    height = (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2
    return width, height


def expand_quad(quad: np.ndarray, margin: float) -> np.ndarray:
    """Grow a TL, TR, BR, BL quad outward by ``margin`` × its shorter side along both of its axes.

    Why: a tight CRAFT box clips leading/trailing glyph strokes (``$``, ``(``), which the
    recogniser then misses; EasyOCR adds 0.1 × min(w, h) on every side for the same reason.
    """
    q = np.asarray(quad, np.float64)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = q.tolist()
    ux, uy = (x1 - x0) + (x2 - x3), (y1 - y0) + (y2 - y3)  # along the text
    vx, vy = (x3 - x0) + (x2 - x1), (y3 - y0) + (y2 - y1)  # across the text, top → bottom
    nu, nv = math.hypot(ux, uy), math.hypot(vx, vy)
    if nu < 1e-9 or nv < 1e-9:
        return q.copy()
    ux, uy, vx, vy = ux / nu, uy / nu, vx / nv, vy / nv
    m = margin * min(quad_size(q))
    offsets = [[-ux - vx, -uy - vy], [ux - vx, uy - vy], [ux + vx, uy + vy], [-ux + vx, -uy + vy]]
    return q + m * np.array(offsets)


def _axis_aligned(quad: np.ndarray) -> bool:
    """Whether a TL, TR, BR, BL quad (float32, any roll) is a rectangle with sides along the
    image's axes: TL-TR and BL-BR level, TL-BL and TR-BR upright (in either sense)."""
    return bool(quad[0, 1] == quad[1, 1] and quad[2, 1] == quad[3, 1]
                and quad[0, 0] == quad[3, 0] and quad[1, 0] == quad[2, 0])  # fmt: skip


def crop_quad(
    image: Image,
    quad: np.ndarray,
    height: int,
    margin: float = 0.1,
    interpolation: int = cv2.INTER_LANCZOS4,
) -> Image:
    """Perspective-warp a TL, TR, BR, BL quad to an upright crop ``height`` pixels high.

    The width keeps the quad's aspect ratio (at least 1 pixel). Pixels outside the image
    replicate the border. ``interpolation``: the warp's OpenCV flag (``SAMPLINGS``; Lanczos by
    default, bicubic where a crop is enlarged to measure its ink finer than a pixel,
    :mod:`ocrkit.ink`). Returns (height, width, C) with the image's dtype. An axis-aligned quad
    with Lanczos is resampled separably (:mod:`ocrkit.resample`: the same kernel, 4.5 × faster);
    any other quad under half the crop's height is warped at twice its scale and enlarged
    separably after (``_warp_then_enlarge``: 2 × faster on FUNSD's tilted words).
    """
    src = expand_quad(quad, margin) if margin > 0 else quad.astype(np.float64)
    width_px, height_px = quad_size(src)
    aspect = width_px / max(height_px, 1e-6)
    # Warp at (at least) native resolution, then shrink with INTER_AREA: warping a tall word
    # straight down to 64 px with bilinear sampling aliases thin strokes away.
    native_h = max(height, int(round(height_px)))
    native_w = max(1, int(round(aspect * native_h)))
    corners = src.astype(np.float32)
    small = max(native_w, native_h) <= SEPARABLE_MAX
    if interpolation == cv2.INTER_LANCZOS4 and small and _axis_aligned(corners):
        # A scale and a shift per axis: the same Lanczos sampling, separable, ~4.5 x faster.
        x0, y0, x1, y1 = (float(v) for v in (*corners[0], corners[1, 0], corners[3, 1]))
        x_step, y_step = (x1 - x0) / native_w, (y1 - y0) / native_h
        crop = lanczos_axis_crop(image, x0, x_step, y0, y_step, native_w, native_h)
    elif interpolation == cv2.INTER_LANCZOS4 and WARP_SCALE * height_px < native_h:
        crop = _warp_then_enlarge(image, corners, height_px, native_w, native_h)
    else:
        crop = _warp(image, corners, (native_w, native_h), interpolation)
    if native_h != height:
        out_w = max(1, int(round(aspect * height)))
        crop = cv2.resize(crop, (out_w, height), interpolation=cv2.INTER_AREA)
    return crop


def _warp(
    image: Image, corners: np.ndarray, size: tuple[int, int], interpolation: int,
    shift: tuple[float, float] = (0.0, 0.0),
) -> Image:
    """``corners`` (float32 (4, 2), TL, TR, BR, BL) warped onto a ``size`` (w, h) crop, at its
    pixel coordinates ``shift`` (x, y) and ``shift`` + ``size``."""
    (x0, y0), (w, h) = shift, size
    dst = np.float32([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]])
    matrix = cv2.getPerspectiveTransform(corners, dst)
    return cv2.warpPerspective(image, matrix, size, flags=interpolation,
                               borderMode=cv2.BORDER_REPLICATE)  # fmt: skip


def _warp_then_enlarge(
    image: Image, corners: np.ndarray, height_px: float, native_w: int, native_h: int
) -> Image:
    """A tilted quad's Lanczos crop (``native_w`` × ``native_h``, larger than the word): the
    warp at ``WARP_SCALE`` × the word's own scale, then the separable Lanczos enlargement
    (cv2.resize) the rest of the way.

    Why: OpenCV's Lanczos warp evaluates its 8 × 8 kernel at every output pixel, ~28 ns a
    pixel of an RGB crop (2-3 ms for a long word enlarged to 64 rows), where the resize's two
    8-tap passes take a fraction of that. Twice the word's scale keeps the warp's own
    interpolation well above the strokes' detail: the CRNN reads the ICDAR 2015 test words
    (all tilted quads) alike (RESULTS.md §3, "Tilted crops"). The small warp's grid is set so
    that the resize's pixel centres land where the direct warp samples (pixel u of the crop
    at u / ``native_w`` of the quad's width, as ``_warp`` maps it)."""
    small_h = max(1, int(round(WARP_SCALE * height_px)))
    small_w = max(1, int(round(native_w * small_h / native_h)))
    # cv2.resize reads crop pixel u at (u + 0.5) × small_w / native_w − 0.5 of the small one.
    shift = (0.5 * small_w / native_w - 0.5, 0.5 * small_h / native_h - 0.5)
    small = _warp(image, corners, (small_w, small_h), cv2.INTER_LANCZOS4, shift)
    return cv2.resize(small, (native_w, native_h), interpolation=cv2.INTER_LANCZOS4)
