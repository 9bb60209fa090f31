"""A picklable recipe for a :class:`~ocrkit.pipeline.Pipeline`: what a remote worker builds.

A worker process cannot receive a loaded model cheaply (hundreds of MB per call); it receives
this small spec once and builds its own pipeline, one model per worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..margins import RETRY_MARGINS
from ..pipeline import Pipeline


@dataclass(frozen=True)
class PipelineSpec:
    """Names and options of the detector and recogniser, and the pipeline's own settings.

    ``plugins`` are importable module names loaded on top of the installed entry points, as
    ``ocrkit -p MODULE`` does; plugin *objects* registered in one process cannot travel.

    Example:
        >>> spec = PipelineSpec("craft", "crnn", det_opts={"canvas_size": 960})
        >>> pipeline = spec.build()  # doctest: +SKIP
    """

    detector: str = "craft"
    recognizer: str | None = None
    det_opts: Mapping[str, Any] = field(default_factory=dict)
    rec_opts: Mapping[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    crop: str = "auto"
    level: str = "word"
    rotations: tuple[int, ...] = ()
    neighbours: str = "trim"
    retry_margins: tuple[float, ...] = RETRY_MARGINS
    upside_down: str = "check"
    text: str = "tidy"
    min_score: float = 0.0
    rules: str = "erase"
    crop_sampling: str = "lanczos"
    bilevel: str = "smooth"
    plugins: tuple[str, ...] = ()

    def build(self, plugin_manager: Any = None) -> Pipeline:
        """Load the models (once per process) and return the pipeline."""
        from ..plugins import detectors, make_plugin_manager, recognizers

        pm = plugin_manager or make_plugin_manager(extra=list(self.plugins))
        detector = detectors(pm).get(self.detector)(options=dict(self.det_opts), device=self.device)
        recognizer = None
        if self.recognizer:
            factory = recognizers(pm).get(self.recognizer)
            recognizer = factory(options=dict(self.rec_opts), device=self.device)
        return Pipeline(detector, recognizer, crop=self.crop, level=self.level,
                        rotations=self.rotations, neighbours=self.neighbours,
                        retry_margins=self.retry_margins, upside_down=self.upside_down,
                        text=self.text, min_score=self.min_score, rules=self.rules,
                        crop_sampling=self.crop_sampling, bilevel=self.bilevel,
                        plugin_manager=pm)  # fmt: skip
