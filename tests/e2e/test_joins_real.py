"""Tokens CRAFT splits, read whole with the packaged weights: an MRZ line, numbers at their dots."""

import sys
from pathlib import Path

import numpy as np
import pytest

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


@pytest.mark.slow
def test_an_mrz_line_split_at_its_fillers_reads_as_one_word(craft_detector, crnn_recognizer, fonts):
    from bench_small_text import MRZ, card
    from bench_tokens import Once

    image, _ = card(np.random.default_rng(0), fonts)
    once = Once(craft_detector.detect([image])[0])  # CRAFT's regions, detected once for both
    tidy = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer).read([image])[0]]
    raw = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer, text="raw").read([image])[0]]
    # Measured: CRAFT splits the third line at "<<" and "<" into 2-3 pieces whose boxes overlap
    # by 0.07-0.15 x the text height; at fp32 "ERIKSSON<<ANNA-" + "<MARIA<<<<<<<<<<" (a cut
    # filler read as "-"), so the joined box is read again as one crop.
    assert MRZ[2] not in raw and sum(t in MRZ[2] for t in raw) >= 2
    assert MRZ[2] in tidy and len(tidy) < len(raw)


@pytest.mark.slow
def test_numbers_split_at_their_dots_read_whole(craft_detector, crnn_recognizer, fonts):
    from bench_small_text import pick_font
    from bench_tokens import Once, render

    # Text 20 px high, as much of a document's is at the detector's canvas.
    line = "Total 503.63 EUR 12.08.1974 0.75 in 1999 2000".split()
    image = render(line, pick_font(fonts, "sans"), 20)
    once = Once(craft_detector.detect([image])[0])
    texts = {mode: [w.text for w in ocrkit.Pipeline(once, crnn_recognizer, text=mode).read([image])[0]]
             for mode in ("tidy", "split", "raw")}  # fmt: skip
    # Measured: CRAFT splits each number at a dot ("503." "63", "12." "08 ." "1974", "0." "75").
    assert "503." in texts["raw"] and "503.63" not in texts["raw"]
    assert texts["tidy"] == line
    assert "503." in texts["split"] and "63" in texts["split"]
