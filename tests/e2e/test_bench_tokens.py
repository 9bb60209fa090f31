"""benchmarks/bench_tokens.py and bench_mrz.py: their rendered truths, and their tables at a
small scale."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import need_plugin

from ocrkit.mrz import check_digit, line_kind, normalise

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_rendered_truths_are_well_formed():
    from bench_mrz import zone
    from bench_tokens import decimal_line, grouped_line, line

    rng = np.random.default_rng(0)
    for _ in range(20):
        tokens, numbers, plain = line(rng)
        assert all(re.search(r"\d[.:/-]\d", n) for n in numbers) and all(p.isdigit() for p in plain)
        assert len(tokens) == 8 and " ".join(plain) in " ".join(tokens)
        tokens, grouped, comma = grouped_line(rng)
        assert all(re.fullmatch(r"\$?\d{1,3}(,\d{3})+(\.\d\d)?", g) for g in grouped)
        assert [t[-1] == "," for t in comma] == [True, False, True, False] and len(tokens) == 9
        tokens, decimal, comma = decimal_line(rng)
        assert all(re.fullmatch(r"\d+(\.\d{3})?,\d{1,2}", d) for d in decimal)
        assert re.fullmatch(r"\d+,\d", decimal[2]) and all(re.fullmatch(r"\d{1,2},?", c) for c in comma)
        assert [t[-1] == "," for t in comma] == [True, False, True, False] and len(tokens) == 9
    for kind, lengths in (("TD1", [30, 30, 30]), ("TD3", [44, 44])):
        lines = zone(rng, kind)
        assert [len(x) for x in lines] == lengths and all(normalise(x) == x for x in lines)
        assert [line_kind(x) for x in lines] == [(kind, k + 1) for k in range(len(lines))]
    first = zone(np.random.default_rng(1), "TD1")[0]
    assert check_digit(first[5:14]) == first[14]  # the document number's check digit


def _row(out: str, name: str) -> list[int]:
    match = re.search(rf"^\| {re.escape(name)} \| (\d+) \| (\d+) \| (\d+) \|$", out, re.M)
    assert match, out
    return [int(g) for g in match.groups()]


@pytest.mark.slow
def test_tables_at_a_small_scale(fonts, capsys):
    need_plugin("ocrkit_craft")
    need_plugin("ocrkit_crnn")
    from bench_mrz import main as mrz_main
    from bench_tokens import main as tokens_main

    assert tokens_main(["--sizes", "20", "--lines", "1", "--precision", "fp32"]) == 0
    out = capsys.readouterr().out
    count, split, tidy = _row(out, "numbers with a mark")
    # Measured (fp32): 15 numbers, 6 read right split, 12 joined.
    assert count == 15 and tidy >= split + 5
    count, split, tidy = _row(out, "plain numbers after a space")
    assert count == 10 and tidy == split == 10
    count, split, tidy = _row(out, "numbers grouped by commas")
    assert count == 15 and tidy >= split + 5
    count, split, tidy = _row(out, "numbers after a comma and a space")
    assert count == 20 and tidy == split
    count, split, tidy = _row(out, "numbers with a decimal comma")
    assert count == 15 and tidy >= split + 2
    count, split, tidy = _row(out, "1–2 digits after a comma and a space")
    assert count == 20 and tidy == split
    assert mrz_main(["--zones", "1", "--precision", "fp32"]) == 0
    out = capsys.readouterr().out
    assert "| 1 × TD1 | 3 |" in out and "| 1 × TD3 | 2 |" in out


def test_comma_pages_hold_their_words(fonts):
    from bench_commas import kind, page
    from bench_small_text import pick_font
    from PIL import ImageFont

    font = ImageFont.truetype(str(pick_font(fonts, "sans")), 14)
    image, truth = page(np.random.default_rng(0), font, 14, scan=True)
    assert image.shape == (40 + 8 * 28, 1400, 3) and image.dtype == np.uint8 and len(truth) == 48
    kinds = [kind(t) for t in truth]
    assert {"comma", "period", "bare"} == set(kinds) and kinds.count("comma") > kinds.count("period")
    assert (image < 128).any()  # the words were drawn


def test_bench_dollars_turns_a_line_whole():
    """``--tilt``: the rendered line turned on a canvas that holds all of its ink."""
    import cv2
    from bench_dollars import tilted

    line = np.full((40, 200, 3), 255, np.uint8)
    line[15:25, 10:190] = 0  # a bar almost as long as the line
    assert tilted(line, 0.0) is line
    turned = tilted(line, 3.0)
    assert turned.shape[1] >= 200 and turned.shape[0] > 40
    dark = (turned[..., 0] < 128).astype(np.uint8)
    assert abs(int(dark.sum()) - 180 * 10) < 180  # no ink lost off the canvas
    (cx, cy), (w, h), angle = cv2.minAreaRect(cv2.findNonZero(dark))
    assert min(abs(angle - 3.0), abs(angle - 87.0), abs(angle + 3.0), abs(angle + 87.0)) < 0.5
