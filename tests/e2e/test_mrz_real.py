"""An ID card's machine-readable zone read right with the packaged weights: ICAO 9303's TD1
specimen rendered as ``benchmarks/bench_mrz.py`` renders its zones."""

import sys
from pathlib import Path

import numpy as np
import pytest

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


@pytest.mark.slow
def test_a_td1_zone_reads_right_line_by_line(craft_detector, crnn_recognizer, fonts):
    from bench_mrz import Once, render
    from bench_small_text import pick_font

    image = render(TD1, pick_font(fonts, "mono"), 20, np.random.default_rng(20))
    once = Once(craft_detector.detect([image])[0])
    raw = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer, text="raw").read([image])[0]]
    tidy = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer).read([image])[0]]
    # Measured: "UTO" before a digit reads "UT0", and the names line comes in two pieces.
    assert TD1[1] not in raw and TD1[2] not in raw
    assert tidy == TD1
