"""Detector → crop → recogniser, returning words in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pluggy

from .builtin.crop import ocrkit_crop_region as quad_crop
from .lines import LEVELS, to_lines
from .orientation import candidate_angles, check_rotations, rotated
from .plugins import get_plugin_manager
from .protocols import Detector, Recognizer
from .reading_order import reading_order
from .types import Detection, Image, Recognition, Word

DEFAULT_CROP_HEIGHT = 64
# "auto": the ocrkit_crop_region hook chain (plugins first, e.g. CRAFT's TPS for curved polygons,
# then the core's quad crop); "quad": always the core's perspective crop of the region's quad.
CROP_MODES = ("auto", "quad")


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

    ``crop="auto"`` crops through the ``ocrkit_crop_region`` hooks (curved polygons rectified by
    the detector plugin's TPS when it provides one); ``crop="quad"`` forces the core's
    perspective crop of each region's quadrilateral. ``level="line"`` merges the words of each
    text line (cut at wide gaps) into one region with the texts joined by spaces.
    ``rotations`` (e.g. ``[90, 180, 270]``) also reads every region turned by those angles and
    keeps the most confident reading; tall regions are always tried at 90° and 270° as well
    (see :mod:`ocrkit.orientation`).

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
        crop: str = "auto",
        level: str = "word",
        rotations: Sequence[int] = (),
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> None:
        if crop not in CROP_MODES:
            raise ValueError(f"crop must be one of {', '.join(CROP_MODES)}, got {crop!r}")
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        self.detector = detector
        self.recognizer = recognizer
        self.crop_mode = crop
        self.level = level
        self.rotations = check_rotations(rotations)
        self._pm = plugin_manager

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        if self._pm is None:
            self._pm = get_plugin_manager()
        return self._pm

    def crop(self, image: Image, detection: Detection) -> Image:
        """The recogniser's input for one region, via the ``ocrkit_crop_region`` hook."""
        height = int(getattr(self.recognizer, "height", DEFAULT_CROP_HEIGHT))
        if self.crop_mode == "quad":
            return quad_crop(image=image, detection=detection, height=height)
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
            out = [[Word(d.polygon, None, d.score, None) for d in dets] for dets in ordered]
        else:
            out = self._recognize(images, ordered)
        return [to_lines(words) for words in out] if self.level == "line" else out

    def _recognize(
        self, images: Sequence[Image], ordered: Sequence[Sequence[Detection]]
    ) -> list[list[Word]]:
        """Crop every region at each candidate angle, read all crops in one batch, keep the
        most confident reading per region."""
        crops: list[Image] = []
        owners: list[tuple[int, int]] = []  # (image index, region index) of each crop
        for i, (img, dets) in enumerate(zip(images, ordered)):
            for j, det in enumerate(dets):
                for angle in candidate_angles(det, self.rotations):
                    turned = rotated(det, angle)
                    if turned is not None:
                        crops.append(self.crop(img, turned))
                    elif angle == 180:  # curved region: rotate its rectified crop
                        crops.append(np.ascontiguousarray(np.rot90(self.crop(img, det), 2)))
                    else:
                        continue
                    owners.append((i, j))
        texts = self.recognizer.recognize(crops) if crops else []  # type: ignore[union-attr]
        best: dict[tuple[int, int], Recognition] = {}
        for owner, rec in zip(owners, texts):
            if owner not in best or rec.score > best[owner].score:
                best[owner] = rec
        return [
            [Word(d.polygon, best[(i, j)].text, d.score, best[(i, j)].score)
             for j, d in enumerate(dets)]
            for i, dets in enumerate(ordered)
        ]  # fmt: skip
