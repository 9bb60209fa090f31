"""Regions a detector is unsure of, kept only where the recogniser reads them confidently.

A detector may return regions below its own threshold flagged ``Detection.unsure`` (CRAFT: a
character on its own, which it scores lower than a word's, such as an ID card's sex "F"). The
shape alone cannot tell such a character from a stray mark or a face's edge; the recogniser
can: on ``benchmarks/bench_cards.py``'s photos it read the lone "F"s with confidence ≥ 0.99 and
every stray component with 0.83 or less; the highest of CRAFT's band on ICDAR 2015 test 1–30
and FUNSD train 1–12 read 0.90 and 0.94 (``MIN_SCORE`` sits above both, benchmarks/RESULTS.md
§2 "ID-card photos"). So each unsure region is cropped and read once, before
the pipeline orders and reads the rest, and kept, as a region like any other, when it reads
with confidence ≥ ``MIN_SCORE`` and holds a letter or digit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .types import Detection, Image, Recognition

MIN_SCORE = 0.95  # recognition confidence an unsure region needs to be kept

Reader = Callable[[list[tuple[Image, Detection]]], list[Recognition]]


def confirmed(
    images: Sequence[Image], detections: Sequence[Sequence[Detection]], read: Reader | None
) -> list[list[Detection]]:
    """``detections`` per image with each unsure region either kept (no longer flagged) or
    dropped: kept where ``read`` (crops and reads (image, region) pairs) reads it with
    confidence ≥ ``MIN_SCORE`` and a letter or digit in its text; all dropped when ``read`` is
    None (detection only)."""
    pairs = [(i, k) for i, dets in enumerate(detections) for k, d in enumerate(dets) if d.unsure]
    if not pairs:
        return [list(dets) for dets in detections]
    kept: set[tuple[int, int]] = set()
    if read is not None:
        readings = read([(images[i], detections[i][k]) for i, k in pairs])
        kept = {pair for pair, rec in zip(pairs, readings)
                if rec.score >= MIN_SCORE and any(ch.isalnum() for ch in rec.text)}  # fmt: skip
    return [[replace(d, unsure=False) if d.unsure else d
             for k, d in enumerate(dets) if not d.unsure or (i, k) in kept]
            for i, dets in enumerate(detections)]  # fmt: skip
