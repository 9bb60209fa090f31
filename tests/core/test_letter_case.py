"""Same-shape capitals lowered where their letters are an x-height on their line."""

import numpy as np
import pytest

from ocrkit.letter_case import (
    candidate,
    capital_first,
    code_candidate,
    is_x_height,
    letter_parts,
    mend_case,
    raised,
    raised_by_height,
    raised_code,
)
from ocrkit.types import Word

X, TALL = 10, 14  # px: a line's x-height and its capitals' / ascenders' height
BASELINE = 40


def _line(words: list[tuple[str, list[int]]], rule_under: str | None = None):
    """A 60 px high white strip with each word's letters drawn as 6 px wide black bars of the
    given heights standing on one baseline; Words with quads 3 px around each word's bars."""
    image = np.full((60, 40 + 60 * len(words), 3), 255, np.uint8)
    out, x = [], 20
    for text, heights in words:
        left = x
        for h in heights:
            image[BASELINE - h : BASELINE, x : x + 6] = 0
            x += 9
        right = x - 3
        if text == rule_under:  # a form's rule line under the word, inside its box
            image[BASELINE + 2 : BASELINE + 3, left - 2 : right + 2] = 0
        top = BASELINE - max(heights) - 3
        quad = np.float32([[left - 3, top], [right + 3, top], [right + 3, BASELINE + 4],
                           [left - 3, BASELINE + 4]])  # fmt: skip
        out.append(Word(quad, text, 0.9, 0.9))
        x += 24
    return image, out


def _texts(image, words):
    return [w.text for w in mend_case(image, words)]


def test_candidates_are_readings_that_could_be_all_x_height():
    assert candidate("uS") and candidate("Or") and candidate("SO") and candidate("SO,")
    assert candidate("Via")  # i: its stem is an x-height, its dot a part of its own
    assert not candidate("us")  # nothing to lower
    assert not candidate("pH") and not candidate("kW")  # a tall letter stands beside the capital
    assert not candidate("OR") and not candidate("USA")  # R, A: capitals of their own shape
    assert not candidate("") and not candidate(None)


def test_x_height_capitals_are_lowered_beside_tall_and_x_height_words():
    image, words = _line([("Let", [TALL, X, 12]), ("uS", [X, X]), ("first", [TALL, X, X, X, 12]),
                          ("can", [X, X, X]), ("Or", [X, X])])  # fmt: skip
    assert _texts(image, words) == ["Let", "us", "first", "can", "or"]


def test_true_capitals_keep_their_case():
    # "So" opens a sentence: its S is as tall as the line's capitals. "SO" on a title line.
    image, words = _line([("So", [TALL, X]), ("the", [TALL, TALL, X]), ("are", [X, X, X]),
                          ("Lab", [TALL, X, TALL])])  # fmt: skip
    assert _texts(image, words) == ["So", "the", "are", "Lab"]
    image, words = _line([("SO", [TALL, TALL]), ("FAR", [TALL, TALL, TALL]), ("GOOD", [TALL] * 4)])
    assert _texts(image, words) == ["SO", "FAR", "GOOD"]


def test_only_tall_references_and_a_rule_line_under_the_word():
    line = [("The", [TALL, TALL, X]), ("uS", [X, X]), ("fell", [TALL, X, TALL, TALL])]
    image, words = _line(line, rule_under="uS")
    # The rule line under the word is not a letter.
    assert max(letter_parts(image[..., 0], words[1].polygon)) == pytest.approx(X, abs=0.5)
    assert _texts(image, words) == ["The", "us", "fell"]


def test_a_line_without_two_words_to_compare_keeps_its_readings():
    image, words = _line([("uS", [X, X]), ("the", [TALL, TALL, X])])
    assert _texts(image, words) == ["uS", "the"]  # one tall word is not a reference
    image, words = _line([("SO", [X, X])])
    assert _texts(image, words) == ["SO"]


def test_is_x_height_thresholds():
    assert is_x_height(10, [10], [14, 14]) and not is_x_height(13, [10], [14, 14])
    assert is_x_height(10, [], [14, 14]) and not is_x_height(13, [], [14, 14])
    assert is_x_height(10, [10, 9], []) and not is_x_height(12, [10, 10], [])
    assert not is_x_height(3, [], [4, 4])  # too small to measure


def test_lower_case_letters_inside_a_word_of_capitals_are_raised():
    assert raised("DIvISION:") == "DIVISION:" and raised("ADvIsORY") == "ADVISORY"
    for kept in ("IDs", "PCs", "GHz", "CoA", "PhD", "Division", "To:", "iOS", "McCoy"):
        assert raised(kept) == kept
    image, words = _line([("DIvISION", [TALL] * 8), ("HEAD", [TALL] * 4)])
    assert _texts(image, words) == ["DIVISION", "HEAD"]


