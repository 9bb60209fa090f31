"""Detector → crop → recogniser, returning words in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pluggy

from .plugins import get_plugin_manager
from .protocols import Detector, Recognizer
from .reading_order import reading_order
from .types import Detection, Image, Word

DEFAULT_CROP_HEIGHT = 64


def check_image(image: Any, index: int = 0) -> Image:
    """Validate the RGB uint8 (H, W, 3) contract at the API boundary with a clear message."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image {index}: expected a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"image {index}: expected RGB uint8 of shape (H, W, 3), got {image.dtype} "
            f"{image.shape}; use ocrkit.read_image() to load files"
        )
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise ValueError(f"image {index}: has no pixels {image.shape}")
    return image


class Pipeline:
    """End-to-end reader. ``recognizer=None`` gives detection only (``Word.text`` is None).

    Example:
        >>> import ocrkit
        >>> pipe = ocrkit.Pipeline(ocrkit.load_detector("craft"), ocrkit.load_recognizer("crnn"))
        >>> words = pipe.read([ocrkit.read_image("samples/page.png")])[0]  # doctest: +SKIP
        >>> print(" ".join(w.text for w in words))  # doctest: +SKIP
    """

    def __init__(
        self,
        detector: Detector,
        recognizer: Recognizer | None = None,
        *,
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> None:
        self.detector = detector
        self.recognizer = recognizer
        self._pm = plugin_manager

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        if self._pm is None:
            self._pm = get_plugin_manager()
        return self._pm

    def crop(self, image: Image, detection: Detection) -> Image:
        """The recogniser's input for one region, via the ``ocrkit_crop_region`` hook."""
        height = int(getattr(self.recognizer, "height", DEFAULT_CROP_HEIGHT))
        return self.plugin_manager.hook.ocrkit_crop_region(
            image=image, detection=detection, height=height
        )

    def read(self, images: Sequence[Image]) -> list[list[Word]]:
        """Read a batch of RGB uint8 images; one list of words per image, in reading order."""
        images = [check_image(img, i) for i, img in enumerate(images)]
        detections = self.detector.detect(images)
        ordered = [
            [dets[i] for i in reading_order([d.polygon for d in dets])] for dets in detections
        ]
        if self.recognizer is None:
            return [
                [Word(d.polygon, None, d.score, None) for d in dets] for dets in ordered
            ]
        crops = [self.crop(img, d) for img, dets in zip(images, ordered) for d in dets]
        texts = self.recognizer.recognize(crops) if crops else []
        out: list[list[Word]] = []
        k = 0
        for dets in ordered:
            words = []
            for det in dets:
                rec = texts[k]
                k += 1
                words.append(Word(det.polygon, rec.text, det.score, rec.score))
            out.append(words)
        return out
