"""Reading direction of a region: which way its text runs, tried as rotated quads.

A rotation of k × 90° (clockwise, the angle the *text* is turned by) is read by rolling the quad's
corners by k, so the crop is cut at full resolution along the text instead of rotating a small
crop. The vertical-word rule: a region at least ``VERTICAL_RATIO`` times taller than wide (its
TL→BL side against its TL→TR side) is also read turned by 90° and 270°, and the most confident
reading wins (a single tall letter such as "I" usually reads best upright, so it stays).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geometry import polygon_to_quad, quad_size
from .types import Detection

VERTICAL_RATIO = 1.5
ANGLES = (0, 90, 180, 270)


def check_rotations(rotations: Sequence[int]) -> tuple[int, ...]:
    out = tuple(int(a) % 360 for a in rotations)
    bad = [a for a in out if a not in ANGLES]
    if bad:
        raise ValueError(f"rotations must be multiples of 90 degrees, got {list(rotations)}")
    return out


def is_vertical(polygon: np.ndarray) -> bool:
    width, height = quad_size(polygon_to_quad(polygon).astype(np.float64))
    return height >= VERTICAL_RATIO * max(width, 1e-6)


def candidate_angles(detection: Detection, rotations: Sequence[int]) -> list[int]:
    """Angles to read the region at: 0, the requested ones, and 90/270 for vertical regions."""
    angles = [0, *rotations]
    if is_vertical(detection.polygon):
        angles += [90, 270]
    seen: list[int] = []
    for a in angles:
        if a not in seen:
            seen.append(a)
    return seen


def rotated(detection: Detection, angle: int) -> Detection | None:
    """The region with its corners rolled so text turned by ``angle`` reads left to right.

    Only quads can be rolled; for other polygons only 0 is possible (None otherwise; 180° of a
    curved word is handled by rotating its crop).
    """
    if angle == 0:
        return detection
    if len(detection.polygon) != 4:
        return None
    k = ANGLES.index(angle)
    return Detection(np.roll(detection.polygon, -k, axis=0), detection.score)
