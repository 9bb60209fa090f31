import cv2
import numpy as np
import pytest
from helpers import FakeDetector, FakeRecognizer

from ocrkit import Pipeline
from ocrkit.bilevel import SIGMA, is_bilevel, softened


def _page(values=(0, 255)) -> np.ndarray:
    """A 40×60 page of paper (values[1]) with a bar of ink (values[0])."""
    page = np.full((40, 60, 3), values[1], np.uint8)
    page[10:30, 20:40] = values[0]
    return page


def test_bilevel_pages_are_told_from_grey_ones_and_blank_ones():
    assert is_bilevel(_page())
    blue_on_white = _page()
    blue_on_white[10:30, 20:40] = (0, 0, 255)  # each channel two values at most
    assert is_bilevel(blue_on_white)
    assert not is_bilevel(np.full((40, 60, 3), 255, np.uint8))  # blank: no ink
    sparse = np.full((400, 600, 3), 255, np.uint8)
    sparse[200:202, 300:302] = 0  # ink the coarse first look (every 16th row) does not see
    assert is_bilevel(sparse)
    grey = _page()
    grey[10:12, 20:22] = 128  # an anti-aliased edge 2 px wide is seen
    assert not is_bilevel(grey)
    assert not is_bilevel(cv2.GaussianBlur(_page(), (0, 0), 1.0))


def test_only_bilevel_pages_are_softened():
    page = _page()
    np.testing.assert_array_equal(softened(page), cv2.GaussianBlur(page, (0, 0), SIGMA))
    grey = cv2.GaussianBlur(page, (0, 0), 1.0)
    assert softened(grey) is grey


def test_the_pipeline_cuts_words_of_a_bilevel_page_from_it_softened(fake_pm, text_image):
    image, _ = text_image
    page = np.where(image < 128, 0, 255).astype(np.uint8)  # the synthetic page, thresholded
    assert is_bilevel(page)
    seen: dict[str, list] = {}

    class Spy(FakeRecognizer):
        def recognize(self, crops):
            seen.setdefault(self.way, []).extend(crops)
            return super().recognize(crops)

    for way in ("keep", "smooth"):
        spy = Spy()
        spy.way = way
        Pipeline(FakeDetector(), spy, plugin_manager=fake_pm, bilevel=way).read([page])
        spy.way = f"{way}, softened page"
        Pipeline(FakeDetector(), spy, plugin_manager=fake_pm, bilevel="keep").read([softened(page)])
    for a, b in zip(seen["smooth"], seen["keep, softened page"], strict=True):
        np.testing.assert_array_equal(a, b)  # the crops of the softened page
    assert any(not np.array_equal(a, b) for a, b in zip(seen["smooth"], seen["keep"]))
    with pytest.raises(ValueError, match="bilevel must be one of smooth, keep, got 'blur'"):
        Pipeline(FakeDetector(), bilevel="blur")
