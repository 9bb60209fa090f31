"""An MRZ line split at its "<" fillers is joined again; words set apart by a space are not."""

import numpy as np

from ocrkit import Word
from ocrkit.fillers import join_fillers


def word(text, x0, x1, y=10.0, h=20.0):
    quad = np.array([[x0, y], [x1, y], [x1, y + h], [x0, y + h]], np.float32)
    return Word(quad, text, 0.9, 0.8)


def test_touching_pieces_at_fillers_join_into_one_word():
    # ERIKSSON | <<ANNA | <MARIA<<<< with overlapping boxes (gaps of -0.1 x the height).
    pieces = [word("ERIKSSON", 0, 162), word("<<ANNA", 160, 282), word("<MARIA<<<<", 280, 480)]
    out, merged = join_fillers(pieces, [[0, 1, 2]])
    assert [w.text for w in out] == ["ERIKSSON<<ANNA<MARIA<<<<"] and merged == [0]
    # The pieces' minimum-area rectangle, clockwise from the top-left.
    assert np.allclose(out[0].polygon, [[0, 10], [480, 10], [480, 30], [0, 30]], atol=1e-3)


def test_spaced_or_other_words_stay_apart():
    spaced = [word("a", 0, 20), word("<", 28, 40), word("b", 48, 68)]  # gaps of 0.4 x height
    assert [w.text for w in join_fillers(spaced, [[0, 1, 2]])[0]] == ["a", "<", "b"]
    plain = [word("12.08.", 0, 100), word("1974", 98, 170)]  # touching, but no filler
    assert join_fillers(plain, [[0, 1]])[1] == []
    lines = [word("P<UTO", 0, 100), word("<<ANNA", 0, 100, y=60)]  # two lines
    assert [w.text for w in join_fillers(lines, [[0], [1]])[0]] == ["P<UTO", "<<ANNA"]
    tall = [word("AB<", 0, 60), word("CD", 58, 120, h=40)]  # heights too different
    assert len(join_fillers(tall, [[0, 1]])[0]) == 2


def test_an_image_read_turned_joins_right_to_left():
    # Turned by 180°: the text runs right to left in the image; words stay in image order.
    pieces = [word("X", 0, 20), word("<MARIA<<", 60, 220), word("<<ANNA", 218, 340),
              word("ERIKSSON", 338, 500)]  # fmt: skip
    out, merged = join_fillers(pieces, [[0, 1, 2, 3]], reverse=True)
    assert [w.text for w in out] == ["X", "ERIKSSON<<ANNA<MARIA<<"] and merged == [1]
