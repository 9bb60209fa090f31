"""Lanczos resampling of an axis-aligned region, done as two small matrix products.

Most word boxes on a document are axis-aligned rectangles (77 % of the default detector's boxes
on the FUNSD test forms), and a crop of one maps the page to the crop by a scale and a shift per
axis. OpenCV's Lanczos warp evaluates the full 8 × 8 kernel at every output pixel, ~0.55 ms
per FUNSD word crop (64 rows, RGB); the same resampling as a column pass and a row pass of 8
taps each, two banded weight matrices, takes ~0.1 ms (RESULTS.md §3, "Lanczos crops, separable").
The matrices are dense, (samples × page pixels) per axis, so ``geometry.crop_quad`` sends only
crops up to ``SEPARABLE_MAX`` pixels long this way.

It samples as ``cv2.warpPerspective(..., INTER_LANCZOS4, BORDER_REPLICATE)``: output pixel u
reads the page at ``x0 + u * step`` (pixel centres at integers), with the Lanczos-4 kernel
``sinc(t) · sinc(t / 4)`` on the 8 pixels round it, its weights normalised to sum 1, and pixels
beyond the page replicate its border. OpenCV rounds the position to 1/32 of a pixel and the
weights to 15-bit fixed point; this rounds the position to 1/1024 and keeps float weights, so
the two differ at steep edges by a few grey levels (≤ 7 of 255, 0.4 on average, on FUNSD
crops) and the CRNN reads them alike: FUNSD test words 5244 (warp) and 5259 (this) of 8,707.
"""

from __future__ import annotations

import cv2
import numpy as np

from .types import Image

__all__ = ["lanczos_axis_crop"]

TAPS = np.arange(-3, 5)  # the Lanczos-4 window round floor(x): 8 pixels
STEPS = 1024  # the kernel tabulated every 1/1024 pixel (OpenCV's warp: every 1/32)
# OpenBLAS spreads a product of 2^18 multiply-adds or more over its own threads, which then
# spin a while and take a 2-core machine's cores from the recogniser (measured: the pipeline
# slower on FUNSD with one whole-matrix product per pass). Blocks under that stay on the
# calling thread, and each touches only its band of the page: ~2 x faster as well.
BLAS_ONE_THREAD = 1 << 18


def kernel_table(steps: int = STEPS) -> np.ndarray:
    """(steps + 1, 8) float64: row k holds the weights of the 8 taps (``TAPS``) round a sample
    k / steps of a pixel past one: sinc(t) sinc(t / 4) at each tap's distance t, normalised
    to sum 1 (row 0 takes that pixel alone, row ``steps`` the next one)."""
    t = np.arange(steps + 1)[:, None] / steps - TAPS
    w = np.sinc(t) * np.sinc(t / 4)
    return w / w.sum(axis=1, keepdims=True)


_TABLE = kernel_table()


def lanczos_weights(
    start: float, step: float, count: int, size: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """The Lanczos-4 weights of ``count`` samples at ``start + i * step`` along an axis of
    ``size`` pixels: (first, weights (count, span) float32 over page pixels [first, first +
    span), taps (count, 8) int: the weights' columns each sample reads)."""
    pos = start + step * np.arange(count)
    base = np.floor(pos)
    w = _TABLE[np.rint((pos - base) * STEPS).astype(np.intp)]  # (count, 8)
    index = base.astype(np.intp)[:, None] + TAPS
    if index[0, 0] < 0 or index[-1, 0] < 0 or max(index[0, -1], index[-1, -1]) >= size:
        index = np.clip(index, 0, size - 1)  # replicate the border
    first = int(min(index[0, 0], index[-1, 0]))  # index runs one way along each column
    span = int(max(index[0, -1], index[-1, -1])) - first + 1
    taps = index - first
    # Taps clipped onto the same border pixel add up.
    flat = (np.arange(count)[:, None] * span + taps).ravel()
    weights = np.bincount(flat, w.ravel(), minlength=count * span).reshape(count, span)
    return first, weights.astype(np.float32), taps


def banded_product(weights: np.ndarray, taps: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``weights @ x`` (count, span) @ (span, m) -> (count, m) float32, in blocks of samples
    that each read only the rows of ``x`` their ``taps`` name (see ``BLAS_ONE_THREAD``)."""
    count, m = weights.shape[0], x.shape[1]
    firsts, lasts = taps[:, 0].tolist(), taps[:, -1].tolist()  # each runs one way
    reach = max(1.0, abs(firsts[-1] - firsts[0]) / max(count - 1, 1))  # page px per sample
    block = 64
    while block > 1 and block * m * (block * reach + TAPS.size) >= BLAS_ONE_THREAD:
        block //= 2
    out = np.empty((count, m), np.float32)
    for i in range(0, count, block):
        j = min(i + block, count) - 1
        lo, hi = min(firsts[i], firsts[j]), max(lasts[i], lasts[j]) + 1
        np.matmul(weights[i : j + 1, lo:hi], x[lo:hi], out=out[i : j + 1])
    return out


def lanczos_axis_crop(
    image: Image, x0: float, x_step: float, y0: float, y_step: float, width: int, height: int
) -> Image:
    """(height, width[, C]) crop whose pixel (v, u) samples ``image`` at (x0 + u·x_step,
    y0 + v·y_step) with Lanczos-4 (see the module); the image's dtype, rounded and clipped
    for integer images. A negative step mirrors that axis."""
    top, wy, ty = lanczos_weights(y0, y_step, height, image.shape[0])
    left, wx, tx = lanczos_weights(x0, x_step, width, image.shape[1])
    region = image[top : top + wy.shape[1], left : left + wx.shape[1]].astype(np.float32)
    region = region.reshape(region.shape[0], region.shape[1], -1)  # (page rows, page cols, C)
    page_rows, page_cols, c = region.shape
    # Columns first, on the region's few rows (a word is enlarged 2-8 x, so this order does the
    # fewest multiply-adds): (width, page cols) @ (page cols, page rows · C).
    by_column = np.ascontiguousarray(region.transpose(1, 0, 2)).reshape(page_cols, -1)
    wide = banded_product(wx, tx, by_column).reshape(width, page_rows, c)
    # Then rows: (height, page rows) @ (page rows, width · C) -> the crop's own layout.
    by_row = np.ascontiguousarray(wide.transpose(1, 0, 2)).reshape(page_rows, width * c)
    out = banded_product(wy, ty, by_row)
    shape = (height, width) + image.shape[2:]
    if image.dtype == np.uint8:
        # Rounded and saturated by OpenCV on the 2-D array: ~20 x faster than numpy's rint,
        # clip and astype.
        return cv2.convertScaleAbs(cv2.max(out, 0.0)).reshape(shape)
    if np.issubdtype(image.dtype, np.integer):
        info = np.iinfo(image.dtype)
        np.clip(np.rint(out, out=out), info.min, info.max, out=out)
    return out.astype(image.dtype).reshape(shape)
