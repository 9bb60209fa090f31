"""Boundary types shared by the core and every plugin.

Conventions, stated once here:

* An **image** is ``np.ndarray`` uint8 of shape (H, W, 3), RGB. BGR never leaves :mod:`ocrkit.io`.
* A **polygon** is ``np.ndarray`` float32 of shape (K, 2), K >= 4, (x, y) in pixels of the image
  passed to the detector, clockwise in image coordinates (y down) starting near the top-left
  corner. A box is a 4-point polygon (TL, TR, BR, BL).
* A **score** is a float in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]
Polygon = NDArray[np.float32]

__all__ = ["Detection", "GroundTruth", "Image", "Polygon", "Recognition", "Word", "as_polygon"]


def as_polygon(points: Any) -> Polygon:
    """Return ``points`` as a float32 (K, 2) array, K >= 3; raises ValueError otherwise."""
    arr = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if arr.shape[0] < 3 or not np.all(np.isfinite(arr)):
        raise ValueError(f"a polygon needs at least 3 finite points, got {arr.shape[0]}")
    return arr


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: ndarray fields don't compare with ==
class Detection:
    """One text region found by a detector.

    ``unsure``: the detector found it below its own threshold and asks for the recogniser's
    word on it. A pipeline keeps such a region only where the recogniser reads it confidently
    (:mod:`ocrkit.unsure`) and drops it when there is no recogniser.
    """

    polygon: Polygon
    score: float
    unsure: bool = False


@dataclass(frozen=True, slots=True)
class Recognition:
    """The text read from one crop; ``spaced``: the text with a space between two words that
    its frames allow nearly as well, where the recogniser offers one (a pipeline takes it only
    where the crop's ink shows the gap: ``ocrkit.spaces``)."""

    text: str
    score: float
    spaced: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Word:
    """What a pipeline returns per text region: where, what, and how sure."""

    polygon: Polygon
    text: str | None
    detection_score: float
    recognition_score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "polygon": [[round(float(x), 2), round(float(y), 2)] for x, y in self.polygon],
            "text": self.text,
            "detection_score": round(float(self.detection_score), 5),
            "recognition_score": None
            if self.recognition_score is None
            else round(float(self.recognition_score), 5),
        }


@dataclass(frozen=True, slots=True, eq=False)
class GroundTruth:
    """One labelled region of a benchmark image."""

    polygon: Polygon
    text: str | None = None  # None when only the location is labelled
    ignore: bool = False  # "don't care" regions (ICDAR "###")
