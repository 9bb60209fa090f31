"""A second pass at the scale where CRAFT sees text best, for images whose words come out small.

CRAFT's network input size is fixed by ``canvas_size``/``mag_ratio`` whatever the text size, but
the network finds words best when they are a few tens of pixels high: measured on FUNSD *train*
forms (``benchmarks/bench_autoscale.py``), word-level H-mean climbs from 0.759 to 0.82 as the median
word box grows from ~15 to ~24 network-input pixels, then falls again past ~30. Small text is
the common case on documents (a form scanned at 100 dpi; a 300 dpi A4 page or a phone photo
of an ID card, both shrunk to 1280 px), so the first pass's own boxes are used to measure the
text: when the median word is clearly smaller than ``text_height``, the image is detected again
at the ratio that makes it that high (capped by ``max_side``), and the second pass's words
replace the first's. Images with text near the target, or none found, cost nothing extra.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from ocrkit import Detection

# Re-detect only when the text would grow by at least this factor: the pass costs (factor)² in
# time, and near the target the gain is noise (the one FUNSD train form whose median word was
# already 20 px scored 0.807 there and 0.790–0.807 enlarged 1.25–2.5×).
MIN_GAIN = 1.25
SIDE_STEP = 128  # second-pass long sides are rounded up to this: few distinct network shapes


def word_height(detections: Sequence[Detection], ratio: float) -> float:
    """Median word height in network-input pixels: the shorter side of each region's minimum
    area rectangle (original pixels) × ``ratio``; 0.0 when there are no regions."""
    detections = [d for d in detections if not d.unsure]  # a lone character may be a stray mark
    if not detections:
        return 0.0
    shorts = [min(cv2.minAreaRect(d.polygon.astype(np.float32))[1]) for d in detections]
    return float(np.median(shorts)) * ratio


def rescale_ratio(
    long_side: int, ratio: float, height: float, target: float, max_side: int
) -> float | None:
    """The second pass's resize ratio for an image whose long side is ``long_side`` pixels, first
    detected at ``ratio`` with median word ``height`` (network px); None = keep the first pass.

    The ratio makes the median word ``target`` px high; the resized long side is rounded up to a
    multiple of ``SIDE_STEP`` (so a compiled network sees few shapes) and capped at ``max_side``.
    """
    if height <= 0 or target <= 0 or target / height < MIN_GAIN:
        return None
    side = min(math.ceil(long_side * ratio * target / height / SIDE_STEP) * SIDE_STEP, max_side)
    new_ratio = side / long_side
    return new_ratio if new_ratio >= ratio * MIN_GAIN else None


def second_passes(
    long_sides: Sequence[int],
    ratios: Sequence[float],
    found: Sequence[Sequence[Detection]],
    target: float,
    max_side: int,
) -> dict[int, float]:
    """{image index: second-pass ratio} for the images (long side in pixels, first-pass resize
    ratio and words) whose words came out small; empty when ``target`` is 0 (one pass)."""
    if target <= 0:
        return {}
    plans = {i: rescale_ratio(side, ratio, word_height(dets, ratio), target, max_side)
             for i, (side, ratio, dets) in enumerate(zip(long_sides, ratios, found))}  # fmt: skip
    return {i: r for i, r in plans.items() if r is not None}
