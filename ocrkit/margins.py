"""Second readings at other crop margins for regions the recogniser is unsure of.

Why: how much background a word crop carries changes what a CTC recogniser reads — too little
clips a stroke (a leading "(" or a "y" tail), too much lets a neighbour's edge or a ruling line
in as a character — and which is right differs from word to word. The recogniser's confidence
tells the better reading apart: a region read with confidence below ``RETRY_BELOW`` at the
default margin (0.1 × its shorter side on every side) is cut again at ``RETRY_MARGINS`` and the
most confident of the readings is kept, as for orientations (:mod:`ocrkit.orientation`).

The margins and threshold were chosen on FUNSD *train* forms 1–15 (CRAFT boxes; end-to-end
H-mean 0.405 → 0.431; margins {0.05, 0.2}: 0.423, {0.05, 0.15, 0.25}: 0.428; threshold 1.0
instead of 0.9 the same, 0.7 lower) and then measured on the test sets (RESULTS.md §2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .builtin.crop import MARGIN
from .geometry import expand_quad
from .types import Detection, Recognition

RETRY_MARGINS = (0.0, 0.2)  # × the region's shorter side, on every side
RETRY_BELOW = 0.9  # recogniser confidence under which a region is read again


def check_margins(margins: Sequence[float]) -> tuple[float, ...]:
    out = tuple(float(m) for m in margins)
    bad = [m for m in out if not 0.0 <= m <= 0.5]
    if bad:
        raise ValueError(
            f"retry margins must be in [0, 0.5] (× the shorter side), got {list(margins)}"
        )
    return out


def with_margin(detection: Detection, margin: float) -> Detection | None:
    """The quad that the core crop (which adds ``MARGIN`` × the shorter side) cuts with
    ``margin`` instead; None for other polygons (curved words are rectified, not padded).

    Growing a quad by δ × its shorter side s makes that side s(1 + 2δ), to which the crop adds
    ``MARGIN`` × s(1 + 2δ); the total is ``margin`` × s for
    δ = (margin − MARGIN)/(1 + 2 MARGIN).
    """
    if len(detection.polygon) != 4:
        return None
    delta = (margin - MARGIN) / (1 + 2 * MARGIN)
    return Detection(expand_quad(detection.polygon, delta).astype("float32"), detection.score)


def read_again(
    jobs: Sequence[tuple[Any, Detection, bool]],
    best: dict[Any, tuple[Recognition, int]],
    margins: Sequence[float],
    below: float,
    read: Callable[[list[tuple[Any, Detection, bool]]], list[Recognition]],
) -> None:
    """Read the regions read with confidence under ``below`` again, cut at each of ``margins``,
    in the orientation that read best, and keep the most confident reading. ``jobs``: (image,
    region, turn by 180°) as read; ``best``: per region, (its reading, the index of its job),
    updated in place; ``read``: the pipeline's reading of such jobs. Curved regions read turned
    (``turn``) are not cut again."""
    again: list[tuple[Any, Detection, bool]] = []
    owners: list[Any] = []
    for owner, (rec, k) in best.items():
        if rec.score >= below:
            continue
        image, det, turn = jobs[k]
        for margin in margins:
            wider = None if turn else with_margin(det, margin)
            if wider is not None:
                again.append((image, wider, False))
                owners.append(owner)
    if not again:
        return
    for owner, rec in zip(owners, read(again)):
        if rec.score > best[owner][0].score:
            best[owner] = (rec, best[owner][1])
