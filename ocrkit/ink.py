"""The ink of a word's crop as connected components, measured finer than an image pixel."""

from __future__ import annotations

import cv2
import numpy as np

from .geometry import crop_quad, quad_size

MEASURE_PX = 40  # crops are cut at least this high: heights come to a fraction of a pixel


def ink_components(
    grey: np.ndarray,
    quad: np.ndarray,
    extend: float = 0.0,
    strip_lines: bool = False,
    before: float = 0.0,
    speck: float = 3.0,
    dot_area: float = 0.0,
) -> tuple[np.ndarray, float, tuple[int, int]]:
    """Connected ink components of the quad's crop: ``(stats, scale, (w, h))``.

    ``grey``: uint8 (H, W) image; ``quad``: (4, 2) float corners clockwise from the top-left of
    the text; ``extend``: the crop reaches this many × the quad's height past its right edge
    (along the text), ``before``: as many before its left edge; ``strip_lines``: horizontal
    runs of ink longer than the crop is high (an underline touching the letters, which joins
    them all into one part) are taken out before the parts are found. ``stats``: int (N, 5)
    rows of x, y, width, height, area in crop pixels, for the ink (the Otsu class the crop's
    border is not) without rule lines (wider than 60 % of the crop, under a quarter of its
    height) and specks (under ``speck`` image px², or 1 image px high; a lower ``speck`` lowers
    that height in step; ``dot_area`` > 0 lowers ``speck`` to at most (``dot_area`` × the
    tallest part's height)², never under 1 px², so that small type keeps its dots: the tallest
    part found at a floor of 1 px²); ``scale``: crop px per image px; (w, h): the crop's size.
    Empty for a quad under 2 × 4 px."""
    q = np.asarray(quad, np.float64).copy()
    width, height = quad_size(q)
    along = (q[1] - q[0]) / max(float(np.hypot(*(q[1] - q[0]))), 1e-6)
    q[1:3] += along * extend * height  # the right edge moved along the text
    q[[0, 3]] -= along * before * height  # and the left edge back
    width += (extend + before) * height
    if width < 2 or height < 4:
        return np.zeros((0, 5), np.int64), 1.0, (0, 0)
    # The project's word crop (perspective warp, border replicated), at least MEASURE_PX high.
    crop = crop_quad(grey, q, max(MEASURE_PX, int(round(height))), margin=0.0,
                     interpolation=cv2.INTER_CUBIC)  # fmt: skip
    h, w = crop.shape[:2]
    scale = h / height
    t, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]).astype(np.float64)
    ink = crop <= t if border.mean() > t else crop > t  # cv2: above t is the bright class
    if strip_lines:
        line = cv2.getStructuringElement(cv2.MORPH_RECT, (h + 1, 1))
        ink &= cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, line) == 0
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    stats = stats[1:].astype(np.int64)
    stats = stats[~((stats[:, 2] > 0.6 * w) & (stats[:, 3] < 0.25 * h))]  # rule lines out

    def small(floor: float) -> np.ndarray:  # specks under ``floor`` image px²
        return (stats[:, 3] <= scale * min(1.0, floor / 3)) | (stats[:, 4] < floor * scale**2)

    if dot_area > 0:
        kept = stats[~small(min(speck, 1.0))]
        if len(kept):
            speck = min(speck, max(1.0, (dot_area * kept[:, 3].max() / scale) ** 2))
    return stats[~small(speck)], scale, (w, h)


def grey_of(image: np.ndarray) -> np.ndarray:
    """uint8 (H, W) grey of an RGB uint8 (H, W, 3) image (a grey image as it is)."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
