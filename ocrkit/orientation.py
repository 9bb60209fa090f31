"""Reading direction of a region: which way its text runs, tried as rotated quads.

A rotation of k × 90° (clockwise, the angle the *text* is turned by) is read by rolling the quad's
corners by k, so the crop is cut at full resolution along the text instead of rotating a small
crop. The vertical-word rule: a region at least ``VERTICAL_RATIO`` times taller than wide (its
TL→BL side against its TL→TR side) is also read turned by 90° and 270°, and the most confident
reading wins (a single tall letter such as "I" usually reads best upright, so it stays).

One image's vertical regions vote (``vote``): on a page turned by 90° nearly every word is a
vertical region, and a word read sideways is often taken, confidently, for one tall glyph ("8",
")", "["); read the same way as the page's other vertical regions it comes out right. A vote
for 0° changes nothing (upright tall letters, and a vertical label such as a form's margin ID,
each keep their best reading). When most of an image's regions are vertical and they vote for
a turn, its short words (regions neither clearly wide nor clearly tall: "of" turned by 90° is
squarish and would otherwise read as "6") are read turned the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geometry import polygon_to_quad, quad_size
from .types import Detection

VERTICAL_RATIO = 1.5
MIN_VOTERS = 3  # vertical regions an image needs before they are read in one direction
ANGLES = (0, 90, 180, 270)
UPSIDE_DOWN = ("check", "off")
WIDE_RATIO = 2.0  # a probe for the upside-down check is at least this much wider than tall
PROBES = 8  # an image's widest such words, read turned by 180° as well
MIN_PROBES = 3  # fewer wide words: the image is not checked
FLIP_SHARE = 0.75  # the image is upside down when this share of probes reads better turned…
FLIP_MARGIN = 0.2  # …and their mean confidence turned exceeds the upright one by this much


def check_rotations(rotations: Sequence[int]) -> tuple[int, ...]:
    out = tuple(int(a) % 360 for a in rotations)
    bad = [a for a in out if a not in ANGLES]
    if bad:
        raise ValueError(f"rotations must be multiples of 90 degrees, got {list(rotations)}")
    return out


def is_vertical(polygon: np.ndarray) -> bool:
    width, height = quad_size(polygon_to_quad(polygon).astype(np.float64))
    return height >= VERTICAL_RATIO * max(width, 1e-6)


def is_squarish(polygon: np.ndarray) -> bool:
    """Neither side ``VERTICAL_RATIO`` times the other: a short word or a letter, either way up."""
    width, height = quad_size(polygon_to_quad(polygon).astype(np.float64))
    return max(width, height) < VERTICAL_RATIO * max(min(width, height), 1e-6)


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


def probes(regions: Sequence[Detection], limit: int = PROBES) -> list[int]:
    """Indices of the ``limit`` widest quads at least ``WIDE_RATIO`` times wider than tall (along
    their first edge): words of several letters, whose reading turned by 180° says whether the
    image is upside down."""
    sizes = []
    for k, region in enumerate(regions):
        if len(region.polygon) == 4:
            width, height = quad_size(region.polygon)
            if width >= WIDE_RATIO * max(height, 1e-6):
                sizes.append((width, k))
    return [k for _, k in sorted(sizes, reverse=True)[:limit]]


def upside_down(upright: Sequence[float], turned: Sequence[float]) -> bool:
    """Whether an image is upside down, from the confidences of its probes read as detected
    (``upright``) and turned by 180° (``turned``): at least ``MIN_PROBES`` of them, ``FLIP_SHARE``
    of those read more confidently turned, and by ``FLIP_MARGIN`` on average.

    Why compare each word with itself: the CRNN reads upside-down text with a mean confidence of
    0.55–0.75, near that of hard upright words, but seldom more confidently than the same word
    the right way up. Measured (bf16): on pages, memos and card photos turned by 150–200°, 7 or 8
    of 8 probes read better turned, by 0.35–0.66 on average; upright or tilted by 20°, 0 or 1 of
    8, by −0.34 to −0.66; on ICDAR 2015 test 1–100 (upright scenes) at most 2 of 3.
    """
    if len(upright) < MIN_PROBES:
        return False
    better = sum(t > u for u, t in zip(upright, turned))
    gain = (sum(turned) - sum(upright)) / len(upright)
    return better >= FLIP_SHARE * len(upright) and gain >= FLIP_MARGIN


def vote(readings: Sequence[dict[int, float]]) -> int | None:
    """The angle an image's vertical regions are all read at, or None to leave each its best.

    ``readings``: per vertical region, the confidence of its reading at each angle tried. With at
    least ``MIN_VOTERS`` regions, the angle tried for all of them with the highest total
    confidence wins.
    """
    if len(readings) < MIN_VOTERS:
        return None
    shared = set.intersection(*(set(r) for r in readings))
    if not shared:
        return None
    return max(sorted(shared), key=lambda a: sum(r[a] for r in readings))
