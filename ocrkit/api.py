"""Loading plugins' models by name: the Python side of ``--detector`` / ``--recognizer``."""

from __future__ import annotations

from typing import Any

import pluggy

from .plugins import detectors, evaluators, get_plugin_manager, recognizers
from .protocols import Detector, Evaluator, Recognizer


def load_detector(
    name: str, device: str = "cpu", *, plugin_manager: pluggy.PluginManager | None = None,
    **options: Any,
) -> Detector:
    """Build the detector registered as ``name`` with its options.

    Example:
        >>> det = load_detector("craft", text_threshold=0.7, poly=True)  # doctest: +SKIP
    """
    pm = plugin_manager or get_plugin_manager()
    return detectors(pm).get(name)(options=options, device=device)


def load_recognizer(
    name: str, device: str = "cpu", *, plugin_manager: pluggy.PluginManager | None = None,
    **options: Any,
) -> Recognizer:
    """Build the recogniser registered as ``name`` (e.g. ``load_recognizer("crnn")``)."""
    pm = plugin_manager or get_plugin_manager()
    return recognizers(pm).get(name)(options=options, device=device)


def load_evaluator(
    name: str, *, plugin_manager: pluggy.PluginManager | None = None, **options: Any
) -> Evaluator:
    """Build the evaluator registered as ``name`` (e.g. ``load_evaluator("icdar2015")``)."""
    pm = plugin_manager or get_plugin_manager()
    return evaluators(pm).get(name)(options=options)
