"""ICDAR 2015 localisation protocol and its polygon variant (IoU > 0.5, one-to-one, don't care).

Degenerate polygons follow the rule in :mod:`ocrkit.metrics.shapes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..types import Detection, GroundTruth
from .shapes import area, intersection, shape

IOU_THRESHOLD = 0.5  # a match needs IoU strictly above this (ICDAR 2015)
DONT_CARE_AREA = 0.5  # a detection more than this fraction inside a don't-care region is ignored


@dataclass(frozen=True)
class MatchResult:
    matched: int  # one-to-one matches with IoU > threshold
    num_gt: int  # cared-for ground truth
    num_det: int  # detections not ignored as don't-care
    pairs: tuple[tuple[int, int], ...]  # (gt index, detection index) of each match


def match_icdar2015(
    detections: Sequence[np.ndarray],
    gt_polygons: Sequence[np.ndarray],
    gt_ignore: Sequence[bool],
    iou_threshold: float = IOU_THRESHOLD,
) -> MatchResult:
    """One image under the ICDAR 2015 protocol (greedy one-to-one in GT, detection order)."""
    gts = [shape(p) for p in gt_polygons]
    dets = [shape(p) for p in detections]
    dont_care_gt = {i for i, ign in enumerate(gt_ignore) if ign}
    dont_care_det: set[int] = set()
    for j, det in enumerate(dets):
        det_area = area(det)
        for i in dont_care_gt:
            if det_area > 0 and intersection(gts[i], det) / det_area > DONT_CARE_AREA:
                dont_care_det.add(j)
                break
    gt_used = [False] * len(gts)
    det_used = [False] * len(dets)
    pairs = []
    for i, gt in enumerate(gts):
        if i in dont_care_gt:
            continue
        for j, det in enumerate(dets):
            if gt_used[i] or det_used[j] or j in dont_care_det:
                continue
            inter = intersection(gt, det)
            union = area(gt) + area(det) - inter
            if union > 0 and inter / union > iou_threshold:
                gt_used[i] = det_used[j] = True
                pairs.append((i, j))
    return MatchResult(
        matched=len(pairs),
        num_gt=len(gts) - len(dont_care_gt),
        num_det=len(dets) - len(dont_care_det),
        pairs=tuple(pairs),
    )


def prf(matched: int, num_gt: int, num_det: int) -> dict[str, float]:
    """Precision, recall and H-mean from global counts (0 when undefined, as the RRC scripts)."""
    recall = matched / num_gt if num_gt else 0.0
    precision = matched / num_det if num_det else 0.0
    hmean = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "hmean": hmean}


class Icdar2015Evaluator:
    """ICDAR 2015 Task 1 localisation protocol (IoU > 0.5, one-to-one, ``###`` don't care)."""

    task = "detection"

    def __init__(self, iou_threshold: float = IOU_THRESHOLD) -> None:
        self.iou_threshold = iou_threshold
        self.reset()

    def reset(self) -> None:
        self.matched = self.num_gt = self.num_det = 0

    def update(
        self, predictions: Sequence[Sequence[Detection]], targets: Sequence[Sequence[GroundTruth]]
    ) -> None:
        for dets, gts in zip(predictions, targets, strict=True):
            result = match_icdar2015(
                [d.polygon for d in dets],
                [g.polygon for g in gts],
                [g.ignore for g in gts],
                self.iou_threshold,
            )
            self.matched += result.matched
            self.num_gt += result.num_gt
            self.num_det += result.num_det

    def compute(self) -> dict[str, float]:
        return prf(self.matched, self.num_gt, self.num_det)


class PolygonEvaluator(Icdar2015Evaluator):
    """Total-Text / CTW1500 style: the same IoU > 0.5 one-to-one rule on arbitrary polygons.

    Ground-truth polygons may have any number of points (curved text); the ICDAR 2015 code path
    already works on shapely polygons, so the two protocols differ only in the data they accept
    (the IC15 scripts reject anything but quadrilaterals).
    """
