"""Thin-plate-spline rectification of curved word polygons (SPEC §3), numpy/cv2 only.

The polygon's top and bottom chains (rebuilt along the circle for a word on one, ``arc.py``)
are resampled to F/2 fiducials each (equal arc length); a TPS maps the rectified crop's
normalised coordinates (x, y ∈ [−1, 1], fiducials at x = linspace(−1, 1), y = ∓1) onto those
image points, and the crop is sampled with ``cv2.remap``. One linear solve per
word: Δ_C⁻¹ (constant for F) is computed once, the grid kernel P̂ once per output size.

Differences from DTRB's learned TPS, on purpose: sampling positions are pixel centres and the
fiducials at ±1 land exactly on the polygon's edges (DTRB's ``grid_sample(align_corners=True)``
stretches the grid by half a pixel); no torch is needed. And where SPEC §3.4 rectifies straight
to the recogniser's height, a word taller than that is sampled at its own size (at most
MAX_OVERSAMPLE × the height) and averaged down with INTER_AREA, as box crops are.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from .arc import arc_chains
from .polygon import split_chains

F = 20  # fiducial points: F/2 on the top chain, F/2 on the bottom chain
END_MARGIN = 0.1  # × the word height added beyond each end (0.25 before: it reached the next word on an arc)
SIDE_MARGIN = 0.2  # × the word height added above and below (CRAFT polygons clip ascenders on bends)
MAX_OVERSAMPLE = 4  # a large word is sampled at most at 4 × the crop's height, then averaged down


def _u(r2: np.ndarray) -> np.ndarray:
    """TPS kernel U(r) = r² log r written on r²: ½ r² log r², with U(0) = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 0.5 * r2 * np.log(r2)
    return np.nan_to_num(out, nan=0.0, neginf=0.0)


