"""CRAFT under ONNX Runtime: which weights are an ONNX graph, and the int8 graph's calibration
(synthetic pages, no dataset) and the layers it keeps in float32."""

from __future__ import annotations

import numpy as np

from .preprocess import make_batch, resize_aspect_ratio


# Layers kept in float32 by precision=int8: the first VGG block (full-resolution convs, whose
# input is the image itself) and the score head (its output *is* the score map, which uint8
# would quantise in steps of ~0.005). Measured on IC15 test 101–106, fraction of text pixels
# (region > 0.7) that flip vs fp32: all layers int8 9.2 %, these kept fp32 1.8 %; IC15 1–100
# H-mean 0.8427 → 0.8667 (fp32 0.8637) for 2.4× instead of 3.1× over torch fp32.
INT8_FLOAT_LAYERS = ("/basenet/slice1/", "/conv_cls/")


def calibration_batches(count: int = 4, size: int = 512):
    """Network inputs (1×3×H×W) of synthetic text pages: int8 calibration without any dataset.
    768² inputs: ONNX Runtime's calibrator holds every activation (4.8 GB here; 10.8 at 1152²)."""
    from ocrkit.fonts import find_fonts
    from ocrkit.synth import render_page

    fonts = find_fonts([])
    for i in range(count):
        page = render_page(np.random.default_rng((20261124, i)), fonts, (size, size))
        yield make_batch([resize_aspect_ratio(page.image, 768, 1.5)])


def float_nodes(onnx_file: str) -> list[str]:
    """Names of the Conv nodes of ``onnx_file`` that ``INT8_FLOAT_LAYERS`` keeps in float32."""
    import onnx

    graph = onnx.load(onnx_file, load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "Conv" and n.name.startswith(INT8_FLOAT_LAYERS)]


def is_onnx(weights: str | None) -> bool:
    """True when ``weights`` names an ONNX graph (run by ONNX Runtime, not torch)."""
    return bool(weights) and str(weights).lower().endswith(".onnx")
