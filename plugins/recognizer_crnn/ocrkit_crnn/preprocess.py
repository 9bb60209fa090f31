"""Crop preparation for the CRNN (SPEC §4.3), numpy/cv2 only.

RGB crop → grey → height 64 keeping aspect (bilinear; width int(64·w/h)) → [−1, 1] → right-padded
by repeating the last column to a *bucket* width 64·ceil(w/h). Every crop's padded width depends
only on its own aspect, so results do not depend on which crops share a batch (EasyOCR pads a
whole batch to its widest crop, which changes readings with batch composition).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

HEIGHT = 64


def to_grey(crop: np.ndarray) -> np.ndarray:
    """RGB (H, W, 3) or grey (H, W) uint8 → grey (H, W) uint8."""
    if crop.ndim == 2:
        return crop
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)


def resize_to_height(grey: np.ndarray, height: int = HEIGHT) -> tuple[np.ndarray, int]:
    """First resize stage; returns (image, bucket width of the padded input, pixels).

    Wide crops (w ≥ h) become ``height`` rows × int(height·w/h) columns (bilinear). Tall crops
    follow the reference exactly: ``height`` columns × int(height·h/w) rows here, then
    :func:`final_resize` brings them to ``height`` rows (bicubic). The bucket width is
    ``height · ceil(max(w/h, h/w))``, EasyOCR's padded width for a crop read on its own.
    """
    h, w = grey.shape[:2]
    h, w = max(h, 1), max(w, 1)
    if w >= h:
        ratio = w / h
        size = (max(1, int(height * ratio)), height)
    else:
        ratio = h / w
        size = (height, max(1, int(height * ratio)))
    resized = cv2.resize(grey, size, interpolation=cv2.INTER_LINEAR)
    return resized, height * max(1, math.ceil(ratio))


def final_resize(stage1: np.ndarray, width: int, height: int = HEIGHT) -> np.ndarray:
    """Second stage: PIL bicubic to ``height`` rows, width ceil(height·w/h) capped at ``width``.

    A no-op for wide crops (already ``height`` rows); only tall crops change here.
    """
    from PIL import Image

    h, w = stage1.shape[:2]
    new_w = min(width, math.ceil(height * w / h))
    if (h, w) == (height, new_w):
        return stage1
    return np.asarray(Image.fromarray(stage1, "L").resize((new_w, height), Image.BICUBIC))


def stretch_contrast(grey: np.ndarray, target: float = 0.5) -> np.ndarray:
    """EasyOCR's low-contrast retry: map p10..p90 onto a wider range when contrast < target."""
    high, low = np.percentile(grey, 90), np.percentile(grey, 10)
    contrast = (high - low) / max(10.0, high + low)
    if contrast >= target:
        return grey
    ratio = 200.0 / max(10.0, high - low)
    out = (grey.astype(np.int64) - low + 25) * ratio
    return np.clip(out, 0, 255).astype(np.uint8)


def widen_contrast(grey: np.ndarray) -> np.ndarray:
    """Grey levels p10..p90 of the crop (H, W uint8) onto 0..255, the rest clipped.

    The second look at a doubtful crop: a faded, low-contrast or glare-washed word (a form's grey
    label, a card's print under a light spot) becomes black on white, as the CRNN's training
    crops mostly were. Unlike :func:`stretch_contrast` every crop is stretched and to the full
    range; the 10 % tails clipped are the darkest stroke cores and the brightest background. On
    ICDAR 2015 train word crops, where it was chosen against p0..p100, p1, p2, p5, p15, p20, p25
    and CLAHE, a retry with it below confidence 0.5 reads 1,352 of 4,468 exactly against 1,268
    with the reference's (``benchmarks/bench_contrast.py``).
    """
    if grey.size >= 1 << 24:  # past float32's exact counts: numpy's own percentiles
        low, high = np.percentile(grey, (10, 90))
    else:  # the same two values from the grey levels' counts, ~3 x faster a crop
        counts = np.cumsum(cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel())
        low, high = (np.float64(_percentile(counts, q)) for q in (0.1, 0.9))
    scale = 255.0 / max(float(high - low), 1.0)
    # Each grey level's new value, worked out as numpy would per pixel (float32 levels less a
    # float64 percentile: float64), looked up: the same bytes as mapping every pixel.
    levels = np.clip((np.arange(256, dtype=np.float32) - low) * scale, 0, 255).astype(np.uint8)
    return cv2.LUT(grey, levels)


def _percentile(counts: np.ndarray, q: float) -> float:
    """``np.percentile(grey, 100 * q)`` (method "linear") from the running counts of the grey
    levels (256,): the two ranked values round rank q·(n − 1), interpolated as numpy's
    ``_lerp`` does (from the nearer one), so the very same float."""
    n = int(counts[-1])
    at = (n - 1) * q
    rank = int(at)
    t = at - rank
    a = int(np.searchsorted(counts, rank, side="right"))  # the level holding that rank
    b = int(np.searchsorted(counts, min(rank + 1, n - 1), side="right"))
    return a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t)


def to_input(stage1: np.ndarray, width: int) -> np.ndarray:
    """Stage-1 grey uint8 → float32 (1, 64, width) in [−1, 1], right-padded with the last column."""
    return to_batch([stage1], width)[0]


def to_batch(stage1s: Sequence[np.ndarray], width: int) -> np.ndarray:
    """Stage-1 greys of one bucket → float32 (N, 1, 64, width) in [−1, 1], each right-padded
    with its last column. Padded as uint8, then normalised in one pass: the same float32 values
    as normalising each crop and padding after (the padding repeats a value either way)."""
    out = np.empty((len(stage1s), HEIGHT, width), np.uint8)
    for row, stage1 in zip(out, stage1s):
        x = final_resize(stage1, width)  # at most ``width`` columns: the bucket is 64·ceil(w/h)
        row[:, : x.shape[1]] = x
        row[:, x.shape[1] :] = x[:, -1:]
    batch = out.astype(np.float32) / 255.0
    batch = (batch - 0.5) / 0.5
    return batch[:, None]
