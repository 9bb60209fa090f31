"""Short words take the direction of the image's long words (``follow_page``, numpy/cv2).

A minimum-area rectangle says which way a long word runs, but not a short one: "of", "US" or a
single letter is nearly square, so its fitted rectangle may lie at any angle, and the
reference then takes the axis-aligned box instead (postprocess ``SQUARE_TOLERANCE``). On a page
or card photographed at 30° the recogniser gets such a word tilted by 30° ("of" read "0f"), or
cut across its neighbours. A short word up to 2:1 ("No.", "the") fares little better: its ink,
not its line, sets its rectangle's angle. Where the image's long words agree on one direction,
each such word's box (long side under ``ELONGATED`` × short) is fitted again with its sides
along that direction, to the same dilated pixels.

Where that direction is within ``MAX_ROLL`` of horizontal, every box's corners are then rolled
so its first edge (top-left → top-right) runs along it, rightward. The reference starts a box
at its smallest x + y, which for a box tilted by 45° is a tie between the word's top-left and
top-right: on a card photographed at 45° neighbouring words came with their corners a quarter
turn apart, half of them cropped on their side ("of" read "6"), and a number's pieces could not
be joined. On an upright page the two orders are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocrkit.geometry import rolled_along

from .postprocess import top_left_first

ELONGATED = 2.0  # long / short side of a box whose angle says which way the text runs
MIN_WORDS = 3  # long words an image needs before its short words follow them
MIN_AGREEMENT = 0.9  # length-weighted resultant of the long words' doubled angles (1 = all parallel)
# Long / short side below which a box is fitted again along the text: every box whose own angle
# is not trusted (below ELONGATED). It was 1.5, which left a short word such as "No." (1.6:1) at
# the angle its ink gave: on a card photographed at −8° that box came out upright, and the
# period step, measuring the dot against the letters' baseline across the crop, missed it.
SQUARISH = ELONGATED
# Pages within this many degrees of horizontal have every box's corners rolled to run along
# their text. Beyond it a word is read turned both ways (90°, 270°: ``ocrkit.orientation``), as
# text that steep may run up or down; the reference's order there already makes it tall.
MAX_ROLL = 50.0


def sides(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m,) lengths of the first and second edges of (m, 4, 2) boxes."""
    return (np.linalg.norm(boxes[:, 1] - boxes[:, 0], axis=1),
            np.linalg.norm(boxes[:, 2] - boxes[:, 1], axis=1))  # fmt: skip


def text_direction(boxes: np.ndarray) -> float | None:
    """The angle (radians, in (−π/2, π/2], image axes with y down) along which the long words
    of (m, 4, 2) ``boxes`` run, or None when there are fewer than ``MIN_WORDS`` of them or they
    disagree (a scene with text in several directions).

    Angles are averaged doubled (an edge and its reverse are one direction), weighted by length.
    Not ``ocrkit.reading_order``'s skew (the median top-edge angle, clipped to ±45°, 0 when
    unknown): ordering lines always needs some angle, but re-boxing a word on a guess would
    turn it, so here disagreement means no angle, and any tilt is allowed.
    """
    if len(boxes) == 0:
        return None
    first, second = sides(boxes)
    long, short = np.maximum(first, second), np.minimum(first, second)
    keep = long >= ELONGATED * np.maximum(short, 1e-6)
    if keep.sum() < MIN_WORDS:
        return None
    edge = np.where((first >= second)[:, None], boxes[:, 1] - boxes[:, 0], boxes[:, 2] - boxes[:, 1])[keep]
    doubled = 2 * np.arctan2(edge[:, 1], edge[:, 0])
    weight = long[keep]
    mean = complex(np.sum(weight * np.cos(doubled)), np.sum(weight * np.sin(doubled)))
    if abs(mean) < MIN_AGREEMENT * weight.sum():
        return None
    return float(np.angle(mean)) / 2  # (−π/2, π/2]


def fit_along(points: np.ndarray, angle: float) -> np.ndarray:
    """float32 (4, 2) clockwise rectangle with sides along ``angle`` and across it, the smallest
    such one around ``points`` (P, 2)."""
    u = np.array([np.cos(angle), np.sin(angle)])
    v = np.array([-u[1], u[0]])  # u turned clockwise on screen (y down): across the text, down
    along, across = points @ u, points @ v
    (a0, a1), (c0, c1) = (along.min(), along.max()), (across.min(), across.max())
    corners = [(a0, c0), (a1, c0), (a1, c1), (a0, c1)]
    return np.array([a * u + c * v for a, c in corners], dtype=np.float32)


def follow_page(
    boxes: Sequence[np.ndarray], hulls: Sequence[np.ndarray]
) -> tuple[list[np.ndarray], np.ndarray]:
    """``boxes`` (float32 (4, 2) each, top-left first) with the short ones (under ``SQUARISH``)
    fitted again to their ``hulls`` along the direction of the image's long words, and, where
    that direction is within ``MAX_ROLL`` of horizontal, every box's corners rolled to start at
    the top-left as the text runs (``ocrkit.geometry.roll_along``); unchanged when they have
    no direction.

    Also returns which boxes were fitted again ((m,) bool). Those are short words on a page
    whose text runs one way, so the detector keeps them boxes under ``poly=auto``: a comma
    hanging below "12," made the polygon step's centre line look bent, and a polygon is not
    joined with the number's next piece.
    """
    refitted = np.zeros(len(boxes), dtype=bool)
    if not len(boxes):
        return list(boxes), refitted
    stack = np.stack(boxes).astype(np.float64)
    angle = text_direction(stack)
    if angle is None:
        return list(boxes), refitted
    first, second = sides(stack)
    refitted = np.maximum(first, second) < SQUARISH * np.maximum(np.minimum(first, second), 1e-6)
    out = list(boxes)
    for j in np.flatnonzero(refitted):
        out[j] = top_left_first(fit_along(hulls[j].astype(np.float64), angle)[None])[0]
    if abs(np.degrees(angle)) <= MAX_ROLL:
        rightward = np.array([np.cos(angle), np.sin(angle)])  # angle in (−π/2, π/2]: x ≥ 0
        out = rolled_along(out, rightward)
    return out, refitted

