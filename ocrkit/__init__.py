"""ocrkit: an OCR framework whose detectors, recognisers and metrics are pluggy plugins.

Example:
    >>> import ocrkit
    >>> pipe = ocrkit.Pipeline(ocrkit.load_detector("craft"), ocrkit.load_recognizer("crnn"))
    >>> for word in pipe.read([ocrkit.read_image("samples/page.png")])[0]:  # doctest: +SKIP
    ...     print(word.text, word.polygon.tolist())
"""

from __future__ import annotations

from .api import load_detector, load_evaluator, load_recognizer
from .config import ConfigError, build_config
from .hookspecs import hookimpl
from .io import ImageError, page_count, read_image
from .pipeline import Pipeline
from .plugins import PluginError, get_plugin_manager, make_plugin_manager
from .protocols import Detector, Evaluator, Options, Recognizer
from .registry import Registry, UnknownNameError
from .types import Detection, GroundTruth, Image, Polygon, Recognition, Word

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Detection",
    "Detector",
    "Evaluator",
    "GroundTruth",
    "Image",
    "ImageError",
    "Options",
    "Pipeline",
    "PluginError",
    "Polygon",
    "Recognition",
    "Recognizer",
    "Registry",
    "UnknownNameError",
    "Word",
    "build_config",
    "get_plugin_manager",
    "hookimpl",
    "load_detector",
    "load_evaluator",
    "load_recognizer",
    "make_plugin_manager",
    "page_count",
    "read_image",
]
