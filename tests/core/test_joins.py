"""Tokens the detector split are joined again: MRZ lines at their fillers outright, numbers at
a dot (or a thousands comma with no space after it in the ink) only where the joined box reads
as one token (a fake reader stands in for the CRNN)."""

import numpy as np

from ocrkit import Word
from ocrkit.joins import (
    comma_spaced,
    decimal_comma,
    grouped,
    join_tokens,
    junction,
    marked_junction,
    one_token,
)
from ocrkit.types import Recognition


def word(text, x0, x1, y=10.0, h=20.0):
    quad = np.array([[x0, y], [x1, y], [x1, y + h], [x0, y + h]], np.float32)
    return Word(quad, text, 0.9, 0.8)


class Reader:
    """Reads a region as the text of the first word of ``layout`` that it spans (the words it
    overlaps joined by what ``layout`` puts between them), recording each call."""

    def __init__(self, layout):
        self.layout, self.calls = layout, []  # layout: [(x0, x1, text)], the page's real text

    def __call__(self, regions):
        out = []
        for i, w in regions:
            x0, x1 = float(w.polygon[:, 0].min()), float(w.polygon[:, 0].max())
            self.calls.append((i, round(x0), round(x1)))
            text = "".join(t for a, b, t in self.layout if a < x1 and b > x0)
            out.append(Recognition(text, 0.9))
        return out


def run(words, reader, flipped=()):
    return [w.text for w in join_tokens([words], [[list(range(len(words)))]], set(flipped), reader)[0]]


def test_touching_pieces_at_fillers_join_and_are_read_again():
    pieces = [word("ERIKSSON", 0, 162), word("<<ANNA", 160, 282), word("<MARIA<<<<", 280, 480)]
    reader = Reader([(0, 480, "ERIKSSON<<ANNA<MARIA<<<<")])
    out = join_tokens([pieces], [[[0, 1, 2]]], set(), reader)[0]
    assert [w.text for w in out] == ["ERIKSSON<<ANNA<MARIA<<<<"] and len(reader.calls) == 1
    # The pieces' minimum-area rectangle, clockwise from the top-left.
    assert np.allclose(out[0].polygon, [[0, 10], [480, 10], [480, 30], [0, 30]], atol=1e-3)


def test_a_number_split_at_its_dot_joins_where_the_joined_box_reads_as_one_token():
    # "12." "08" "1974" (the dots of "12.08.1974" lost to the gaps), then "2000" after a space.
    pieces = [word("12.", 0, 30), word("08", 31, 52), word("1974", 54, 98), word("2000", 103, 147)]
    reader = Reader([(0, 30, "12."), (31, 52, "08."), (54, 98, "1974"), (98, 103, " "), (103, 147, "2000")])
    assert run(pieces, reader) == ["12.08.1974", "2000"]
    # Each number junction read as a pair first, then the kept chain once as a whole.
    assert reader.calls == [(0, 0, 52), (0, 31, 98), (0, 54, 147), (0, 0, 98)]
    # A two-piece number is read once: its pair reading is the joined word's.
    reader = Reader([(0, 40, "503."), (41, 61, "63")])
    assert run([word("503.", 0, 40), word("63", 41, 61)], reader) == ["503.63"] and len(reader.calls) == 1


def test_words_over_a_real_space_or_without_digits_stay_apart():
    spaced = [word("1999", 0, 44), word("2000", 49, 93)]  # gap 0.25 x the height, read with a space
    assert run(spaced, Reader([(0, 44, "1999"), (44, 49, " "), (49, 93, "2000")])) == ["1999", "2000"]
    garbled = [word("<", 0, 20), word("send", 21, 80)]  # a short word misread "<": no MRZ
    assert junction(*garbled) is None
    letters = [word("No.", 0, 30), word("5", 32, 42)]  # touching, but "o" | "5" is no number
    reader = Reader([(0, 42, "No.5")])
    assert run(letters, reader) == ["No.", "5"] and reader.calls == []
    far = [word("12.", 0, 30), word("50", 47, 67)]  # 0.85 x the height apart: two tokens
    assert junction(*far) is None
    tall = [word("12.", 0, 30), word("50", 31, 60, h=40)]  # heights too different
    assert junction(*tall) is None
    two_lines = [word("P<UTO", 0, 100), word("<<ANNA", 0, 100, y=60)]
    out = join_tokens([two_lines], [[[0], [1]]], set(), Reader([]))[0]
    assert [w.text for w in out] == ["P<UTO", "<<ANNA"]


