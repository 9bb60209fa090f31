"""MSER text detection: stable dark/light regions → character candidates → words.

1. MSER on the grey image and its inverse (dark-on-light and light-on-dark text).
2. Character candidates: plausible height, aspect and fill (a wide region is a run of touching
   letters, common in scans); near-duplicates (MSER's nested regions) removed by IoU.
3. Words: candidates linked when they share a text line (vertical overlap), have similar heights
   and a gap below ``gap_ratio`` × height; each linked group's bounding box is one word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocrkit import Detection, build_config


@dataclass(frozen=True)
class MserConfig:
    delta: int = 5  # MSER stability step (grey levels)
    max_variation: float = 1.0  # MSER area variation allowed across delta (higher = more regions)
    min_height: int = 6  # smallest character height (pixels)
    max_height_ratio: float = 0.3  # tallest character as a fraction of the image height
    gap_ratio: float = 0.7  # max gap between letters of one word, × letter height
    min_chars: int = 2  # words need at least this many characters
    max_side: int = 1600  # images are downscaled so the long side is at most this (speed)


def _candidates(grey: np.ndarray, cfg: MserConfig) -> np.ndarray:
    """(N, 4) x, y, w, h of plausible character regions of both polarities."""
    h_img = grey.shape[0]
    mser = cv2.MSER_create(delta=cfg.delta, min_area=max(8, cfg.min_height * 2),
                           max_area=int(grey.size * 0.05), max_variation=cfg.max_variation)  # fmt: skip
    boxes = []
    for img in (grey, 255 - grey):
        regions, bboxes = mser.detectRegions(img)
        for pts, (x, y, w, h) in zip(regions, bboxes):
            if not cfg.min_height <= h <= cfg.max_height_ratio * h_img:
                continue
            # Wide regions are kept too: in scans, touching letters form one region per word.
            if not 0.1 <= w / h <= 15.0 or len(pts) < 0.15 * w * h:
                continue
            boxes.append((x, y, w, h))
    if not boxes:
        return np.zeros((0, 4), int)
    return _dedupe(np.array(boxes, int))


def _dedupe(boxes: np.ndarray, iou_max: float = 0.6) -> np.ndarray:
    """Keep the larger of any two boxes overlapping by IoU > ``iou_max``, and drop boxes lying
    (≥ 90 %) inside a larger one: MSER nests letters in words and finds the holes of letters."""
    order = np.argsort(-(boxes[:, 2] * boxes[:, 3]))
    boxes = boxes[order]
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    areas = boxes[:, 2] * boxes[:, 3]
    keep = []
    alive = np.ones(len(boxes), bool)
    for i in range(len(boxes)):
        if not alive[i]:
            continue
        keep.append(i)
        iw = np.clip(np.minimum(x2[i], x2) - np.maximum(x1[i], x1), 0, None)
        ih = np.clip(np.minimum(y2[i], y2) - np.maximum(y1[i], y1), 0, None)
        inter = iw * ih
        iou = inter / (areas[i] + areas - inter)
        alive &= ~((iou > iou_max) | (inter >= 0.9 * areas))
    return boxes[keep]


def _group(boxes: np.ndarray, cfg: MserConfig) -> list[np.ndarray]:
    """Union-find over candidate pairs on one line with a small gap; returns member arrays."""
    n = len(boxes)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    x1, y1, w, h = boxes.T
    x2, y2 = x1 + w, y1 + h
    order = np.argsort(x1)
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1 :]:
            gap = x1[b] - x2[a]
            if gap > cfg.gap_ratio * max(h[a], h[b]):
                break  # sorted by x: later boxes are further away
            overlap = min(y2[a], y2[b]) - max(y1[a], y1[b])
            if overlap < 0.6 * min(h[a], h[b]) or max(h[a], h[b]) > 1.6 * min(h[a], h[b]):
                continue
            parent[find(a)] = find(b)
    roots = np.array([find(i) for i in range(n)])
    return [np.nonzero(roots == r)[0] for r in np.unique(roots)]


class MserDetector:
    """``detect(images)`` → word boxes (float32 (4, 2), clockwise from top-left)."""

    def __init__(self, config: MserConfig) -> None:
        self.config = config

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> MserDetector:
        return cls(build_config(MserConfig, options, what="mser"))

    def detect(self, images: Sequence[np.ndarray]) -> list[list[Detection]]:
        return [self._detect_one(img) for img in images]

    def _detect_one(self, image: np.ndarray) -> list[Detection]:
        cfg = self.config
        scale = min(1.0, cfg.max_side / max(image.shape[:2]))
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        if scale < 1.0:
            grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        boxes = _candidates(grey, cfg)
        out = []
        for members in _group(boxes, cfg) if len(boxes) else []:
            b = boxes[members]
            # A wide region holds several letters: count about one per 0.8 × height.
            letters = np.maximum(1, np.floor(b[:, 2] / (0.8 * b[:, 3]))).sum()
            if letters < cfg.min_chars:
                continue
            left, top = b[:, 0].min(), b[:, 1].min()
            right, bottom = (b[:, 0] + b[:, 2]).max(), (b[:, 1] + b[:, 3]).max()
            quad = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)
            # Score: how much of the word box its letters fill (0–1), a crude confidence.
            fill = float((b[:, 2] * b[:, 3]).sum()) / max(float((right - left) * (bottom - top)), 1.0)
            out.append(Detection(quad / scale, min(1.0, fill)))
        return out
