"""The official CRAFT box step (``craft_utils.getDetBoxes_core``), line by line, numpy/cv2.

Not used for detection: it is the oracle that :mod:`.postprocess` is tested against (same boxes)
and the baseline of ``benchmarks/bench_postprocess.py``. It builds a full-map mask per component,
so its cost grows as components × map area — the 330 ms per dense form the issue measured.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def official_boxes(
    textmap: np.ndarray,
    linkmap: np.ndarray,
    text_threshold: float,
    link_threshold: float,
    low_text: float,
) -> tuple[list[np.ndarray], np.ndarray, list[int]]:
    """(boxes float32 (4, 2) in heat-map pixels, int32 label image, component label per box)."""
    img_h, img_w = textmap.shape
    _, text_score = cv2.threshold(textmap, low_text, 1, 0)
    _, link_score = cv2.threshold(linkmap, link_threshold, 1, 0)
    comb = np.clip(text_score + link_score, 0, 1)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(comb.astype(np.uint8), connectivity=4)
    boxes, mapper = [], []
    for k in range(1, n):
        size = stats[k, cv2.CC_STAT_AREA]
        if size < 10:
            continue
        if np.max(textmap[labels == k]) < text_threshold:
            continue
        segmap = np.zeros(textmap.shape, dtype=np.uint8)
        segmap[labels == k] = 255
        segmap[np.logical_and(link_score == 1, text_score == 0)] = 0
        x, y = stats[k, cv2.CC_STAT_LEFT], stats[k, cv2.CC_STAT_TOP]
        w, h = stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT]
        niter = int(math.sqrt(size * min(w, h) / (w * h)) * 2)
        sx, ex = max(x - niter, 0), min(x + w + niter + 1, img_w)
        sy, ey = max(y - niter, 0), min(y + h + niter + 1, img_h)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1 + niter, 1 + niter))
        segmap[sy:ey, sx:ex] = cv2.dilate(segmap[sy:ey, sx:ex], kernel)
        points = np.roll(np.array(np.where(segmap != 0)), 1, axis=0).transpose().reshape(-1, 2)
        box = cv2.boxPoints(cv2.minAreaRect(points))
        bw, bh = np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[1] - box[2])
        if abs(1 - max(bw, bh) / (min(bw, bh) + 1e-5)) <= 0.1:
            left, right = points[:, 0].min(), points[:, 0].max()
            top, bottom = points[:, 1].min(), points[:, 1].max()
            box = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)
        start = box.sum(axis=1).argmin()
        boxes.append(np.roll(box, 4 - start, 0).astype(np.float32))
        mapper.append(k)
    return boxes, labels, mapper
