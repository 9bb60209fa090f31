"""Score maps → word boxes (SPEC §1.4), numpy/cv2 only.

Each connected component of (region > low_text) ∪ (affinity > link_threshold) whose peak region
score reaches text_threshold becomes one word: its link-only pixels are removed, the rest dilated
by a size-dependent kernel, and a minimum-area rectangle fitted. Work is done inside each
component's bounding window, so cost grows with the text area, not (components × map area) as in
the reference; the results are identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

MIN_COMPONENT_AREA = 10  # heat-map pixels; smaller components are noise
SQUARE_TOLERANCE = 0.1  # |1 − long/short| at or below this → use the axis-aligned box


@dataclass
class Components:
    """Connected components of the binarised maps, kept for the polygon step."""

    labels: np.ndarray  # int32 (h, w) label image at heat-map resolution
    boxes: list[np.ndarray]  # float32 (4, 2) per kept word, heat-map pixels, TL-first clockwise
    label_ids: list[int]  # the component label of each box
    scores: list[float]  # mean region score over each word's component, clipped to [0, 1]


def detect_boxes(
    region: np.ndarray,
    affinity: np.ndarray,
    text_threshold: float,
    link_threshold: float,
    low_text: float,
) -> Components:
    """Word boxes in heat-map pixels from the region/affinity maps (float32 (h, w) each)."""
    text_bin = region > low_text
    link_bin = affinity > link_threshold
    combined = (text_bin | link_bin).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(combined, connectivity=4)
    map_h, map_w = region.shape
    link_only = link_bin & ~text_bin
    out = Components(labels, [], [], [])
    for k in range(1, n):
        area = int(stats[k, cv2.CC_STAT_AREA])
        if area < MIN_COMPONENT_AREA:
            continue
        x, y = int(stats[k, cv2.CC_STAT_LEFT]), int(stats[k, cv2.CC_STAT_TOP])
        w, h = int(stats[k, cv2.CC_STAT_WIDTH]), int(stats[k, cv2.CC_STAT_HEIGHT])
        window = labels[y : y + h, x : x + w] == k
        scores = region[y : y + h, x : x + w][window]
        if scores.max() < text_threshold:
            continue
        niter = int(math.sqrt(area * min(w, h) / (w * h)) * 2)
        # Dilation window: the bbox grown by niter, clipped (right/bottom exclusive).
        sx, sy = max(x - niter, 0), max(y - niter, 0)
        ex, ey = min(x + w + niter + 1, map_w), min(y + h + niter + 1, map_h)
        seg = np.zeros((ey - sy, ex - sx), dtype=np.uint8)
        sub = seg[y - sy : y - sy + h, x - sx : x - sx + w]
        sub[window & ~link_only[y : y + h, x : x + w]] = 255
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1 + niter, 1 + niter))
        seg = cv2.dilate(seg, kernel)
        rows, cols = np.nonzero(seg)
        if rows.size == 0:  # only link pixels: nothing to fit (cannot happen after the peak test)
            continue
        points = np.stack([cols + sx, rows + sy], axis=1).astype(np.int64)  # (x, y), row-major
        box = cv2.boxPoints(cv2.minAreaRect(points))
        bw, bh = np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[1] - box[2])
        if abs(1 - max(bw, bh) / (min(bw, bh) + 1e-5)) <= SQUARE_TOLERANCE:
            # Near-square: a rotated fit is unstable (45° diamonds), take the axis-aligned box.
            left, right = points[:, 0].min(), points[:, 0].max()
            top, bottom = points[:, 1].min(), points[:, 1].max()
            box = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)
        start = int(box.sum(axis=1).argmin())
        out.boxes.append(np.roll(box, 4 - start, axis=0).astype(np.float32))
        out.label_ids.append(k)
        out.scores.append(float(np.clip(scores.mean(), 0.0, 1.0)))
    return out
