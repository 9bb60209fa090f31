"""CRAFT input preparation (SPEC §1.2), numpy/cv2 only so it can run in any worker.

Resize so the long side is min(mag_ratio × long side, canvas_size), bilinear; paste top-left into a
zero canvas whose sides are rounded up to multiples of 32; normalise with ImageNet mean/std on the
0–255 scale. Padding is black *before* normalisation, as in the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

# Products taken in float64, then cast, exactly as the reference's normalizeMeanVariance.
MEAN_255 = np.array([0.485 * 255.0, 0.456 * 255.0, 0.406 * 255.0], dtype=np.float32)  # RGB
STD_255 = np.array([0.229 * 255.0, 0.224 * 255.0, 0.225 * 255.0], dtype=np.float32)


@dataclass(frozen=True)
class Resized:
    image: np.ndarray | None  # float32 (h, w, 3) resized pixels, 0–255, unpadded; None = geometry only
    ratio: float  # resized / original size
    padded_hw: tuple[int, int]  # (h, w) rounded up to multiples of 32


def _round32(n: int) -> int:
    return n if n % 32 == 0 else n + 32 - n % 32


def resize_plan(height: int, width: int, canvas_size: float, mag_ratio: float) -> tuple[float, int, int]:
    """(ratio, new height, new width) of the reference ``imgproc.resize_aspect_ratio``
    (``canvas_size=math.inf``: resize by exactly ``mag_ratio``)."""
    target = mag_ratio * max(height, width)
    if target > canvas_size:
        target = canvas_size
    ratio = target / max(height, width)
    return ratio, max(1, int(height * ratio)), max(1, int(width * ratio))


def resize_aspect_ratio(image: np.ndarray, canvas_size: float, mag_ratio: float) -> Resized:
    """Resize an RGB uint8 (H, W, 3) image as the reference ``imgproc.resize_aspect_ratio``."""
    ratio, new_h, new_w = resize_plan(*image.shape[:2], canvas_size, mag_ratio)
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    return Resized(resized.astype(np.float32), ratio, (_round32(new_h), _round32(new_w)))


def make_batch(items: Sequence[Resized]) -> np.ndarray:
    """Stack resized images into a normalised float32 NCHW batch padded to a common size.

    Each image sits top-left; the rest is black (0) before normalisation, so coordinates are
    unaffected by the padding and each image maps back with its own ratio.
    """
    batch_h = max(item.padded_hw[0] for item in items)
    batch_w = max(item.padded_hw[1] for item in items)
    batch = np.zeros((len(items), batch_h, batch_w, 3), dtype=np.float32)
    for k, item in enumerate(items):
        h, w = item.image.shape[:2]
        batch[k, :h, :w] = item.image
    batch -= MEAN_255
    batch /= STD_255
    return np.ascontiguousarray(batch.transpose(0, 3, 1, 2))  # N×H×W×3 → N×3×H×W
