"""Stray digits in words of letters and brackets without a partner: which readings take part,
their spellings, and when one replaces the reading (drawn frames), and FUNSD crops read with
the real weights."""

import numpy as np
import pytest
from helpers import ctc_frames, funsd_crops, need_plugin, need_shared

import ocrkit

need_plugin("ocrkit_crnn")

from ocrkit_crnn.alphabet import load_alphabet  # noqa: E402
from ocrkit_crnn.look_alikes import read_as_look_alikes, spellings  # noqa: E402

ALPHA = load_alphabet()
BLANK = ("", {"": 0.9})


def test_digits_among_letters_and_their_spellings():
    assert spellings("0f") == ["of"]
    assert spellings("t0 =") == ["to ="]
    assert spellings("S1GNED") == ["SIGNED"]
    assert spellings("DA7E") == ["DATE"]
    assert spellings("format1on") == ["formatlon", "formation"]
    assert spellings("Signa7ure") == []  # no lower-case letter looks like a 7
    # Codes and numbers: a digit at a word's end other than 0, an ordinal, a number and unit,
    # more digits than letters, mixed case (the one-case step's), a number with no letter.
    for text in ("B1", "Page1", "PM6", "BIO7", "10th", "5kg", "L82733604", "AB12", "mL0s", "12.50"):
        assert spellings(text) == [], text
    # Each token on its own: only the one with a stray digit changes; its digits change
    # together (a word or a code: "BIGIF" or "B1G1F", never "BIG1F").
    assert spellings("T0 B1") == ["TO B1"]
    assert spellings("B1G1F") == ["BIGIF"]


def test_brackets_without_a_partner_and_their_spellings():
    assert "Original" in spellings("Origina]") and "Origina" in spellings("Origina]")
    assert "/828" in spellings("[828") and "(Product" in spellings("{Product")
    assert "SCOPE)" in spellings("SCOPE}") and "Recipient(s):" in spellings("Recipient(s}:")
    # Paired brackets, a bracket standing alone after a space (the tidy step drops it), and
    # parentheses (a phrase split into words leaves them unpaired) are left alone.
    for text in ("[1]", "{a}", "entity [", "| x", "(3", "end)"):
        assert spellings(text) == [], text
    # A stray digit and an unpaired bracket in one reading: every combination.
    both = spellings("t0]")
    assert "to" in both and "t0" in both and "tol" in both and len(both) == len(set(both))


def test_a_close_letter_replaces_the_digit_and_a_clear_digit_stays():
    # "t0": 0 at 0.5 against o at 0.4, ~0.2 nats apart.
    doubt = ctc_frames(ALPHA, [("t", {"t": 0.9}), BLANK, ("0", {"0": 0.5, "o": 0.4}), BLANK])
    assert read_as_look_alikes("t0", doubt, ALPHA.try_encode, margin=6.0) == "to"
    assert read_as_look_alikes("t0", doubt, ALPHA.try_encode, margin=0.1) == "t0"
    # A 0 read surely (o at 0.001: 6.2 nats) stays at margin 6.
    sure = ctc_frames(ALPHA, [("t", {"t": 0.9}), BLANK, ("0", {"0": 0.95, "o": 0.001}), BLANK])
    assert read_as_look_alikes("t0", sure, ALPHA.try_encode, margin=6.0) == "t0"
    # An allowlist without the letter keeps the digit.
    digits = frozenset("0123456789t")
    assert read_as_look_alikes("t0", doubt, ALPHA.try_encode, margin=6.0, allowed=digits) == "t0"


def test_a_close_letter_replaces_an_unpaired_bracket():
    # "Origina]": "]" at 0.5 against "l" at 0.45.
    doubt = ctc_frames(ALPHA, [("O", {"O": 0.9}), ("r", {"r": 0.9}), ("i", {"i": 0.9}),
                               ("g", {"g": 0.9}), ("i", {"i": 0.9}), ("n", {"n": 0.9}),
                               ("a", {"a": 0.9}), ("]", {"]": 0.5, "l": 0.45}), BLANK])  # fmt: skip
    assert read_as_look_alikes("Origina]", doubt, ALPHA.try_encode, margin=6.0) == "Original"
    assert read_as_look_alikes("Origina]", doubt, ALPHA.try_encode, margin=0.05) == "Origina]"


@pytest.mark.slow
def test_real_crops_read_with_a_0_for_an_o():
    """FUNSD test words the CRNN reads "0n", "t0", "0F" (ground-truth boxes, real weights)
    come out "on", "to", "OF" by default; ``look_alike_margin=none`` gives the readings."""
    need_shared()
    crops = funsd_crops([("82250337_0338", (406, 630, 419, 641)),
                         ("82253245_3247", (219, 295, 230, 305)),
                         ("82253362_3364", (293, 638, 307, 645))])  # fmt: skip
    raw = ocrkit.load_recognizer("crnn", look_alike_margin=None).recognize(crops)
    assert [r.text for r in raw] == ["0n", "t0", "0F"]
    read = ocrkit.load_recognizer("crnn").recognize(crops)
    assert [r.text for r in read] == ["on", "to", "OF"]
    np.testing.assert_allclose([r.score for r in read], [r.score for r in raw], atol=1e-6)
    with pytest.raises(ocrkit.ConfigError, match="look_alike_margin must be >= 0"):
        ocrkit.load_recognizer("crnn", look_alike_margin=-1)


@pytest.mark.slow
def test_real_crops_read_with_an_unpaired_bracket():
    """FUNSD test words the CRNN reads "[828", "{Caton", "SCOPE}" come out "/828", "Caton",
    "SCOPE)" by default."""
    need_shared()
    crops = funsd_crops([("83624198", (212, 446, 241, 461)),
                         ("86328049_8050", (331, 391, 372, 408)),
                         ("82253362_3364", (318, 236, 352, 249))])  # fmt: skip
    raw = ocrkit.load_recognizer("crnn", look_alike_margin=None).recognize(crops)
    assert [r.text for r in raw] == ["[828", "{Caton", "SCOPE}"]
    read = ocrkit.load_recognizer("crnn").recognize(crops)
    assert [r.text for r in read] == ["/828", "Caton", "SCOPE)"]
