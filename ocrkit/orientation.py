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

from collections.abc import Mapping, Sequence

import numpy as np

from .geometry import polygon_to_quad, quad_size
from .types import Detection, Recognition

VERTICAL_RATIO = 1.5
MIN_VOTERS = 3  # vertical regions an image needs before they are read in one direction
ANGLES = (0, 90, 180, 270)
UPSIDE_DOWN = ("check", "off")
WIDE_RATIO = 2.0  # a probe for the upside-down check is at least this much wider than tall
PROBES = 8  # an image's widest such words, read turned by 180° as well
MIN_PROBES = 3  # fewer wide words: the image is not checked
FLIP_SHARE = 0.75  # the image is upside down when this share of probes reads better turned…
FLIP_MARGIN = 0.2  # …and their mean confidence turned exceeds the upright one by this much
# A tilted tall region read turned so that its text runs leftward must beat its rightward
# reading by this much (see `leftward_penalty`); within LEFTWARD_SLOPE of vertical, no prior.
LEFTWARD_MARGIN = 0.2
LEFTWARD_SLOPE = 0.34  # sin(20°): the text direction's leftward x component, as a fraction
MIN_TURNED_CHARS = 3  # a turned reading this long (letters, digits) beats one upright glyph…
MIN_TURNED_SCORE = 0.5  # …when read at least this confidently


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


def leftward_penalty(angle: int, detection: Detection) -> float:
    """``LEFTWARD_MARGIN`` for a reading at 90° or 270° whose text runs leftward by more than
    20° past vertical (its quad's first edge as rolled, TL→TR, points left), else 0.

    A tall region is read turned both ways because a vertical word may run down or up. A word
    on a slant (a word at 55° on an arc, a page photographed at 60°) is not ambiguous: Latin text
    runs rightward, and read the other way it is upside down. The CRNN is sometimes as confident
    about the upside-down reading ("bread" at 55°: "bread" 0.84 turned one way, "peaja" 0.89 the
    other), so that reading only wins by a clear margin (the same one as ``FLIP_MARGIN``; an
    upside-down *image* is handled by ``upside_down``). Near vertical both ways stay equal.
    """
    if angle not in (90, 270) or len(detection.polygon) != 4:
        return 0.0
    edge = detection.polygon[1].astype(np.float64) - detection.polygon[0]
    slope = edge[0] / max(float(np.hypot(*edge)), 1e-6)
    return LEFTWARD_MARGIN if slope < -LEFTWARD_SLOPE else 0.0


def best_angle(readings: Mapping[int, tuple[Recognition, Detection]]) -> int:
    """The angle whose reading a region keeps, from its reading and its region as cropped at
    each angle tried: the most confident after ``leftward_penalty``, except that a one-glyph
    reading upright loses to a turned reading of at least ``MIN_TURNED_CHARS`` letters or
    digits read with confidence ≥ ``MIN_TURNED_SCORE``.

    Why the exception: a tall region read upright is either one tall glyph ("I", "l", "1") or a
    word on its side, and the CRNN takes a word on its side, confidently, for one glyph ("Pizza"
    at 50°: "8" 0.998, against "Pizza" 0.93 turned). On a page turned by 90° the vertical words'
    vote (``vote``) catches this; a lone vertical or steep word has no one to vote with. One
    glyph turned by 90° reads as a mark ("-", "_") or nothing, not as three letters.
    """
    score = {a: rec.score - leftward_penalty(a, det) for a, (rec, det) in readings.items()}
    if 0 in readings and len(readings[0][0].text.strip()) == 1:
        words = [a for a in (90, 270) if a in readings
                 and sum(ch.isalnum() for ch in readings[a][0].text) >= MIN_TURNED_CHARS
                 and readings[a][0].score >= MIN_TURNED_SCORE]  # fmt: skip
        if words:
            score = {a: score[a] for a in words}
    return max(score, key=score.__getitem__)  # ties: the first tried (0 before turns)


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
