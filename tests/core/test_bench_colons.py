"""benchmarks/bench_colons.py: its rendered form pages and the position match of its readings."""

import sys
from pathlib import Path

import numpy as np

from ocrkit.fonts import find_fonts

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_colons import drawn_at, page  # noqa: E402


def test_a_page_holds_its_labels_where_they_are_drawn():
    fonts = find_fonts([])
    if not fonts:
        import pytest

        pytest.skip("no fonts on this machine")
    image, labels = page(np.random.default_rng(0), fonts)
    assert image.shape == (1000, 1400, 3) and image.dtype == np.uint8
    assert len(labels) > 50 and {t[-1] for t, _ in labels} == {":", "."}
    for text, (x0, y0, x1, y1) in labels[:20]:
        assert 0 <= x0 < x1 <= 1400 and 0 <= y0 < y1 <= 1000
        assert image[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1].min() < 128  # ink drawn there
        assert drawn_at(np.array([(x0 + x1) / 2, (y0 + y1) / 2]), labels) == text
    assert drawn_at(np.array([-50.0, -50.0]), labels) is None
    again, same = page(np.random.default_rng(0), fonts)
    assert same == labels and np.array_equal(again, image)  # one seed, one page
