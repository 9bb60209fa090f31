"""CraftDetector: resize/normalise (numpy) → network (torch) → boxes/polygons (numpy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ocrkit import Detection, build_config
from ocrkit.weights import load_state_dict, packaged_weights

from .config import CraftConfig
from .model import CRAFT
from .polygon import word_polygon
from .postprocess import detect_boxes
from .preprocess import Resized, make_batch, resize_aspect_ratio

WEIGHTS_FILE = "craft_mlt_25k.pth"


def resolve_device(device: str) -> torch.device:
    """``cpu``/``cuda``/``cuda:N``; asking for CUDA without a GPU is a clear error."""
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {device!r} requested but CUDA is not available here")
    return dev


def load_craft(weights: str | Path | None = None) -> CRAFT:
    """The CRAFT network in eval mode with ``weights`` (default: the packaged craft_mlt_25k)."""
    model = CRAFT()
    path = Path(weights) if weights else packaged_weights(WEIGHTS_FILE)
    state = load_state_dict(path)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).splitlines()[0]
        raise RuntimeError(f"{path}: not CRAFT weights ({first})") from None
    return model.eval()


class CraftDetector:
    """CRAFT text detection on batches of RGB uint8 images.

    Example:
        >>> det = CraftDetector.from_options({"poly": True})  # doctest: +SKIP
        >>> boxes = det.detect([image])[0]  # doctest: +SKIP
    """

    def __init__(self, config: CraftConfig, model: CRAFT, device: str = "cpu") -> None:
        self.config = config
        self.device = resolve_device(device)
        self.model = model.to(self.device).eval()

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None, device: str = "cpu") -> CraftDetector:
        config = build_config(CraftConfig, options, what="craft")
        return cls(config, load_craft(config.weights), device)

    def options(self) -> dict[str, Any]:
        return asdict(self.config)

    @torch.inference_mode()
    def score_maps(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, Resized]]:
        """Raw (region, affinity) maps for each image, cropped to its own resized extent.

        Returns per image a float32 (h/2, w/2, 2) array (h, w = its padded-to-32 size) and its
        resize record.
        """
        resized = [resize_aspect_ratio(img, self.config.canvas_size, self.config.mag_ratio)
                   for img in images]  # fmt: skip
        out: list[tuple[np.ndarray, Resized]] = [None] * len(images)  # type: ignore[list-item]
        for chunk in self._batches(resized):
            batch = torch.from_numpy(make_batch([resized[i] for i in chunk])).to(self.device)
            scores, _ = self.model(batch)  # N×H/2×W/2×2
            scores = scores.float().cpu().numpy()
            for k, i in enumerate(chunk):
                ph, pw = resized[i].padded_hw
                out[i] = (np.ascontiguousarray(scores[k, : ph // 2, : pw // 2]), resized[i])
        return out

    def _batches(self, resized: Sequence[Resized]) -> list[list[int]]:
        """Indices per forward pass.

        By default only images whose network input has the same padded shape share a pass
        (their original sizes may differ; each maps back with its own ratio): extra padding
        would change the scores near each image's bottom/right edge (measured: up to 0.23 on a
        small page padded into a 1280×736 batch), making results depend on the batch.
        ``batch_padding=True`` pads mixed shapes into one pass instead (faster on a GPU).
        """
        order = sorted(range(len(resized)), key=lambda i: resized[i].padded_hw)
        bs = self.config.batch_size or len(order)
        if self.config.batch_padding:
            groups = [order]
        else:
            groups = []
            for i in order:
                if groups and resized[groups[-1][0]].padded_hw == resized[i].padded_hw:
                    groups[-1].append(i)
                else:
                    groups.append([i])
        return [g[s : s + bs] for g in groups for s in range(0, len(g), bs)]

    def detect(self, images: Sequence[np.ndarray]) -> list[list[Detection]]:
        """Word regions per image: float32 (4, 2) boxes, or (14, 2) polygons with ``poly``."""
        if len(images) == 0:
            return []
        return [self._postprocess(maps, rs) for maps, rs in self.score_maps(images)]

    def _postprocess(self, maps: np.ndarray, resized: Resized) -> list[Detection]:
        cfg = self.config
        comps = detect_boxes(
            maps[:, :, 0], maps[:, :, 1], cfg.text_threshold, cfg.link_threshold, cfg.low_text
        )
        scale = 2.0 / resized.ratio  # heat-map stride 2, then undo the resize
        detections = []
        for box, label_id, score in zip(comps.boxes, comps.label_ids, comps.scores):
            shape = word_polygon(box, comps.labels, label_id) if cfg.poly else None
            points = box if shape is None else shape
            detections.append(Detection((points * scale).astype(np.float32), score))
        return detections
