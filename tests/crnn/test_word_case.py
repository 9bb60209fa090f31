"""One case per word: which readings are mixed, their spellings, and when one replaces them."""

from helpers import ctc_frames, need_plugin

need_plugin("ocrkit_crnn")

from ocrkit_crnn.alphabet import load_alphabet  # noqa: E402
from ocrkit_crnn.word_case import mixed, one_case, spellings  # noqa: E402

ALPHA = load_alphabet()
BLANK = ("", {"": 0.9})


def test_mixed_runs_and_their_spellings():
    assert [mixed(r) for r in ("seX", "DIvISION", "McKim", "mL")] == [True] * 4
    assert [mixed(r) for r in ("SEX", "sex", "Sex", "x", "X")] == [False] * 5
    assert spellings("seX 1b") == ["SEX 1b", "sex 1b", "Sex 1b"]
    # Runs are split by digits and marks, and only the mixed ones change.
    assert spellings("CW3/cW4") == ["CW3/CW4", "CW3/cw4", "CW3/Cw4"]
    assert spellings("Cross-Sell") == spellings("SEX") == spellings("12.5") == []
    assert spellings("StraßE") == ["straße", "Straße"]  # "STRASSE" respells more than the case


def test_a_close_case_is_made_one_and_a_clear_mixed_case_is_kept():
    # "seX": s 0.5 / S 0.45, e 0.5 / E 0.45, X sure: capitals ~0.2 nats less likely than the
    # reading; lower case costs X's 0.9 → 0.05 (2.9 nats).
    doubt = ctc_frames(ALPHA, [("s", {"s": 0.5, "S": 0.45}), BLANK, ("e", {"e": 0.5, "E": 0.45}),
                               BLANK, ("X", {"X": 0.9, "x": 0.05}), BLANK])  # fmt: skip
    assert one_case("seX", doubt, ALPHA.try_encode, margin=6.0) == "SEX"
    assert one_case("seX:", doubt, ALPHA.try_encode, margin=0.1) == "seX:"  # 0.21 nats > 0.1
    # "McKim" read clearly (K 0.95 against k 0.01): 4.6 nats from "Mckim", kept at margin 4.
    sure = ctc_frames(ALPHA, [("M", {"M": 0.95}), ("c", {"c": 0.9, "C": 0.05}),
                              ("K", {"K": 0.95, "k": 0.01}), ("i", {"i": 0.95}),
                              ("m", {"m": 0.95})])  # fmt: skip
    assert one_case("McKim", sure, ALPHA.try_encode, margin=4.0) == "McKim"
    assert one_case("McKim", sure, ALPHA.try_encode, margin=6.0) == "Mckim"
    # An allowlist without capitals leaves only the lower-case spelling.
    lower = frozenset("abcdefghijklmnopqrstuvwxyzX")
    assert one_case("seX", doubt, ALPHA.try_encode, margin=6.0, allowed=lower) == "sex"


def test_near_ties_go_to_the_spelling_closest_to_the_reading():
    # "hELLO": "hello" is a little likelier than "HELLO" (0.1 against 0.2 nats below the
    # reading) but changes three letters whose case shows to its one.
    even = ctc_frames(ALPHA, [("h", {"h": 0.5, "H": 0.4}), ("E", {"E": 0.5, "e": 0.48}),
                              ("L", {"L": 0.5, "l": 0.49}), BLANK, ("L", {"L": 0.5, "l": 0.49}),
                              ("O", {"O": 0.5, "o": 0.49})])  # fmt: skip
    assert one_case("hELLO", even, ALPHA.try_encode, margin=6.0) == "HELLO"
    assert one_case("hELLO", even, ALPHA.try_encode, margin=6.0, penalty=0.0) == "hello"
    # A reading the pipeline's text-only rule raises ("GooD" → "GOOD") is left to it.
    assert one_case("GooD", even, ALPHA.try_encode, margin=50.0) == "GooD"