def test_an_mrz_line_split_between_two_letters_joins():
    # A card photo: CRAFT split the names line inside the surname, the boxes overlapping.
    pieces = [word("KOWAL", 0, 102), word("SKI<<MARIA<<<<<<<<<<", 100, 480)]
    reader = Reader([(0, 480, "KOWALSKI<<MARIA<<<<<<<<<<")])
    assert run(pieces, reader) == ["KOWALSKI<<MARIA<<<<<<<<<<"] and len(reader.calls) == 1
    assert junction(word("KOWAL", 0, 102), word("SKI<<MARIA<<<<<<", 110, 480)) is None  # 0.4 apart
    assert junction(word("Name", 0, 80), word("Anna", 82, 160)) is None  # no "<<": no MRZ


def test_an_image_read_turned_joins_right_to_left():
    # Turned by 180°: the text runs right to left in the image; words stay in image order.
    pieces = [word("X", 0, 20), word("<MARIA<<", 60, 220), word("<<ANNA", 218, 340),
              word("ERIKSSON", 338, 500)]  # fmt: skip
    out = run(pieces, Reader([(0, 20, "X"), (60, 500, "ERIKSSON<<ANNA<MARIA<<")]), flipped=[0])
    assert out == ["X", "ERIKSSON<<ANNA<MARIA<<"]


def test_a_join_needs_one_token_of_the_same_letters_and_digits():
    assert one_token(["503.", "63"], "503.63") == "503.63"
    assert one_token(["0", "75"], "0 . 75") == "0.75"  # monospaced: spaces beside the dot
    assert one_token(["512.", "99"], "$12.99") == "$12.99"  # one edit: read better whole
    assert one_token(["1999", "2000"], "1999 2000") is None  # a real space
    assert one_token(["7", "7"], "77") == "77" and one_token(["7", "1"], "77") is None  # short: exact
    assert one_token(["12.", "08"], "") is None


def test_a_join_needs_a_mark_where_the_pieces_meet():
    assert marked_junction("503.", "63", "503.63") and marked_junction("1,234", "56", "1,234.56")
    assert marked_junction("512.", "99", "$12.99")  # found from the right piece's end
    assert marked_junction("2024-08", "12", "2024-08-12") and marked_junction("8/", "31", "8/31")
    assert not marked_junction("7", "7", "77")  # two numbers read together
    assert not marked_junction("23,", "1998", "23,1998")  # "March 23, 1998": a dropped space


def test_a_comma_joins_only_as_a_thousands_separator_or_a_decimal_comma():
    assert marked_junction("4,", "082.92", "4,082.92") == "comma"
    assert marked_junction("$20", ",944", "$20,944") == "comma"
    assert marked_junction("1,234", "56", "1,234.56") == "mark"  # a dot where the pieces meet
    assert marked_junction("264", "653", "264,653")  # the middle pair of "1," "264" "653"
    assert marked_junction("12,", "50", "12,50") == "comma"  # a decimal comma (the ink decides)
    assert marked_junction("1.234,", "56", "1.234,56") == "comma"
    assert marked_junction("1,", "5", "1,5") == "comma"
    assert not marked_junction("1,2,", "3", "1,2,3")  # a list
    assert not marked_junction("1234,", "567", "1234,567") and not marked_junction("12,", "345", "12,3456")
    assert not marked_junction("4,", "082", "4, 082")  # read with its space: two tokens
    assert not marked_junction("23,", "1998", "23,1998")  # "March 23, 1998": a dropped space
    assert grouped("1,264,653", 1) and grouped("1,264,653,", 5) and not grouped("23,1998", 2)
    assert decimal_comma("12,50", 2) and decimal_comma("€ 0,99", 3) and not decimal_comma("12,504", 2)


def test_an_amount_split_at_its_thousands_comma_joins_whole():
    # "1,264,653 and 23, 1998": the number in three pieces, then a day and a year.
    pieces = [word("1,", 0, 20), word("264", 21, 60), word("653", 61, 100), word("and", 110, 150),
              word("23,", 160, 190), word("1998", 191, 240)]  # fmt: skip
    reader = Reader([(0, 20, "1,"), (21, 60, "264,"), (61, 100, "653"), (100, 110, " "),
                     (110, 150, "and"), (160, 190, "23,"), (191, 240, "1998")])  # fmt: skip
    assert run(pieces, reader) == ["1,264,653", "and", "23,", "1998"]


