"""Every hook ocrkit calls. Docstrings here are the contract; docs/hooks.md mirrors them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .protocols import DatasetFactory, DetectorFactory, EvaluatorFactory, RecognizerFactory
    from .registry import Registry
    from .types import Detection, Image

PROJECT = "ocrkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def ocrkit_register_detectors(registry: Registry[DetectorFactory]) -> None:
    """Add detector factories under unique names (the values accepted by ``--detector``).

    Called once per registry build. Call ``registry.add(name, factory, summary=...)``; the
    factory is called as ``factory(options=..., device=...)`` only when the user picks it.
    A duplicate name is an error naming both plugins.
    """


@hookspec
def ocrkit_register_recognizers(registry: Registry[RecognizerFactory]) -> None:
    """Add recogniser factories (the values accepted by ``--recognizer``); as for detectors."""


@hookspec
def ocrkit_register_evaluators(registry: Registry[EvaluatorFactory]) -> None:
    """Add evaluator factories (the values accepted by ``--metric``).

    The core's own metrics are registered through this hook too. The factory is called as
    ``factory(options=...)`` and returns an object with ``task``, ``update``, ``compute``, ``reset``.
    """


@hookspec
def ocrkit_register_datasets(registry: Registry[DatasetFactory]) -> None:
    """Add dataset readers (the values accepted by ``--dataset``).

    The factory is called as ``factory(options=...)`` and returns an object with ``task``
    (``"detection"`` or ``"recognition"``) and ``load(data, images, gt)`` returning
    ``DetectionSample`` or ``RecognitionSample`` lists (see :mod:`ocrkit.datasets`). A malformed
    file raises ``ocrkit.datasets.DatasetError`` naming the file and line.
    """


@hookspec
def ocrkit_register_training(registry: Registry[Any]) -> None:
    """Add training recipes (the values accepted by ``ocrkit train RECIPE``).

    The factory is called as ``factory(options=..., config=...)`` with the recipe's options (the
    TOML ``[options]`` table and ``--set options.KEY=VALUE``) and the resolved ``TrainConfig``,
    and returns an ``ocrkit.training.TrainSpec`` for the shared trainer.
    """


@hookspec(firstresult=True)
def ocrkit_crop_region(
    image: Image, detection: Detection, height: int, sampling: str
) -> Image | None:
    """Return an upright RGB crop of ``detection`` scaled to ``height`` pixels, or None to pass.

    ``sampling`` names how to resample the page (``ocrkit.geometry.SAMPLINGS``: "lanczos",
    the default, "cubic" or "linear"; ``--crop-sampling``); an implementation may take it or
    leave it out of its signature, as pluggy passes only the arguments a hook names (without a
    default value: pluggy before 1.6 does not pass an argument an implementation defaults).

    Called once per detected region before recognition. The first non-None result wins; the
    core's perspective quad crop is registered ``trylast`` as the fallback, so a plugin only
    handles the shapes it knows better (e.g. curved polygons).
    """
