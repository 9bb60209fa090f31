"""Parity with the official CRAFT-pytorch outputs in ../shared/reference/craft (real weights)."""

import json

import numpy as np
import pytest
from helpers import DATA, REFERENCE, need_plugin, need_shared

import ocrkit

need_plugin("ocrkit_craft")
need_shared()

INDEX = json.loads((REFERENCE / "craft" / "index.json").read_text())
STEMS = list(INDEX["images"])


def _reference(stem):
    maps = np.load(REFERENCE / "craft" / f"{stem}.npz")
    return maps, json.loads((REFERENCE / "craft" / f"{stem}.json").read_text())


def _assert_same_shapes(ours, ref):
    """Same count, and every reference shape matched by ours with all corners within 1 px."""
    assert len(ours) == len(ref)
    ours_arrays = [d.polygon for d in ours]
    for r in ref:
        r = np.asarray(r, np.float32)
        best = min((np.abs(o - r).max() for o in ours_arrays if o.shape == r.shape), default=1e9)
        assert best <= 1.0, best


@pytest.mark.parametrize("stem", STEMS)
def test_postprocessing_on_reference_maps_matches_boxes_and_polygons(stem):
    """Post-processing alone, on the reference's own score maps, for all nine images."""
    from ocrkit_craft.detector import CraftDetector
    from ocrkit_craft.preprocess import Resized

    maps, ref = _reference(stem)
    stacked = np.stack([maps["region"], maps["affinity"]], axis=-1)
    resized = Resized(np.zeros(0), float(maps["ratio"]), (0, 0))
    for poly, key in ((False, "boxes"), (True, "polys")):
        det = CraftDetector.__new__(CraftDetector)  # post-processing needs only the config
        options = {"poly": poly, "follow_page": False}  # the reference's fit of near-squares too
        det.config = ocrkit.build_config(__import__("ocrkit_craft").CraftConfig, options)
        found = det._postprocess(stacked, resized)
        # Lone characters peaking under text_threshold come too, flagged; the rest are the
        # reference's words, and without the unsure band nothing else comes.
        _assert_same_shapes([d for d in found if not d.unsure], ref[key])
        det.config = ocrkit.build_config(det.config.__class__, {**options, "unsure_threshold": 0.7})
        _assert_same_shapes(det._postprocess(stacked, resized), ref[key])


@pytest.fixture(scope="module")
def reference_detector():
    # Boxes only, as the official default, with the reference's own fit of near-square words.
    return ocrkit.load_detector("craft", poly=False, follow_page=False)


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["img_5", "82092117"])
def test_network_score_maps_and_boxes_match(stem, reference_detector):
    """The whole detector on the real image: maps within 1e-3, boxes within 1 px."""
    maps, ref = _reference(stem)
    image = ocrkit.read_image(DATA / INDEX["images"][stem])
    (ours, resized), = reference_detector.score_maps([image])
    assert resized.ratio == pytest.approx(float(maps["ratio"]))
    assert ours.shape[:2] == maps["region"].shape
    assert np.abs(ours[..., 0] - maps["region"]).max() < 1e-3
    assert np.abs(ours[..., 1] - maps["affinity"]).max() < 1e-3
    sure = [d for d in reference_detector._postprocess(ours, resized) if not d.unsure]
    _assert_same_shapes(sure, ref["boxes"])
