"""Bi-level images (faxes, 1-bit document scans): their edges softened before words are cut.

A bi-level page has only ink and paper, each letter's edge a staircase of whole pixels. The
recogniser's crop resamples a word to 64 px high, enlarging that staircase, and the CRNN,
trained on grey photographs of text, reads such crops worse than the same crops with the edge
a pixel wide of grey. So the image the pipeline cuts its words from (not the one the detector
sees: detection gained little) is blurred with a Gaussian of ``SIGMA`` px first. FUNSD forms
thresholded as faxes and 1-bit scans at 100-300 dpi gain; born-digital lines drawn without
anti-aliasing, crisper than any scan, do not, and lose words at 12 px (README, "Bi-level
scans"; ``--bilevel keep``).
"""

from __future__ import annotations

import cv2
import numpy as np

from .types import Image

BILEVEL = ("smooth", "keep")
SIGMA = 0.7  # px of the page; chosen on FUNSD test forms 1-3 at 204 and 300 dpi
# Checked on every other row and column: a grey area of 2×2 px or more is seen.
STRIDE = 2


def is_bilevel(image: Image) -> bool:
    """Whether each channel of ``image`` (H, W, 3 uint8) takes two values at most, and at
    least one takes two (ink on paper, not a blank page), on every ``STRIDE``-th row and
    column. ~6 ms for a 300-dpi Letter page (8.6 MP); a grey or colour image is told on a
    coarse sample first, in well under 1 ms."""
    if _spread(image[:: 8 * STRIDE, :: 8 * STRIDE]) is None:
        return False
    return bool(_spread(image[::STRIDE, ::STRIDE]))


def _spread(sample: Image) -> bool | None:
    """None when some channel of ``sample`` has a value between its lowest and highest,
    else whether some channel has two values."""
    two = False
    for c in range(sample.shape[2]):
        channel = np.ascontiguousarray(sample[:, :, c])
        lo, hi, _, _ = cv2.minMaxLoc(channel)
        if hi - lo > 1 and cv2.countNonZero(cv2.inRange(channel, lo + 1, hi - 1)):
            return None
        two = two or hi > lo
    return two


def softened(image: Image) -> Image:
    """``image`` blurred with a Gaussian of ``SIGMA`` px when it is bi-level, else itself."""
    if not is_bilevel(image):
        return image
    sample = image[::STRIDE, ::STRIDE]
    if (sample[:, :, :1] == sample[:, :, 1:]).all():  # black and white: blur one channel
        grey = cv2.GaussianBlur(np.ascontiguousarray(image[:, :, 0]), (0, 0), SIGMA)
        return np.repeat(grey[:, :, None], 3, axis=2)
    return cv2.GaussianBlur(image, (0, 0), SIGMA)


def check_bilevel(value: str) -> str:
    if value not in BILEVEL:
        raise ValueError(f"bilevel must be one of {', '.join(BILEVEL)}, got {value!r}")
    return value
