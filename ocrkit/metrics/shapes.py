"""Polygon geometry for the metrics (shapely).

Degenerate polygons (documented rule): a self-intersecting polygon is repaired with
``shapely.make_valid`` (a bow-tie becomes its two triangles); a polygon of zero area matches
nothing (IoU 0) and is never inside a don't-care region, so it counts as a false positive.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def shape(points: np.ndarray) -> Any:
    import shapely

    poly = shapely.Polygon(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    return poly


def area(geom: Any) -> float:
    return float(geom.area)


def intersection(a: Any, b: Any) -> float:
    if a.is_empty or b.is_empty or not a.intersects(b):
        return 0.0
    return float(a.intersection(b).area)


def iou(a: Any, b: Any) -> float:
    inter = intersection(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0
