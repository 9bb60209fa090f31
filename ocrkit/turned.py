"""Pages turned by 90°, detected again upright: the image turned back, read anew, mapped back.

A page photographed sideways (a card held in portrait, a scan fed in landscape) is found by the
vote of its vertical regions (:func:`ocrkit.orientation.vote`: most regions tall, read best
turned one way). Reading those regions turned does not mend what CRAFT did to sideways text:
trained on upright text, it links characters across the lines of a sideways block ("of" joined
to "birth" on the next line, an MRZ's first two lines as one region read "U"). So such an image
is turned upright (``np.rot90``, exact), detected and read again as any upright image, and its
words' polygons are mapped back onto the image as given, each still starting at the top-left of
its text (a rotation keeps the corners clockwise). Upright images cost nothing extra; a turned
one costs one more detection and reading. The same holds for a page turned by 60° or 120°: the
reference boxes its words tall, they vote, and the page turned by 90° is within 30° of upright,
where ``follow_page`` boxes its words along the text.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .types import Image, Word


def upright(image: Image, angle: int) -> Image:
    """``image`` turned so text turned by ``angle`` (90 or 270, clockwise: the vote's angle)
    reads upright: by ``angle`` counter-clockwise."""
    return np.ascontiguousarray(np.rot90(image, k=angle // 90))


def to_original(polygon: np.ndarray, angle: int, shape: tuple[int, ...]) -> np.ndarray:
    """A float32 (K, 2) polygon of ``upright(image, angle)`` in the pixels of ``image`` itself,
    whose (height, width, ...) is ``shape``; corner order kept."""
    h, w = shape[:2]
    x, y = polygon[:, 0].astype(np.float64), polygon[:, 1].astype(np.float64)
    if angle == 90:  # rot90 k=1: (x, y) of the original went to (y, w − x)
        out = np.stack([w - y, x], axis=1)
    elif angle == 270:  # k=3: (x, y) went to (h − y, x)
        out = np.stack([y, h - x], axis=1)
    else:
        raise ValueError(f"a turned page is turned by 90 or 270 degrees, got {angle}")
    return out.astype(np.float32)


def mapped_back(words: list[Word], angle: int, shape: tuple[int, ...]) -> list[Word]:
    """``words`` read on ``upright(image, angle)``, with their polygons on ``image``."""
    return [replace(w, polygon=to_original(w.polygon, angle, shape)) for w in words]