def test_bench_case_counts_fixes_on_saved_predictions(tmp_path, capsys):
    import sys
    from pathlib import Path

    import cv2

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_case import main

    image, words = _line([("Let", [TALL, X, 12]), ("uS", [X, X]), ("first", [TALL, X, X, X, 12])])
    (tmp_path / "images").mkdir()
    (tmp_path / "gt").mkdir()
    (tmp_path / "pred").mkdir()
    cv2.imwrite(str(tmp_path / "images" / "line.png"), image)

    def rows(texts):
        return "".join(",".join(str(int(v)) for v in w.polygon.ravel()) + f",{t}\n"
                       for w, t in zip(words, texts))  # fmt: skip

    (tmp_path / "gt" / "gt_line.txt").write_text(rows(["Let", "us", "first"]))
    (tmp_path / "pred" / "res_line.txt").write_text(rows(["Let", "uS", "first"]))
    assert main(["--dataset", "icdar2015", "--data", str(tmp_path),
                 "--predictions", str(tmp_path / "pred")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert '"changed": 1, "fixed": 1' in out
    assert "| saved readings | end_to_end_cased | 0.6667 | 0.6667 | 0.6667 |" in out
    assert "| mended | end_to_end_cased | 1.0000 | 1.0000 | 1.0000 |" in out
    assert "| mended | end_to_end | 1.0000 | 1.0000 | 1.0000 |" in out


def test_a_capital_then_same_shape_letters_as_tall_as_it_is_all_capitals():
    assert capital_first("To:") and capital_first("No.") and capital_first("Nov")
    assert not capital_first("So") and not capital_first("Bag") and not capital_first("TO")
    # "TO:" on a fax form's label (bars as tall as the T), "To:" opening a line.
    image, words = _line([("To:", [TALL, TALL]), ("No.", [TALL, X]), ("Nov", [TALL, 13, 13])])
    assert _texts(image, words) == ["TO:", "No.", "NOV"]
    assert raised_by_height("To:", [14.0, 13.0, 2.0]) == "TO:"  # the colon's dots left out
    assert raised_by_height("To:", [14.0, 12.0]) == "To:"  # 0.86 of the T: lower case
    assert raised_by_height("Nov", [14.0, 14.0]) == "Nov"  # parts do not map to the letters


def _code(text: str, parts: list[tuple[int, int]], drift: float = 0.0):
    """A white strip with one bar per character, 8 px wide, 3 px apart, each from ``top`` px
    above the baseline to ``foot`` px below it (a descender), the baseline sinking ``drift``
    px per character (a slanted crop); the grey image and the Word boxed 3 px around."""
    image = np.full((80, 40 + 11 * len(parts)), 255, np.uint8)
    x = 20
    for k, (top, foot) in enumerate(parts):
        base = int(round(50 + drift * k))
        image[base - top : base + foot, x : x + 8] = 0
        x += 11
    quad = np.float32([[17, 20], [x, 20], [x, 64], [17, 64]])
    return image, Word(quad, text, 0.9, 0.9)


def test_a_codes_letters_read_in_lower_case_are_raised_where_they_stand_as_tall_as_its_digits():
    cap, x_height, descender, digit = (24, 0), (17, 0), (17, 6), (24, 0)
    assert code_candidate("Bz6113756") and code_candidate("ut5988967") and code_candidate("May2008")
    assert not any(code_candidate(t) for t in ("BZ6113756", "4mm", "12th", "abcd1234", "Bz12"))
    image, word = _code("Bz6113756", [cap, cap] + [digit] * 7, drift=0.4)
    assert [w.text for w in mend_case(image, [word])] == ["BZ6113756"]
    image, word = _code("ut5988967", [cap, cap] + [digit] * 7)
    assert mend_case(image, [word])[0].text == "UT5988967"
    # Lower case on the card: an x-height u (its top 0.3 of the height low), a descender y.
    image, word = _code("ut5988967", [x_height, (22, 0)] + [digit] * 7)
    assert mend_case(image, [word])[0].text == "ut5988967"
    image, word = _code("May2008", [cap, x_height, descender] + [digit] * 4)
    assert mend_case(image, [word])[0].text == "May2008"
    # Letters whose lower case reaches a digit's top show no case; parts not one per character.
    image, word = _code("kb1234", [cap, cap] + [digit] * 4)
    assert mend_case(image, [word])[0].text == "kb1234"
    image, word = _code("Bz6113756", [cap] + [digit] * 7)
    assert raised_code("Bz6113756", []) == "Bz6113756"
    assert mend_case(image, [word])[0].text == "Bz6113756"
