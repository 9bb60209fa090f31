"""CRAFT network, pre- and post-processing on tiny inputs (random weights, no files)."""

import subprocess
import sys

import cv2
import numpy as np
import pytest
from helpers import need_plugin

need_plugin("ocrkit_craft")

import torch  # noqa: E402
from ocrkit_craft.model import CRAFT  # noqa: E402
from ocrkit_craft.polygon import word_polygon  # noqa: E402
from ocrkit_craft.postprocess import detect_boxes  # noqa: E402
from ocrkit_craft.preprocess import make_batch, resize_aspect_ratio  # noqa: E402


def test_parameter_count_and_state_dict_layout():
    model = CRAFT()
    assert sum(p.numel() for p in model.parameters()) == 20_770_466
    keys = model.state_dict().keys()
    assert "basenet.slice1.0.weight" in keys and "basenet.slice4.38.running_var" in keys
    assert "basenet.slice5.1.weight" in keys and "conv_cls.8.bias" in keys


@pytest.mark.parametrize("hw", [(64, 96), (96, 160)])
def test_output_is_half_resolution(hw):
    model = CRAFT().eval()
    with torch.no_grad():
        scores, feature = model(torch.zeros(2, 3, *hw))
    assert scores.shape == (2, hw[0] // 2, hw[1] // 2, 2) and feature.shape[1] == 32


def test_resize_rules():
    img = np.zeros((720, 1280, 3), np.uint8)
    r = resize_aspect_ratio(img, canvas_size=1280, mag_ratio=1.5)
    assert r.ratio == 1.0 and r.image.shape == (720, 1280, 3) and r.padded_hw == (736, 1280)
    small = resize_aspect_ratio(np.zeros((100, 50, 3), np.uint8), 1280, 1.5)
    assert small.ratio == 1.5 and small.image.shape[:2] == (150, 75) and small.padded_hw == (160, 96)
    assert resize_aspect_ratio(np.zeros((1, 1, 3), np.uint8), 1280, 1.5).padded_hw == (32, 32)
    # A 1-pixel-high strip that would round to 0 rows keeps one.
    assert resize_aspect_ratio(np.zeros((1, 4000, 3), np.uint8), 1280, 1.0).image.shape[0] == 1


def test_batch_pads_black_before_normalisation():
    items = [resize_aspect_ratio(np.full((40, 40, 3), 255, np.uint8), 1280, 1.0)]
    batch = make_batch(items)
    assert batch.shape == (1, 3, 64, 64)
    np.testing.assert_allclose(batch[0, :, 0, 0], (255 - np.array([123.675, 116.28, 103.53]))
                               / np.array([58.395, 57.12, 57.375]), rtol=1e-6)  # fmt: skip
    np.testing.assert_allclose(batch[0, :, 63, 63], -np.array([123.675, 116.28, 103.53])
                               / np.array([58.395, 57.12, 57.375]), rtol=1e-6)  # fmt: skip


def _maps_with_words(words, shape=(60, 120)):
    """Region map with Gaussian-ish character blobs and affinity between neighbours."""
    region = np.zeros(shape, np.float32)
    affinity = np.zeros(shape, np.float32)
    for y, xs in words:
        for k, x in enumerate(xs):
            cv2.circle(region, (x, y), 4, 0.9, -1)
            if k:
                cv2.line(affinity, (xs[k - 1], y), (x, y), 0.8, 2)
    return region, affinity


def test_boxes_from_maps():
    region, affinity = _maps_with_words([(15, [10, 20, 30, 40]), (40, [70, 80])])
    region[50:52, 5:7] = 0.9  # a 4-pixel speck: below the minimum component area
    comps = detect_boxes(region, affinity, 0.7, 0.4, 0.4)
    assert len(comps.boxes) == 2
    first = comps.boxes[0]
    assert first[0, 0] <= 6 and first[1, 0] >= 44 and first[0, 1] <= 11 and first[2, 1] >= 19
    assert all(0 <= s <= 1 for s in comps.scores)
    # text_threshold above every peak drops everything.
    assert detect_boxes(region, affinity, 0.95, 0.4, 0.4).boxes == []


def test_near_square_component_gives_axis_aligned_box():
    region = np.zeros((40, 40), np.float32)
    cv2.circle(region, (20, 20), 6, 0.9, -1)
    box = detect_boxes(region, np.zeros_like(region), 0.7, 0.4, 0.4).boxes[0]
    assert box[0, 1] == box[1, 1] and box[0, 0] == box[3, 0]  # edges parallel to the axes


def test_curved_word_gets_a_14_point_polygon():
    # Characters along an arc: the polygon should follow it (its top edge is not straight).
    region = np.zeros((120, 240), np.float32)
    affinity = np.zeros_like(region)
    xs = np.arange(20, 221, 16)
    ys = (60 + 30 * np.cos((xs - 120) / 100.0 * np.pi / 1.2) * -1 + 30).astype(int)
    for k, (x, y) in enumerate(zip(xs, ys)):
        cv2.circle(region, (int(x), int(y)), 6, 0.9, -1)
        if k:
            cv2.line(affinity, (int(xs[k - 1]), int(ys[k - 1])), (int(x), int(y)), 0.8, 3)
    comps = detect_boxes(region, affinity, 0.7, 0.4, 0.4)
    assert len(comps.boxes) == 1
    poly = word_polygon(comps.boxes[0], comps.labels, comps.label_ids[0])
    assert poly is not None and poly.shape == (14, 2)
    top = poly[:7]
    assert np.ptp(top[:, 1]) > 15  # the top edge bends with the arc


def test_geometry_modules_do_not_import_torch():
    code = ("import sys; import ocrkit_craft.preprocess, ocrkit_craft.postprocess, "
            "ocrkit_craft.polygon, ocrkit_craft.plugin; print('torch' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
