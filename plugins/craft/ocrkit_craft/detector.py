"""CraftDetector: resize/normalise (numpy) → network (torch) → boxes/polygons (numpy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ocrkit import Detection, build_config
from ocrkit.precision import (
    autocast,
    build_once,
    export_onnx,
    onnx_session,
    quantize_int8,
    resolve_precision,
)
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


def _calibration_batches(count: int = 4, size: int = 768):
    """Network inputs (1×3×H×W) of synthetic text pages: int8 calibration without any dataset."""
    from ocrkit.fonts import find_fonts
    from ocrkit.synth import render_page

    fonts = find_fonts([])
    for i in range(count):
        page = render_page(np.random.default_rng((20261124, i)), fonts, (size, size))
        yield make_batch([resize_aspect_ratio(page.image, 1280, 1.5)])


def _is_onnx(weights: str | None) -> bool:
    return bool(weights) and str(weights).lower().endswith(".onnx")


class CraftDetector:
    """CRAFT text detection on batches of RGB uint8 images.

    Example:
        >>> det = CraftDetector.from_options({"poly": True})  # doctest: +SKIP
        >>> boxes = det.detect([image])[0]  # doctest: +SKIP
    """

    def __init__(self, config: CraftConfig, model: CRAFT | None, device: str = "cpu") -> None:
        self.config = config
        self.device = resolve_device(device)
        self.precision = resolve_precision(config.precision, self.device.type)
        self.model = model.to(self.device).eval() if model is not None else None
        self.session = None
        if config.runtime == "onnx" or _is_onnx(config.weights):  # an .onnx file implies ORT
            if self.device.type != "cpu":
                raise ValueError("runtime=onnx runs on the CPU (ONNX Runtime); use runtime=torch on CUDA")
            onnx_file = config.weights if _is_onnx(config.weights) else self._cached_export()
            if self.precision == "int8":
                onnx_file = self._cached_int8(onnx_file)
            self.session = onnx_session(onnx_file)

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None, device: str = "cpu") -> CraftDetector:
        config = build_config(CraftConfig, options, what="craft")
        model = None if _is_onnx(config.weights) else load_craft(config.weights)
        return cls(config, model, device)

    def export(self, path: str | Path, format: str = "onnx") -> Path:
        """Write the network as ONNX (fp32; dynamic batch, height and width, multiples of 32).
        Inputs ``image`` N×3×H×W normalised as ``preprocess.make_batch``; outputs ``scores``
        N×H/2×W/2×2 (region, affinity) and ``features`` N×32×H/2×W/2."""
        if format != "onnx":
            raise ValueError(f"unknown export format {format!r} (supported: onnx)")
        if self.model is None:
            raise ValueError("this detector was loaded from an ONNX file; export needs torch weights")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        dynamic = {"image": {0: "batch", 2: "height", 3: "width"}, "scores": {0: "batch", 1: "h2", 2: "w2"},
                   "features": {0: "batch", 2: "h2", 3: "w2"}}  # fmt: skip
        export_onnx(self.model, torch.zeros(1, 3, 320, 320), str(path), "image", ["scores", "features"], dynamic)
        self.model.to(self.device)
        return path

    def _cached_export(self) -> str:
        """The ONNX file of these weights, exported once into the cache (``OCRKIT_CACHE_DIR``,
        default ~/.cache/ocrkit), keyed by the weights file's path, size and mtime."""
        import hashlib
        import os

        src = (Path(self.config.weights) if self.config.weights else packaged_weights(WEIGHTS_FILE)).resolve()
        stat = src.stat()
        key = hashlib.sha1(f"{src}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        cache = Path(os.environ.get("OCRKIT_CACHE_DIR") or Path.home() / ".cache" / "ocrkit")
        return str(build_once(cache / "onnx" / f"craft-{key}.onnx", self.export))

    def _cached_int8(self, fp32_file: str) -> str:
        """The int8 version of ``fp32_file`` beside it, calibrated once on synthetic pages."""
        target = Path(fp32_file).with_name(Path(fp32_file).stem + "-int8.onnx")
        return str(build_once(target, lambda tmp: quantize_int8(fp32_file, str(tmp), _calibration_batches(), "image")))

    def _forward(self, batch: np.ndarray) -> np.ndarray:
        """N×3×H×W float32 → N×H/2×W/2×2 float32 scores (torch at ``precision``, or ORT)."""
        if self.session is not None:
            return self.session.run(["scores"], {"image": batch})[0]
        with autocast(self.precision, self.device.type):
            scores, _ = self.model(torch.from_numpy(batch).to(self.device))
        return scores.float().cpu().numpy()

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
            scores = self._forward(make_batch([resized[i] for i in chunk]))  # N×H/2×W/2×2
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
