"""A kit for plugin authors: synthetic text images and contract checks for detectors/recognisers.

Example:
    >>> from ocrkit.testing import synthetic_text_image, check_detector
    >>> image, quads = synthetic_text_image(["HELLO", "WORLD"])
    >>> check_detector(my_detector, [image])  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import cv2
import numpy as np

from .protocols import Detector, Recognizer
from .types import Detection, Image, Recognition

__all__ = ["check_detector", "check_recognizer", "curved_text_image", "synthetic_text_image"]


def synthetic_text_image(
    lines: Sequence[str],
    size: tuple[int, int] = (480, 640),
    angle: float = 0.0,
    scale: float = 1.5,
    thickness: int = 3,
) -> tuple[Image, list[np.ndarray]]:
    """Dark text on a light page, one string per line, optionally rotated by ``angle`` degrees.

    Returns the RGB uint8 (H, W, 3) image and one float32 (4, 2) quad per line (TL, TR, BR, BL,
    in the returned image's pixels).
    """
    height, width = size
    image = np.full((height, width, 3), 235, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    quads = []
    y = 0
    for text in lines:
        (tw, th), base = cv2.getTextSize(text, font, scale, thickness)
        y += th + base + int(th * 0.8)
        x = 20
        cv2.putText(image, text, (x, y), font, scale, (20, 20, 20), thickness, cv2.LINE_AA)
        quads.append(
            np.array([[x, y - th], [x + tw, y - th], [x + tw, y + base], [x, y + base]], np.float32)
        )
    if angle:
        m = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        image = cv2.warpAffine(image, m, (width, height), borderValue=(235, 235, 235))
        quads = [(np.c_[q, np.ones(4)] @ m.T).astype(np.float32) for q in quads]
    return image, quads


def _straight_text(text: str, scale: float, thickness: int) -> tuple[np.ndarray, int]:
    """White-on-black grey mask of ``text`` with a margin; returns (mask, text height in px)."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    (tw, th), base = cv2.getTextSize(text, font, scale, thickness)
    pad = th
    mask = np.zeros((th + base + 2 * pad, tw + 2 * pad), np.uint8)
    cv2.putText(mask, text, (pad, pad + th), font, scale, 255, thickness, cv2.LINE_AA)
    return mask, th


def _font_text(text: str, font: str | os.PathLike[str], px: int) -> tuple[np.ndarray, int, int]:
    """Grey mask of ``text`` in a TrueType/OpenType ``font`` at ``px`` pixels, with a margin;
    returns (mask, ink height, row of the ink's bottom)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    face = ImageFont.truetype(str(font), px)
    left, top, right, bottom = face.getbbox(text)
    canvas = PILImage.new("L", (right - left + 2 * px, bottom - top + 2 * px), 0)
    ImageDraw.Draw(canvas).text((px - left, px - top), text, font=face, fill=255)
    mask = np.array(canvas)
    rows = np.nonzero(mask.max(axis=1))[0]
    if rows.size == 0:
        raise ValueError(f"font {font} renders nothing for {text!r}")
    return mask, int(rows[-1] - rows[0]), int(rows[-1])


def curved_text_image(
    text: str,
    kind: str = "arc",
    size: tuple[int, int] = (360, 480),
    scale: float = 1.6,
    thickness: int = 3,
    radius_ratio: float = 3.0,
    amplitude_ratio: float = 0.6,
    font: str | os.PathLike[str] | None = None,
    concave: bool = False,
) -> Image:
    """Dark ``text`` bent along a circular arc or a sine baseline, centred on a light page.

    ``kind="arc"``: the baseline lies on a circle whose radius is ``radius_ratio`` × the text
    height, text on the outside reading clockwise like the top of a stamp, or with ``concave``
    inside the circle, tops towards its centre, like the bottom of a stamp. ``kind="sine"``: the
    baseline is a sine of amplitude ``amplitude_ratio`` × the text height and period = the text
    length. ``font``: a TrueType/OpenType file drawn at ``round(30 × scale)`` px (``thickness``
    unused); default OpenCV's Hershey font. Returns an RGB uint8 (H, W, 3) image.
    """
    if font is None:
        mask, th = _straight_text(text, scale, thickness)
        baseline = mask.shape[0] / 2 + th / 2
    else:
        mask, th, baseline = _font_text(text, font, round(30 * scale))
    mh, mw = mask.shape
    height, width = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "arc" and not concave:
        radius = radius_ratio * th
        cx, cy = width / 2, height / 2 + radius / 2 + th / 2
        r = np.hypot(xs - cx, ys - cy)
        theta = np.arctan2(xs - cx, cy - ys)
        src_x = mw / 2 + theta * radius  # arc length along the baseline circle
        src_y = baseline - (r - radius)
    elif kind == "arc":
        radius = radius_ratio * th  # the circle through the tops of the letters
        cx, cy = width / 2, height / 2 - radius / 2 - th / 2
        r = np.hypot(xs - cx, ys - cy)
        theta = np.arctan2(cx - xs, ys - cy)
        src_x = mw / 2 - theta * radius
        src_y = (baseline - th) + (r - radius)
    elif kind == "sine":
        amp = amplitude_ratio * th
        src_x = xs - (width - mw) / 2
        src_y = ys - (height - mh) / 2 - amp * np.sin(2 * np.pi * src_x / mw)
    else:
        raise ValueError(f"kind must be 'arc' or 'sine', got {kind!r}")
    ink = cv2.remap(mask, src_x.astype(np.float32), src_y.astype(np.float32), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=0)  # fmt: skip
    page = (235 - ink.astype(np.int32) * 215 // 255).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(page[:, :, None], 3, axis=2))


def check_detector(detector: Detector, images: Sequence[Image]) -> list[list[Detection]]:
    """Assert the detector contract on ``images``; returns the detections."""
    result = detector.detect(images)
    assert isinstance(result, list) and len(result) == len(images), "one list per image"
    for image, dets in zip(images, result):
        assert isinstance(dets, list)
        h, w = image.shape[:2]
        for det in dets:
            assert isinstance(det, Detection)
            poly = det.polygon
            assert isinstance(poly, np.ndarray) and poly.dtype == np.float32, "float32 polygon"
            assert poly.ndim == 2 and poly.shape[1] == 2 and poly.shape[0] >= 4, poly.shape
            assert np.all(np.isfinite(poly))
            # Boxes may reach slightly past the border (dilation, rounding): allow 5 %.
            tol = 0.05 * max(h, w) + 2
            assert poly[:, 0].min() >= -tol and poly[:, 0].max() <= w + tol, "x inside image"
            assert poly[:, 1].min() >= -tol and poly[:, 1].max() <= h + tol, "y inside image"
            assert 0.0 <= det.score <= 1.0, det.score
    return result


def check_recognizer(recognizer: Recognizer, crops: Sequence[Image]) -> list[Recognition]:
    """Assert the recogniser contract on ``crops``; returns the recognitions."""
    assert isinstance(getattr(recognizer, "height", None), int), "recognizer.height (pixels)"
    result = recognizer.recognize(crops)
    assert isinstance(result, list) and len(result) == len(crops), "one result per crop"
    for rec in result:
        assert isinstance(rec, Recognition) and isinstance(rec.text, str)
        assert 0.0 <= rec.score <= 1.0, rec.score
    assert recognizer.recognize([]) == [], "an empty batch gives an empty list"
    return result
