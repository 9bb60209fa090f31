"""benchmarks/bench_cards.py: its card photos, its scoring, and one card read with the weights."""

import sys
from pathlib import Path

import numpy as np
import pytest

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_cards_are_seeded_and_hold_their_fields(fonts):
    from bench_cards import KINDS, card_photo
    from ocrkit.mrz import check_digit, is_line

    image, words = card_photo(0, fonts)
    again, same = card_photo(0, fonts)
    assert (image == again).all() and words == same
    assert image.shape == (1200, 1600, 3) and image.dtype == np.uint8
    assert {kind for _, kind in words} == set(KINDS)  # card 0 has an MRZ
    zone = [text for text, kind in words if kind == "mrz"]
    number = next(text for text, kind in words if kind == "number")
    assert len(zone) == 3 and all(is_line(line) and len(line) == 30 for line in zone)
    assert zone[0][5:15] == number + check_digit(number)
    assert "mrz" not in {kind for _, kind in card_photo(1, fonts)[1]}  # every other card
    assert not (card_photo(0, fonts, seed=1)[0] == image).all()


def test_words_are_matched_once_each_with_their_case():
    from bench_cards import score

    words = [("Date", "label"), ("of", "label"), ("No.", "label"), ("Anna", "name")]
    right, missed, extra = score(["Date", "of", "Date", "No:", "anna"], words)
    assert right == {"label": 2} and missed == ["No.", "Anna"] and sorted(extra) == ["Date", "No:", "anna"]


@pytest.mark.slow
def test_an_mrz_line_split_between_two_digits_reads_whole(craft_detector, crnn_recognizer, fonts):
    from bench_cards import card_photo
    from bench_tokens import Once

    image, words = card_photo(0, fonts)
    line = [text for text, kind in words if kind == "mrz"][1]
    once = Once(craft_detector.detect([image])[0])  # CRAFT's regions, detected once for both
    raw = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer, text="raw").read([image])[0]]
    tidy = [w.text for w in ocrkit.Pipeline(once, crnn_recognizer).read([image])[0]]
    # Measured (fp32): CRAFT splits the zone's second line between two digits, where no filler
    # marks the junction ("7408122F31043" "159UTO<<<<<<<<<<<6", a "3" read into the cut).
    assert line not in raw and any(t.startswith("159UTO<") for t in raw)
    assert line in tidy
    right = sum(text in tidy for text, _ in words)
    assert right >= len(words) - 2  # measured: all but "No." (read "No:")
