"""Line level: words merged into one region per text line (or line segment), texts joined."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from .geometry import order_quad, roll_along
from .reading_order import group_lines
from .types import Word

LEVELS = ("word", "line")


def merge_line(words: Sequence[Word], sep: str = " ") -> Word:
    """One Word around ``words`` (in reading order): min-area rectangle, texts joined by ``sep``."""
    if len(words) == 1:
        return words[0]
    points = np.concatenate([np.asarray(w.polygon, np.float32) for w in words])
    quad = roll_along(order_quad(cv2.boxPoints(cv2.minAreaRect(points))), words_direction(words))
    texts = [w.text for w in words]
    text = None if any(t is None for t in texts) else sep.join(t for t in texts if t)
    rec = [w.recognition_score for w in words]
    return Word(
        quad.astype(np.float32),
        text,
        float(np.mean([w.detection_score for w in words])),
        None if any(r is None for r in rec) else float(np.mean(rec)),  # type: ignore[arg-type]
    )


def words_direction(words: Sequence[Word]) -> np.ndarray:
    """The words' text direction: the sum of their top edges' unit vectors (a quad's first
    edge; a longer polygon's top side, its first half, as CRAFT's polygons run)."""
    total = np.zeros(2)
    for w in words:
        p = np.asarray(w.polygon, np.float64)
        edge = p[len(p) // 2 - 1] - p[0]
        total += edge / max(float(np.hypot(*edge)), 1e-9)
    return total


def to_lines(words: Sequence[Word], reverse: bool = False) -> list[Word]:
    """Words grouped into lines split at wide gaps (``group_lines(split_gaps=True)``).

    ``reverse``: the image is upside down, so its lines run bottom to top and right to left in
    image coordinates: lines and the words within each are taken in reverse order."""
    groups = group_lines([w.polygon for w in words], split_gaps=True)
    if reverse:
        groups = [group[::-1] for group in groups[::-1]]
    return [merge_line([words[i] for i in group]) for group in groups]
