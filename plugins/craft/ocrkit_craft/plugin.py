"""Hook wiring only: cheap to import (no torch), the factory imports the model lazily."""

from __future__ import annotations

from typing import Any

from ocrkit import hookimpl


def build_craft_detector(*, options: Any, device: str) -> Any:
    from .detector import CraftDetector

    return CraftDetector.from_options(options, device=device)


@hookimpl
def ocrkit_register_detectors(registry: Any) -> None:
    registry.add(
        "craft",
        build_craft_detector,
        summary="CRAFT character-region detector (craft_mlt_25k weights); word boxes or polygons",
    )


@hookimpl
def ocrkit_crop_region(image: Any, detection: Any, height: int, sampling: str) -> Any:
    """Curved polygons (more than 4 points) are rectified by TPS; quads pass to the core crop."""
    polygon = detection.polygon
    if len(polygon) <= 4 or len(polygon) % 2:
        return None
    from ocrkit.geometry import sampling_flag

    from .tps_crop import tps_crop

    return tps_crop(image, polygon, height, interpolation=sampling_flag(sampling))


def build_craft_training(*, options: Any, config: Any) -> Any:
    from .training import make_training

    return make_training(options=options, config=config)


@hookimpl
def ocrkit_register_training(registry: Any) -> None:
    registry.add("craft", build_craft_training,
                 summary="CRAFT: synthetic character-level pages + weakly supervised real words, OHEM")  # fmt: skip
