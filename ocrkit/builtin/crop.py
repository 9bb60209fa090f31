"""The core's fallback crop: a perspective warp of the region's quadrilateral."""

from __future__ import annotations

from ..geometry import crop_quad, polygon_to_quad, sampling_flag
from ..hookspecs import hookimpl
from ..types import Detection, Image

MARGIN = 0.1  # × the shorter side of the quad, on every side (see geometry.expand_quad)


@hookimpl(trylast=True)
def ocrkit_crop_region(
    image: Image, detection: Detection, height: int, sampling: str
) -> Image | None:
    """Crop any polygon through its quad (a polygon with more points: its min-area rectangle).
    ``sampling`` has no default: pluggy before 1.6 never passes a hook's defaulted arguments."""
    quad = polygon_to_quad(detection.polygon)
    return crop_quad(image, quad, height, margin=MARGIN, interpolation=sampling_flag(sampling))
