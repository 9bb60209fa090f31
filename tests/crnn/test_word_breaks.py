"""Two words read as one: the spaced alternative a reading offers (ocrkit_crnn.word_breaks)."""

import numpy as np
import pytest
from helpers import ctc_frames, need_plugin

need_plugin("ocrkit_crnn")

from ocrkit_crnn.alphabet import load_alphabet  # noqa: E402
from ocrkit_crnn.config import CrnnConfig  # noqa: E402
from ocrkit_crnn.lexicon import TWO_LETTER_EN, Lexicon, load_lexicon  # noqa: E402
from ocrkit_crnn.word_breaks import spaced_reading, split_candidates  # noqa: E402

ALPHA = load_alphabet()
LEX = Lexicon(["fax", "contact", "sender", "phone", "cat", "hay", "no", "do", "of", "x"])


def _frames(text: str, space: float) -> np.ndarray:
    """(T, C) frames reading ``text`` letter by letter, a blank after each letter; the blank
    after a space marker '|' (not read) holds the space at probability ``space``."""
    path = []
    for ch in text:
        if ch == "|":
            path[-1] = ("", {"": 1 - space - 1e-3, " ": space, "x": 1e-3})
            continue
        path += [(ch, {ch: 0.99, "x": 0.01}), ("", {"": 0.99, "x": 0.01})]
    return ctc_frames(ALPHA, path)


def _spaced(text: str, frames: np.ndarray, margin: float = 6.0, allowed=None, lexicon=LEX):
    return spaced_reading(text, frames, ALPHA.try_encode, lexicon, margin, allowed)


def test_split_candidates_need_two_known_words_of_two_letters_at_least():
    assert split_candidates("FAXNO", LEX) == [3]
    assert split_candidates("contactsender", LEX) == [7]
    assert split_candidates("nodo", LEX) == [2]  # two two-letter words
    assert split_candidates("faxx", LEX) == []  # "x" is one letter: never split off
    assert split_candidates("faxyz", LEX) == []
    assert LEX.two_letter == {"no", "do", "of"}  # a word-list file's own two-letter words


def test_a_space_the_frames_allow_is_offered_and_one_they_do_not_is_not():
    # The space a close second in the gap's frame: ~1.6 nats below the reading.
    assert _spaced("FAXNO.", _frames("FAX|NO.", space=0.2)) == "FAX NO."
    assert _spaced("(contactsender", _frames("(contact|sender", space=0.2)) == "(contact sender"
    # The space at 1e-4 of that frame: ~9 nats below, more than the margin.
    assert _spaced("FAXNO.", _frames("FAX|NO.", space=1e-4)) is None
    assert _spaced("FAXNO.", _frames("FAX|NO.", space=1e-4), margin=10.0) == "FAX NO."


def test_words_known_short_or_with_digits_or_no_split_offer_nothing():
    frames = _frames("cat|hay", space=0.3)
    assert _spaced("cathay", frames) == "cat hay"
    assert _spaced("cathay", frames, lexicon=Lexicon(["cat", "hay", "cathay"])) is None
    assert _spaced("FAX", _frames("FAX", 0.3)) is None
    assert _spaced("FAX2NO", _frames("FAX2|NO", 0.3)) is None  # not a word of letters
    # An allowlist without the space: no spaced reading may be offered.
    assert _spaced("FAXNO.", _frames("FAX|NO.", 0.2), allowed=frozenset("FAXNO.")) is None


def test_the_built_in_list_splits_off_english_function_words_only():
    en = load_lexicon("en")
    assert en.two_letter == TWO_LETTER_EN and "no" in en.two_letter and "ya" not in en.two_letter
    assert split_candidates("YOUDO", en) == [3]
    assert split_candidates("ASPOSSIBLE", en) == [2]


def test_the_margin_option_is_checked():
    assert CrnnConfig().lexicon_split_margin == 6.0
    assert CrnnConfig(lexicon_split_margin=None).lexicon_split_margin is None
    with pytest.raises(ValueError, match="lexicon_split_margin must be >= 0"):
        CrnnConfig(lexicon_split_margin=-1.0)
