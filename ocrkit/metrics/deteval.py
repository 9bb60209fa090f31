"""ICDAR 2013 DetEval (Wolf & Jolion): one-to-one, one-to-many (split) and many-to-one (merge).

Defined on axis-aligned rectangles: every polygon is replaced by its bounding rectangle and areas
count pixels inclusively ((x2 − x1 + 1)·(y2 − y1 + 1)). Per pair, area recall = |G ∩ D| / |G|
and area precision = |G ∩ D| / |D|. Matching, in this order, each object used once:

* one-to-one: recall ≥ 0.8 and precision ≥ 0.4 for exactly this pair on both sides (no other
  detection passes both with this GT, no other GT with this detection), and centre distance <
  the mean of the two diagonals; credit 1 and 1.
* one-to-many (split): the unmatched detections with precision ≥ 0.4 on a GT whose recalls sum
  to ≥ 0.8: recall credit 0.8, precision credit 0.8 per detection — also when there is only one
  such detection (a pair that failed the one-to-one tests).
* many-to-one (merge): the unmatched GT with recall ≥ 0.8 in a detection whose precisions sum to
  ≥ 0.4: recall credit 1 per GT, precision credit 1 (merges are not penalised).
* a detection more than 0.4 inside a don't-care rectangle is ignored.

These rules reproduce the reference DetEval figures of ``../shared/reference`` exactly (official
CRAFT predictions on ICDAR 2015 test: P 0.7401 R 0.6718 on all 500, P 0.7893 R 0.7308 on 1–100).
The RRC Python script's extra conditions — a one-to-one pair must overlap nothing else, a split
or merge needs ≥ 2 overlapping objects, a single-part split/merge scores 1 — give 0.7429 / 0.6735
on all 500 and are not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..types import Detection, GroundTruth

AREA_RECALL = 0.8
AREA_PRECISION = 0.4
CENTRE_DIFF = 1.0
SPLIT = 0.8  # MTYPE_OM_O: credit per object of a one-to-many match
MERGE = 1.0  # MTYPE_OM_M: credit per object of a many-to-one match


@dataclass(frozen=True)
class DetEvalResult:
    recall_sum: float  # accumulated recall credit (≤ number of cared GT)
    precision_sum: float  # accumulated precision credit (≤ number of cared detections)
    num_gt: int
    num_det: int


def _rects(polygons: Sequence[np.ndarray]) -> np.ndarray:
    """(N, 4) xmin, ymin, xmax, ymax of each polygon (float64)."""
    if len(polygons) == 0:
        return np.zeros((0, 4))
    return np.array([[*np.min(p, axis=0), *np.max(p, axis=0)] for p in polygons], np.float64)


def _area(r: np.ndarray) -> np.ndarray:
    return (r[..., 2] - r[..., 0] + 1) * (r[..., 3] - r[..., 1] + 1)


def _inter(g: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(G, D) pixel-inclusive intersection areas."""
    dx = np.minimum(g[:, None, 2], d[None, :, 2]) - np.maximum(g[:, None, 0], d[None, :, 0]) + 1
    dy = np.minimum(g[:, None, 3], d[None, :, 3]) - np.maximum(g[:, None, 1], d[None, :, 1]) + 1
    return np.where((dx >= 0) & (dy >= 0), dx * dy, 0.0)


def match_deteval(
    detections: Sequence[np.ndarray], gt_polygons: Sequence[np.ndarray], gt_ignore: Sequence[bool]
) -> DetEvalResult:
    """One image under DetEval; returns the credits and counts to accumulate."""
    g, d = _rects(gt_polygons), _rects(detections)
    n_gt, n_det = len(g), len(d)
    gt_dc = {i for i, ign in enumerate(gt_ignore) if ign}
    inter = _inter(g, d)
    g_area, d_area = _area(g), _area(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(g_area[:, None] > 0, inter / g_area[:, None], 0.0)
        precision = np.where(d_area[None, :] > 0, inter / d_area[None, :], 0.0)
    det_dc = {j for j in range(n_det) if any(precision[i, j] > AREA_PRECISION for i in gt_dc)}
    care_gt = [i for i in range(n_gt) if i not in gt_dc]
    care_det = [j for j in range(n_det) if j not in det_dc]
    r_sum = p_sum = 0.0
    if n_det and n_gt:
        r_sum, p_sum = _credits(g, d, recall, precision, care_gt, care_det)
    return DetEvalResult(r_sum, p_sum, len(care_gt), len(care_det))


def _credits(g, d, recall, precision, care_gt, care_det) -> tuple[float, float]:
    ok = (recall >= AREA_RECALL) & (precision >= AREA_PRECISION)
    gt_done = np.zeros(len(g), bool)
    det_done = np.zeros(len(d), bool)
    r_sum = p_sum = 0.0
    for i in care_gt:  # one-to-one
        for j in care_det:
            if gt_done[i] or det_done[j] or not ok[i, j]:
                continue
            if ok[i].sum() != 1 or ok[:, j].sum() != 1:
                continue
            cg = (g[i, :2] + g[i, 2:] + 1) / 2
            cd = (d[j, :2] + d[j, 2:] + 1) / 2
            diag = np.hypot(*(g[i, 2:] - g[i, :2] + 1)) + np.hypot(*(d[j, 2:] - d[j, :2] + 1))
            if 2 * np.hypot(*(cg - cd)) / diag < CENTRE_DIFF:
                gt_done[i] = det_done[j] = True
                r_sum += 1.0
                p_sum += 1.0
    for i in care_gt:  # one-to-many (split)
        if gt_done[i]:
            continue
        parts = [j for j in care_det if not det_done[j] and precision[i, j] >= AREA_PRECISION]
        if parts and round(float(recall[i, parts].sum()), 4) >= AREA_RECALL:
            gt_done[i] = True
            det_done[parts] = True
            r_sum += SPLIT
            p_sum += SPLIT * len(parts)
    for j in care_det:  # many-to-one (merge)
        if det_done[j]:
            continue
        parts = [i for i in care_gt if not gt_done[i] and recall[i, j] >= AREA_RECALL]
        if parts and round(float(precision[parts, j].sum()), 4) >= AREA_PRECISION:
            det_done[j] = True
            gt_done[parts] = True
            r_sum += MERGE * len(parts)
            p_sum += MERGE
    return r_sum, p_sum


class DetEvalEvaluator:
    """ICDAR 2013 DetEval accumulated over images (precision, recall, H-mean)."""

    task = "detection"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.recall_sum = self.precision_sum = 0.0
        self.num_gt = self.num_det = 0

    def update(
        self, predictions: Sequence[Sequence[Detection]], targets: Sequence[Sequence[GroundTruth]]
    ) -> None:
        for dets, gts in zip(predictions, targets, strict=True):
            r = match_deteval([x.polygon for x in dets], [t.polygon for t in gts],
                              [t.ignore for t in gts])  # fmt: skip
            self.recall_sum += r.recall_sum
            self.precision_sum += r.precision_sum
            self.num_gt += r.num_gt
            self.num_det += r.num_det

    def compute(self) -> dict[str, float]:
        recall = self.recall_sum / self.num_gt if self.num_gt else 0.0
        precision = self.precision_sum / self.num_det if self.num_det else 0.0
        hmean = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "hmean": hmean}
