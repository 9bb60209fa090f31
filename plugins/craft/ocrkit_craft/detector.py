"""CraftDetector: resize/normalise (numpy) → network (torch) → boxes/polygons (numpy)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
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

from .autoscale import second_passes
from .config import CraftConfig
from .device_prep import device_batch
from .fit import Fitter, fit_words
from .model import CRAFT
from .onnx_int8 import calibration_batches, float_nodes, is_onnx
from .preprocess import Resized, _round32, make_batch, resize_aspect_ratio, resize_plan
from .tiling import stitch, tile_boxes

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


@dataclass
class _Copy:
    """Scores on their way from the GPU into pinned host memory (``host`` is valid once ``done``
    has passed); ``device`` keeps the source alive until then."""

    host: torch.Tensor
    device: torch.Tensor
    done: Any  # torch.cuda.Event


def _host(scores: np.ndarray | _Copy) -> np.ndarray:
    """The numpy scores, waiting for an in-flight copy to finish."""
    if isinstance(scores, _Copy):
        scores.done.synchronize()
        return scores.host.numpy()
    return scores


@dataclass
class _InFlight:
    """One batch between ``_launch`` and ``_collect``."""

    resized: list[Resized]
    ready: dict[int, np.ndarray] = field(default_factory=dict)  # image index → maps (tiled inputs)
    passes: list[tuple[list[int], np.ndarray | _Copy]] = field(default_factory=list)  # image indices, scores


class CraftDetector:
    """CRAFT text detection on batches of RGB uint8 images.

    Example:
        >>> det = CraftDetector.from_options({"poly": True})  # doctest: +SKIP
        >>> boxes = det.detect([image])[0]  # doctest: +SKIP
    """

    def __init__(self, config: CraftConfig, model: CRAFT | None, device: str = "cpu") -> None:
        self.config = config
        self.device = resolve_device(device)
        onnx = config.runtime == "onnx" or is_onnx(config.weights)  # an .onnx file implies ORT
        runtime = "onnx" if onnx else "torch"
        self.precision = resolve_precision(config.precision, self.device.type, runtime)
        if is_onnx(config.weights) and config.precision == "auto":
            self.precision = "fp32"  # a given .onnx graph runs as it was exported
        self.model = model.to(self.device).eval() if model is not None else None
        self.session = None
        cuda = self.device.type == "cuda"
        # "auto": the GPU-throughput choices on CUDA, the exact reference path elsewhere.
        self.device_prep = config.preprocess == "device" or (config.preprocess == "auto" and cuda)
        if self.device_prep and onnx:
            raise ValueError("preprocess=device needs runtime=torch (ONNX Runtime takes numpy input)")
        if onnx:
            if self.device.type != "cpu":
                raise ValueError("runtime=onnx runs on the CPU (ONNX Runtime); use runtime=torch on CUDA")
            onnx_file = config.weights if is_onnx(config.weights) else self._cached_export()
            if self.precision == "int8":
                onnx_file = self._cached_int8(onnx_file)
            self.session = onnx_session(onnx_file)
        # channels-last: oneDNN's and cuDNN's fast low-precision convolutions want NHWC (bf16 on
        # the CPU: 2.6 s vs 3.5 s contiguous per 1280×736 input); fp32 on the CPU stays the
        # exact reference layout.
        self.channels_last = config.memory_format == "channels_last" or (
            config.memory_format == "auto" and (cuda or self.precision == "bf16")
        )
        if self.model is not None and self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.net = self.model
        if config.compile and self.model is not None:
            self.net = torch.compile(self.model, dynamic=False)
        self._fitter = Fitter(config)  # where maps' words are fitted: threads or processes

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None, device: str = "cpu") -> CraftDetector:
        config = build_config(CraftConfig, options, what="craft")
        model = None if is_onnx(config.weights) else load_craft(config.weights)
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

        src = (Path(self.config.weights) if self.config.weights else packaged_weights(WEIGHTS_FILE)).resolve()
        stat = src.stat()
        key = hashlib.sha1(f"{src}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        cache = Path(os.environ.get("OCRKIT_CACHE_DIR") or Path.home() / ".cache" / "ocrkit")
        return str(build_once(cache / "onnx" / f"craft-{key}.onnx", self.export))

    def _cached_int8(self, fp32_file: str) -> str:
        """The int8 version of ``fp32_file`` beside it, calibrated once on synthetic pages."""
        target = Path(fp32_file).with_name(Path(fp32_file).stem + "-int8-mixed.onnx")
        return str(build_once(target, lambda tmp: quantize_int8(
            fp32_file, str(tmp), calibration_batches(), "image", exclude=float_nodes(fp32_file))))  # fmt: skip

    def _forward(self, batch: np.ndarray | torch.Tensor) -> np.ndarray:
        """N×3×H×W float32 (numpy, or a tensor already on the device) → N×H/2×W/2×2 float32
        scores (torch at ``precision``, or ORT), waiting for them."""
        return _host(self._forward_async(batch))

    def _forward_async(self, batch: np.ndarray | torch.Tensor) -> np.ndarray | _Copy:
        """``_forward`` without waiting on CUDA: the network pass and the copy of its scores
        into pinned host memory are queued, and a ``_Copy`` comes back at once, so the host can
        prepare the next batch while the GPU runs this one. Elsewhere the numpy scores."""
        if self.session is not None:
            return self.session.run(["scores"], {"image": batch})[0]
        x = batch if isinstance(batch, torch.Tensor) else torch.from_numpy(batch).to(self.device)
        n = x.shape[0]
        if self.config.compile and self.config.batch_size > n:
            # A compiled graph is specialised to its batch size: pad a short batch (the last
            # of a size bucket) to batch_size, so each input size compiles once, not per count.
            x = torch.cat([x, x[:1].expand(self.config.batch_size - n, -1, -1, -1)])
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with autocast(self.precision, self.device.type):
            scores, _ = self.net(x)
        scores = scores[:n].float()
        if scores.device.type != "cuda":
            return scores.numpy()
        host = torch.empty(scores.shape, dtype=torch.float32, pin_memory=True)
        host.copy_(scores, non_blocking=True)
        done = torch.cuda.Event()
        done.record()
        return _Copy(host, scores, done)

    def _prepare(
        self, images: Sequence[np.ndarray], ratios: Sequence[float | None]
    ) -> np.ndarray | torch.Tensor:
        """The normalised N×3×H×W network input: numpy on the CPU path, or built on the device
        from the uint8 pixels (``preprocess=device``, see :mod:`.device_prep`). ``ratios[k]``:
        None = the configured canvas/magnification, else exactly that resize ratio."""
        cfg = self.config
        if self.device_prep:
            return device_batch(images, cfg.canvas_size, cfg.mag_ratio, self.device, ratios)[0]
        return make_batch([resize_aspect_ratio(img, *self._plan(r)) for img, r in zip(images, ratios)])

    def _plan(self, ratio: float | None) -> tuple[float, float]:
        """(canvas_size, mag_ratio) giving the configured resize (None) or exactly ``ratio``."""
        return (self.config.canvas_size, self.config.mag_ratio) if ratio is None else (math.inf, ratio)

    def options(self) -> dict[str, Any]:
        return asdict(self.config)

    @torch.inference_mode()
    def score_maps(self, images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, Resized]]:
        """Raw (region, affinity) maps for each image, cropped to its own resized extent.

        Returns per image a float32 (h/2, w/2, 2) array (h, w = its padded-to-32 size) and its
        resize record.
        """
        return self._collect(self._launch(images))

    @torch.inference_mode()
    def _launch(
        self, images: Sequence[np.ndarray], ratios: Sequence[float | None] | None = None
    ) -> _InFlight:
        """Queue the network passes of ``images`` (see ``_forward_async``); tiled inputs are
        computed here and now (their tiles are stitched on the host). ``ratios``: per image
        None (the configured canvas) or an exact resize ratio (a second pass)."""
        cfg = self.config
        ratios = list(ratios or [None] * len(images))
        # Geometry first (cheap): it decides the passes; pixels are prepared per pass.
        resized = [self.geometry(img.shape[0], img.shape[1], r) for img, r in zip(images, ratios)]
        flight = _InFlight(resized)
        tiled = {i for i, r in enumerate(resized) if max(r.padded_hw) > cfg.tile_size}
        for i in sorted(tiled):
            flight.ready[i] = self._tiled_scores(images[i], resized[i], ratios[i])
        whole = [i for i in range(len(resized)) if i not in tiled]
        for chunk in self._batches([resized[i] for i in whole]):
            chunk = [whole[k] for k in chunk]
            batch = self._prepare([images[i] for i in chunk], [ratios[i] for i in chunk])
            flight.passes.append((chunk, self._forward_async(batch)))
        return flight

    @staticmethod
    def _collect(flight: _InFlight) -> list[tuple[np.ndarray, Resized]]:
        """Wait for a launch's scores: per image its (h/2, w/2, 2) maps and resize record."""
        out: list[tuple[np.ndarray, Resized]] = [None] * len(flight.resized)  # type: ignore[list-item]
        for i, maps in flight.ready.items():
            out[i] = (maps, flight.resized[i])
        for chunk, scores in flight.passes:
            scores = _host(scores)  # N×H/2×W/2×2
            for k, i in enumerate(chunk):
                ph, pw = flight.resized[i].padded_hw
                out[i] = (np.ascontiguousarray(scores[k, : ph // 2, : pw // 2]), flight.resized[i])
        return out

    def geometry(self, height: int, width: int, ratio: float | None = None) -> Resized:
        """Resize ratio and padded network input (h, w) of a ``height``×``width`` image (no
        pixels): images with the same ``padded_hw`` share a forward pass, so a throughput
        caller batches by it (size buckets). ``ratio``: exactly this one instead of the
        configured canvas/magnification."""
        ratio, h, w = resize_plan(height, width, *self._plan(ratio))
        return Resized(None, ratio, (_round32(h), _round32(w)))

    def _tiled_scores(self, image: np.ndarray, resized: Resized, ratio: float | None) -> np.ndarray:
        """(H/2, W/2, 2) scores of one input larger than ``tile_size``, from overlapping tiles
        (see :mod:`.tiling`); ``batch_size`` tiles per forward pass (default 1: the memory of
        one tile, the point of tiling; raise it on a GPU with room to spare)."""
        cfg = self.config
        full = self._prepare([image], [ratio])[0]  # 3×H×W normalised, H and W multiples of 32
        height, width = resized.padded_hw
        boxes = tile_boxes(height, width, cfg.tile_size, cfg.tile_overlap)
        stack = torch.stack if isinstance(full, torch.Tensor) else np.stack
        per_pass = cfg.batch_size or 1
        maps: list[np.ndarray] = []
        for s in range(0, len(boxes), per_pass):
            maps.extend(self._forward(stack([full[:, y : y + h, x : x + w]
                                             for y, x, h, w in boxes[s : s + per_pass]])))  # fmt: skip
        return stitch(maps, height, width, cfg.tile_size, cfg.tile_overlap)

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
        """Word regions per image: float32 (4, 2) boxes, or (14, 2) polygons for curved words
        (``poly=auto``, the default) or for every word the polygon step can follow (``poly=true``)."""
        if len(images) == 0:
            return []
        maps = self.score_maps(images)
        return self._rescaled(images, [r for _, r in maps], self._fit(maps))

    def _fit(self, maps: Sequence[tuple[np.ndarray, Resized]]) -> list[list[Detection]]:
        """Boxes of each image's score maps (in the post-processing pool: ``fit.Fitter``)."""
        return self._fitter.fit_all([(m, r.ratio) for m, r in maps])

    def _rescaled(
        self, images: Sequence[np.ndarray], resized: Sequence[Resized], found: list[list[Detection]]
    ) -> list[list[Detection]]:
        """``found`` with the words of images whose text came out small replaced by a second
        pass at the scale where CRAFT sees text best (``text_height``, :mod:`.autoscale`)."""
        cfg = self.config
        again = second_passes([max(img.shape[:2]) for img in images], [r.ratio for r in resized],
                              found, cfg.text_height, cfg.max_side)  # fmt: skip
        if again:
            order = sorted(again)
            flight = self._launch([images[i] for i in order], [again[i] for i in order])
            for i, dets in zip(order, self._fit(self._collect(flight))):
                found[i] = dets
        return found

    def detect_stream(
        self, batches: Iterable[Sequence[np.ndarray]]
    ) -> Iterator[list[list[Detection]]]:
        """``detect()`` over a stream of batches, one result list per batch, in order.

        A three-stage pipeline: batch k's network pass is queued (on CUDA it runs while the host
        goes on), then batch k−1's scores are collected and its box fitting is handed to the
        post-processing threads, then batch k−2's results are yielded. So the host's work —
        taking the next batch from ``batches`` (decoding), preparing and uploading it, fitting
        boxes — overlaps the GPU's, which always has the next pass queued behind the current one.
        """
        # Each stage keeps its images: a batch with small text gets its second pass
        # (``_rescaled``) when its results are taken, after the later batches were queued.
        launched: tuple[Sequence[np.ndarray], _InFlight] | None = None  # batch k−1: pass queued
        fitting: tuple[Sequence[np.ndarray], _InFlight, list[Future]] | None = None  # batch k−2

        def fit(stage: tuple[Sequence[np.ndarray], _InFlight]) -> tuple:
            maps = self._collect(stage[1])
            return (*stage, [self._fitter.submit(m, r.ratio) for m, r in maps])

        def finish(stage: tuple[Sequence[np.ndarray], _InFlight, list[Future]]) -> list[list[Detection]]:
            images, flight, futures = stage
            return self._rescaled(images, flight.resized, [f.result() for f in futures])

        for images in batches:
            flight = self._launch(images) if len(images) else _InFlight([])
            if launched is not None:
                fitted = fit(launched)
                if fitting is not None:
                    yield finish(fitting)
                fitting = fitted
            launched = (images, flight)
        if launched is not None:
            fitted = fit(launched)
            if fitting is not None:
                yield finish(fitting)
            yield finish(fitted)

    def _postprocess(self, maps: np.ndarray, resized: Resized) -> list[Detection]:
        return fit_words(self.config, maps, resized.ratio)
