"""benchmarks/bench_points.py: its rendered statements and their amounts."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_points import KINDS, amount, page  # noqa: E402
from common import drawn_at  # noqa: E402


def test_amounts_are_of_their_kind():
    rng = np.random.default_rng(0)
    shapes = {"decimal": r"\d+\.\d{1,2}", "grouped": r"\d{1,3},\d{3}",
              "percent": r"\d{1,2}\.\d%", "integer": r"\d{2,5}"}  # fmt: skip
    seen = set()
    for _ in range(200):
        text, kind = amount(rng)
        assert re.fullmatch(shapes[kind], text), (kind, text)
        seen.add(kind)
    assert seen == set(KINDS)


def test_a_statement_holds_its_amounts_where_they_are_drawn(fonts):
    image, drawn = page(np.random.default_rng(0), fonts)
    assert image.shape == (1000, 1400, 3) and image.dtype == np.uint8
    assert len(drawn) > 40 and len(drawn) % 4 == 0  # four amounts a row
    for text, kind, (x0, y0, x1, y1) in drawn[:12]:
        assert kind in KINDS and 0 <= x0 < x1 <= 1400 and 0 <= y0 < y1 <= 1000
        assert image[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1].min() < 128  # ink drawn there
        assert drawn_at(np.array([(x0 + x1) / 2, (y0 + y1) / 2]), drawn) == text
    again, same = page(np.random.default_rng(0), fonts)
    assert same == drawn and np.array_equal(again, image)  # one seed, one page


def test_it_needs_a_set_or_pages():
    from bench_points import main

    with pytest.raises(SystemExit):
        main([])