def test_numbers_false_joins_fillers_only():
    pieces = [word("503.", 0, 40), word("63", 41, 61), word("ERIKS<", 80, 180), word("<ANNA<", 179, 280)]
    reader = Reader([(0, 61, "503.63"), (80, 280, "ERIKS<<ANNA<")])
    out = join_tokens([pieces], [[[0, 1, 2, 3]]], set(), reader, numbers=False)[0]
    assert [w.text for w in out] == ["503.", "63", "ERIKS<<ANNA<"]


def _amount(space: int, comma: bool = True, below: int = 4):
    """A white strip with "ddd,ddd" drawn as bars (digits 6 px wide, 20 high, 3 px apart; the
    comma 3 px wide from 4 above the baseline to ``below`` px below) and ``space`` more px
    after the comma; grey image and the two pieces' words (the comma in the left one)."""
    grey = np.full((60, 160), 255, np.uint8)
    base, x = 40, 10
    for _ in range(3):
        grey[base - 20 : base, x : x + 6] = 0
        x += 9
    if comma:
        grey[base - 4 : base + below, x : x + 3] = 0
    x += 6 + space
    start = x
    for _ in range(3):
        grey[base - 20 : base, x : x + 6] = 0
        x += 9
    return grey, word("123,", 8, start - 3 - space, y=16, h=30), word("456", start - 1, x, y=16, h=30)


def test_a_comma_with_a_space_after_it_is_seen_in_the_ink():
    grey, left, right = _amount(space=0)
    assert not comma_spaced(grey, left, right)  # "123,456": the comma's gaps alike
    grey, left, right = _amount(space=10)
    assert comma_spaced(grey, left, right)  # "123, 456": half the digits' height wider after
    grey, left, right = _amount(space=0, comma=False)
    assert comma_spaced(grey, left, right)  # no comma in the ink: not joined as one


def test_a_comma_blurred_into_a_dot_on_the_baseline_is_still_found():
    # Small type: the comma hardly hangs below the digits ("61,560" at 9 px).
    grey, left, right = _amount(space=0, below=0)
    assert not comma_spaced(grey, left, right)
    grey, left, right = _amount(space=10, below=0)
    assert comma_spaced(grey, left, right)


def test_a_spaced_comma_keeps_its_pieces_apart():
    pieces = [word("12,", 0, 30), word("345", 31, 70)]
    reader = Reader([(0, 30, "12,"), (31, 70, "345")])  # the joined box reads "12,345"
    out = join_tokens([pieces], [[[0, 1]]], set(), reader, spaced=lambda i, a, b: True)[0]
    assert [w.text for w in out] == ["12,", "345"]
    out = join_tokens([pieces], [[[0, 1]]], set(), reader, spaced=lambda i, a, b: False)[0]
    assert [w.text for w in out] == ["12,345"]


def test_a_comma_on_a_line_askew_in_the_joined_box_is_still_seen():
    """"1,234" whose line falls 2 px per character across the joined box (a "1" boxed apart
    from the rest puts the box askew): against the digits' median bottom the comma would not
    reach below the baseline; against the fitted baseline it reaches 4 px below."""
    grey = np.full((70, 80), 255, np.uint8)
    x, k = 10, 0
    for glyph in "1,234":
        base = 40 + 2 * k
        if glyph == ",":
            grey[base - 4 : base + 4, x : x + 3] = 0
            x += 6
        else:
            grey[base - 20 : base, x : x + 6] = 0
            x += 9
        k += 1
    left, right = word("1,", 8, 24, y=16, h=40), word("234", 25, x, y=16, h=40)
    assert not comma_spaced(grey, left, right)  # a comma, no space after it: joined


def test_the_baseline_follows_the_letters_not_a_mark():
    from ocrkit.joins import baseline

    # (x, y, w, h) rows: three letters standing on y = 39.5 + 0.1 × their centre's x, and one
    # (the third) reaching 6 px below it.
    letters = np.array([[0, 20, 10, 20], [20, 22, 10, 20], [40, 30, 10, 20], [60, 26, 10, 20]])
    np.testing.assert_allclose(baseline(letters, letters), [40, 42, 44, 46])
