"""Tiled inference for large inputs: tile layout, exact stitching, and tiled ≈ one-pass words."""

import cv2
import numpy as np
import pytest
from helpers import SAMPLE, need_plugin, rect_iou

import ocrkit

need_plugin("ocrkit_craft")
from ocrkit_craft.tiling import stitch, tile_boxes, tile_starts  # noqa: E402


@pytest.mark.parametrize("length,tile,overlap", [(1280, 512, 128), (6016, 2560, 256),
                                                 (544, 512, 128), (4000, 1024, 256), (512, 512, 0)])  # fmt: skip
def test_tiles_cover_the_input_with_the_overlap(length, tile, overlap):
    starts = tile_starts(length, tile, overlap)
    assert starts[0] == 0 and starts[-1] + min(tile, length) == max(length, tile) or length <= tile
    assert all(s % 32 == 0 for s in starts) and starts == sorted(set(starts))
    # rounding the starts down to multiples of 32 may cost up to 31 px of overlap, never more
    assert all(starts[i - 1] + tile - starts[i] >= overlap - 31 for i in range(1, len(starts)))


def test_stitching_reproduces_a_consistent_map_exactly():
    h, w, tile, overlap = 1312, 2016, 512, 128
    full = np.random.default_rng(0).random((h // 2, w // 2, 2), dtype=np.float32)
    parts = [full[y // 2 : (y + th) // 2, x // 2 : (x + tw) // 2]
             for y, x, th, tw in tile_boxes(h, w, tile, overlap)]  # fmt: skip
    assert len(parts) == 4 * 5
    np.testing.assert_array_equal(stitch(parts, h, w, tile, overlap), full)


def test_tiled_words_match_the_single_pass():
    page = ocrkit.read_image(SAMPLE)  # 384×191 printed page, ~60 words
    big = cv2.resize(page, (768, 382), interpolation=cv2.INTER_CUBIC)
    opts = {"canvas_size": 768, "mag_ratio": 1.0}
    whole = ocrkit.load_detector("craft", **opts).detect([big])[0]
    tiled_det = ocrkit.load_detector("craft", tile_size=320, tile_overlap=128, **opts)
    tiled = tiled_det.detect([big])[0]  # a 768×384 input: 3×2 tiles of 320×320
    assert len(whole) > 40
    matched = sum(any(rect_iou(a.polygon, b.polygon) > 0.8 for b in tiled) for a in whole)
    assert matched >= 0.95 * len(whole) and abs(len(tiled) - len(whole)) <= 0.05 * len(whole)


def test_bad_tile_options_are_clear():
    with pytest.raises(ValueError, match="tile_size must be a multiple of 32"):
        ocrkit.load_detector("craft", tile_size=1000)
    with pytest.raises(ValueError, match="tile_overlap"):
        ocrkit.load_detector("craft", tile_size=512, tile_overlap=500)
