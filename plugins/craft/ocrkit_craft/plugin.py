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