@lru_cache(maxsize=8)
def target_fiducials(f: int = F) -> np.ndarray:
    """(F, 2) normalised fiducials of the rectified crop: top row y=−1, then bottom row y=+1."""
    xs = np.linspace(-1.0, 1.0, f // 2)
    return np.concatenate([np.stack([xs, -np.ones_like(xs)], 1), np.stack([xs, np.ones_like(xs)], 1)])


@lru_cache(maxsize=8)
def inverse_delta(f: int = F) -> np.ndarray:
    """Δ_C⁻¹, (F+3)×(F+3): the TPS system matrix of the target fiducials, inverted once."""
    c = target_fiducials(f)
    d2 = ((c[:, None, :] - c[None, :, :]) ** 2).sum(-1)
    delta = np.zeros((f + 3, f + 3))
    delta[:f, 0] = 1.0
    delta[:f, 1:3] = c
    delta[:f, 3:] = _u(d2)
    delta[f, 3:] = c[:, 0]
    delta[f + 1, 3:] = c[:, 1]
    delta[f + 2, 3:] = 1.0
    return np.linalg.inv(delta)


@lru_cache(maxsize=64)
def grid_kernel(height: int, width: int, f: int = F) -> np.ndarray:
    """P̂, (H·W)×(F+3): [1, x, y, U(|p − C_i|)…] for every output pixel centre p (row-major)."""
    ys = (2 * np.arange(height) + 1) / height - 1
    xs = (2 * np.arange(width) + 1) / width - 1
    gx, gy = np.meshgrid(xs, ys)
    p = np.stack([gx.ravel(), gy.ravel()], 1)
    d2 = ((p[:, None, :] - target_fiducials(f)[None, :, :]) ** 2).sum(-1)
    return np.concatenate([np.ones((len(p), 1)), p, _u(d2)], 1)


def _resample(chain: np.ndarray, n: int) -> np.ndarray:
    """``n`` points evenly spaced by arc length along a polyline (K, 2)."""
    seg = np.linalg.norm(np.diff(chain, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    if s[-1] <= 1e-9:
        return np.repeat(chain[:1], n, axis=0)
    t = np.linspace(0.0, s[-1], n)
    return np.stack([np.interp(t, s, chain[:, 0]), np.interp(t, s, chain[:, 1])], 1)


def tps_crop(
    image: np.ndarray, polygon: np.ndarray, height: int, f: int = F,
    interpolation: int = cv2.INTER_LANCZOS4,
) -> np.ndarray:  # fmt: skip
    """Rectify the word inside ``polygon`` (K ≥ 6, even) to ``height`` rows.

    ``interpolation``: the sampling's OpenCV flag (``ocrkit.geometry.SAMPLINGS``, Lanczos by
    default: the CRNN reads small words enlarged with it better than bilinear, as box crops).

    The width keeps the word's aspect: centre-line arc length / mean top-to-bottom distance
    (both with the margins), so letters come out as wide as they stand on the page. A word
    whose span is over ``height`` pixels is sampled at its span and shrunk with INTER_AREA.
    Returns (height, width, C) with the image's dtype; outside pixels replicate the border.
    """
    poly = np.asarray(polygon, dtype=np.float64)
    top, bottom = arc_chains(*split_chains(poly))  # words on a circle: square to it
    top, bottom = _resample(top, f // 2), _resample(bottom, f // 2)
    word_h = float(np.linalg.norm(top - bottom, axis=1).mean())
    # Push the chains apart (along each top→bottom direction) and beyond the ends, so strokes
    # at the polygon's edges are not clipped.
    across = bottom - top
    across /= np.maximum(np.linalg.norm(across, axis=1, keepdims=True), 1e-9)
    top = top - SIDE_MARGIN * word_h * across
    bottom = bottom + SIDE_MARGIN * word_h * across
    ext = END_MARGIN * word_h
    for chain in (top, bottom):
        for end, nxt in ((0, 1), (-1, -2)):
            d = chain[end] - chain[nxt]
            chain[end] = chain[end] + d / max(np.linalg.norm(d), 1e-9) * ext
    centre = (top + bottom) / 2
    length = float(np.linalg.norm(np.diff(centre, axis=0), axis=1).sum())
    # The crop's rows span the chains pushed apart (word_h plus both side margins), so that
    # is the height to keep the aspect against: dividing by word_h alone stretched every
    # letter 1.4× wide, which read worse on curved renders (RESULTS.md §2, "Crops as wide
    # as the page").
    span = word_h * (1 + 2 * SIDE_MARGIN)
    width = max(1, int(round(height * length / max(span, 1e-6))))
    source = np.concatenate([top, bottom])  # (F, 2) image pixels, same order as the targets
    coeffs = inverse_delta(f) @ np.concatenate([source, np.zeros((3, 2))])  # (F+3)×2
    grid = grid_kernel(height, width, f) @ coeffs  # (H·W)×2 image coordinates
    maps = grid.reshape(height, width, 2).astype(np.float32)  # (H, W, 2): x, y per crop pixel
    # A word taller than the crop is sampled at (up to MAX_OVERSAMPLE ×) its own resolution and
    # then averaged down with INTER_AREA, as geometry.crop_quad does for boxes: bilinear
    # sampling straight at `height` rows skips pixels on a large word and aliases noise and thin
    # strokes into the crop (RESULTS.md §2, "Large curved words"). The map is smooth, so the
    # native-size map is the low-resolution one resized (pixel centres line up under
    # cv2.resize), not a TPS kernel of native size (~15× slower, tens of MB).
    native_h = min(int(round(span)), MAX_OVERSAMPLE * height)
    if native_h <= height:
        return cv2.remap(image, maps[..., 0], maps[..., 1], interpolation,
                         borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    native_w = max(1, int(round(native_h * length / max(span, 1e-6))))
    maps = cv2.resize(maps, (native_w, native_h), interpolation=cv2.INTER_LINEAR)
    crop = cv2.remap(image, maps[..., 0], maps[..., 1], interpolation,
                     borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    return cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA)
