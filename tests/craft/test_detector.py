"""The CRAFT detector through ocrkit's API with the real weights, on small real images."""

import numpy as np
import pytest
from helpers import SAMPLE, need_plugin

import ocrkit
from ocrkit.testing import check_detector

need_plugin("ocrkit_craft")


@pytest.fixture(scope="module")
def images():
    page = ocrkit.read_image(SAMPLE)  # 384×191
    return [page, np.ascontiguousarray(page[20:150, 30:300]), page[::2, ::2].copy()]


def test_contract_and_words_on_the_sample(craft_detector, images):
    result = check_detector(craft_detector, images)
    assert len(result[0]) > 30  # a page of printed text: dozens of words


def test_results_do_not_depend_on_batch_size(images):
    together = ocrkit.load_detector("craft", batch_size=3).detect(images)
    alone = ocrkit.load_detector("craft", batch_size=1).detect(images)
    for a, b in zip(together, alone):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            np.testing.assert_allclose(x.polygon, y.polygon, atol=1e-4)


def test_poly_option_and_scaling(images):
    det = ocrkit.load_detector("craft", poly=True, mag_ratio=1.0)
    dets = check_detector(det, images[:1])[0]
    assert {d.polygon.shape[0] for d in dets} <= {4, 14}


def test_tiny_and_blank_images(craft_detector):
    out = craft_detector.detect([np.zeros((1, 1, 3), np.uint8), np.full((40, 60, 3), 255, np.uint8)])
    assert out == [[], []]
    assert craft_detector.detect([]) == []


def test_bad_options_and_weights(tmp_path):
    with pytest.raises(ocrkit.ConfigError, match="unknown craft option 'treshold'"):
        ocrkit.load_detector("craft", treshold=0.5)
    with pytest.raises(ocrkit.ConfigError, match="text_threshold must be in"):
        ocrkit.load_detector("craft", text_threshold=2)
    with pytest.raises(Exception, match="weights file not found"):
        ocrkit.load_detector("craft", weights=str(tmp_path / "none.pth"))
    junk = tmp_path / "junk.pth"
    junk.write_bytes(b"garbage")
    with pytest.raises(Exception, match=r"junk\.pth: cannot read weights"):
        ocrkit.load_detector("craft", weights=str(junk))
