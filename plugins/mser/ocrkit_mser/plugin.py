"""Hook wiring only."""

from __future__ import annotations

from typing import Any

from ocrkit import hookimpl


@hookimpl
def ocrkit_register_detectors(registry: Any) -> None:
    from .detector import MserDetector  # cheap (numpy/cv2), but keep the habit

    registry.add(
        "mser",
        lambda *, options, device: MserDetector.from_options(options),
        summary="classical MSER character regions grouped into words (baseline, CPU, no weights)",
    )
