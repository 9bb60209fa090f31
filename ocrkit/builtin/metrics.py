"""The core's metrics, registered through ``ocrkit_register_evaluators`` like any plugin's.

Each metric is a pure function plus a small update/compute/reset class.

Degenerate polygons (documented rule): a self-intersecting polygon is repaired with
``shapely.make_valid`` (a bow-tie becomes its two triangles); a polygon of zero area matches
nothing (IoU 0) and is never inside a don't-care region, so it counts as a false positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..hookspecs import hookimpl
from ..types import Detection, GroundTruth, Recognition

IOU_THRESHOLD = 0.5  # a match needs IoU strictly above this (ICDAR 2015)
DONT_CARE_AREA = 0.5  # a detection more than this fraction inside a don't-care region is ignored


def _shape(points: np.ndarray) -> Any:
    import shapely

    poly = shapely.Polygon(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    return poly


def _area(shape: Any) -> float:
    return float(shape.area)


def _intersection(a: Any, b: Any) -> float:
    if a.is_empty or b.is_empty or not a.intersects(b):
        return 0.0
    return float(a.intersection(b).area)


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
    gts = [_shape(p) for p in gt_polygons]
    dets = [_shape(p) for p in detections]
    dont_care_gt = {i for i, ign in enumerate(gt_ignore) if ign}
    dont_care_det: set[int] = set()
    for j, det in enumerate(dets):
        area = _area(det)
        for i in dont_care_gt:
            if area > 0 and _intersection(gts[i], det) / area > DONT_CARE_AREA:
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
            inter = _intersection(gt, det)
            union = _area(gt) + _area(det) - inter
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


def _alnum_lower(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def character_error_rate(prediction: str, reference: str) -> float:
    """Edit distance / reference length (1.0 for an empty reference and a non-empty prediction)."""
    import editdistance

    if not reference:
        return 0.0 if not prediction else 1.0
    return editdistance.eval(prediction, reference) / len(reference)


class RecognitionEvaluator:
    """Word accuracy (case-sensitive, and case-insensitive alphanumeric) and mean CER."""

    task = "recognition"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.n = self.exact = self.alnum = 0
        self.edits = 0.0
        self.ref_chars = 0

    def update(self, predictions: Sequence[Recognition], targets: Sequence[str]) -> None:
        import editdistance

        for pred, ref in zip(predictions, targets, strict=True):
            text = pred.text if isinstance(pred, Recognition) else str(pred)
            self.n += 1
            self.exact += text == ref
            self.alnum += _alnum_lower(text) == _alnum_lower(ref)
            self.edits += editdistance.eval(text, ref)
            self.ref_chars += len(ref)

    def compute(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {
            "accuracy": self.exact / n,
            "accuracy_alnum": self.alnum / n,
            "cer": self.edits / max(self.ref_chars, 1),
        }


@hookimpl
def ocrkit_register_evaluators(registry: Any) -> None:
    registry.add(
        "icdar2015",
        lambda *, options=None: Icdar2015Evaluator(**dict(options or {})),
        summary="ICDAR 2015 localisation: IoU > 0.5 one-to-one, '###' regions ignored",
    )
    registry.add(
        "recognition",
        lambda *, options=None: RecognitionEvaluator(),
        summary="word accuracy (exact; case-insensitive alphanumeric) and character error rate",
    )
