"""An MRZ line's reading is put to its format; no other text changes. The zones are ICAO Doc
9303's specimens (TD1 card, TD3 passport)."""

import numpy as np

from ocrkit.mrz import (
    check_digit,
    checked_fields,
    is_line,
    line_kind,
    look_alike,
    match_numbers,
    normalise,
    unspaced,
)
from ocrkit.types import Word

TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_check_digits_and_line_kinds_follow_icao_9303():
    assert check_digit("D23145890") == "7" and check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2" and check_digit("<<<<<<") == "0"
    assert [line_kind(line) for line in TD1] == [("TD1", 1), ("TD1", 2), ("TD1", 3)]
    assert [line_kind(line) for line in TD3] == [("TD3", 1), ("TD3", 2)]


def test_correct_lines_are_unchanged():
    for line in TD1 + TD3:
        assert normalise(line) == line


def test_letters_and_digits_are_put_to_their_fields():
    # "UTO" read "UT0" before a digit, a letter field's "1" and "0", lower case.
    assert normalise("I<UT0D231458907<<<<<<<<<<<<<<<") == TD1[0]
    assert normalise("74O8122F12O4159UT0<<<<<<<<<<<6") == TD1[1]
    assert normalise("ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<") == TD1[2]
    assert normalise("l898902c36ut07408122f1204159ze184226b<<<<<10") == TD3[1]


def test_a_miscounted_run_of_fillers_is_put_to_the_standard_length():
    assert normalise(TD1[2][:-1]) == TD1[2]  # 29: one filler short
    assert normalise(TD3[0] + "<<") == TD3[0]  # 46: two too many
    assert normalise(TD3[0][:-3]) == TD3[0][:-3]  # 41: too far from 44 to tell


def test_stray_characters_in_fillers_and_names_go():
    assert normalise("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<22<2<24<<") == TD3[0]  # after the names
    assert normalise("I<UTOD231458907<<<<<<A<<<<<<<<") == TD1[0]  # deep in a run


def test_a_document_number_is_mended_by_its_check_digit():
    assert normalise("I<UTOD23145B907<<<<<<<<<<<<<<<") == TD1[0]  # "B" for "8": check 7 agrees
    assert normalise("I<UTOD23145B903<<<<<<<<<<<<<<<") == "I<UTOD23145B903<<<<<<<<<<<<<<<"  # none does


def test_other_text_is_left_alone():
    for text in ("hello", "503.63", "<<", "www.example.com<<", "A<B", "1234567890" * 3, "x" * 30):
        assert normalise(text) == text


def test_a_line_read_with_spaces_loses_them():
    assert unspaced("ERIKSSON<<ANNA<MARIA <<<<<<<<<<") == TD1[2]
    short = TD3[0][:-2]  # 42 characters: within 2 of a passport line's 44
    assert unspaced(short[:25] + " " + short[25:27] + " " + short[27:]) == short
    assert is_line(TD3[0]) and is_line(TD3[0][:-2]) and not is_line(TD3[0][:-3])
    for text in ("Date of birth", "ERIKSSON << ANNA", "1234567890 " * 3, "a <<b"):
        assert unspaced(text) == text


def _words(*texts: str) -> list[Word]:
    box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], np.float32)
    return [Word(box, text, 0.9, 0.8) for text in texts]


def test_checked_fields_are_the_numbers_whose_check_digit_agrees():
    assert checked_fields(TD1) == ["D23145890"]
    assert checked_fields(TD3) == ["L898902C3", "ZE184226B"]  # and the personal number
    assert checked_fields(["I<UTOD231458903<<<<<<<<<<<<<<<", TD1[1], TD1[2]]) == []  # 3 ≠ 7
    assert checked_fields(["I<UTOD23145890", "D231458907"]) == []  # not whole lines


def test_a_printed_number_is_read_as_its_zone_holds_it():
    assert look_alike("D23I4589O", "D23145890") and look_alike("d23145890", "D23145890")
    assert not look_alike("D23145890", "D23145890")  # already right
    assert not look_alike("D23145891", "D23145890")  # 1 and 0 are not look-alikes
    assert not look_alike("D2314589", "D23145890")  # a character short
    words = _words("Document", "No.", "023145B90", *TD1, "D23145891", "Anna")
    mended = match_numbers(np.zeros((5, 5), np.uint8), words)
    assert [w.text for w in mended] == ["Document", "No.", "D23145890", *TD1, "D23145891", "Anna"]
    assert mended[2].recognition_score == 0.8 and mended[2].polygon is words[2].polygon


def test_without_a_checked_zone_nothing_is_matched():
    bad = ["I<UTOD231458903<<<<<<<<<<<<<<<", TD1[1], TD1[2]]  # its check digit disagrees
    words = _words("023145B90", *bad)
    assert [w.text for w in match_numbers(np.zeros((5, 5), np.uint8), words)] == [
        "023145B90", *bad]  # fmt: skip
