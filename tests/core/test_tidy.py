import pytest
from helpers import FakeDetector, FakeRecognizer

from ocrkit import Pipeline
from ocrkit.tidy import tidy_word
from ocrkit.types import Recognition


@pytest.mark.parametrize(
    "raw, tidy",
    [
        ("Dairy _", "Dairy"),
        ("month )", "month"),
        ("36 ' -", "36"),
        ("\" Smith", "Smith"),
        (" FURTHER ", "FURTHER"),
        ("Kent  B", "Kent B"),  # letters are never dropped; inner runs of spaces collapse
        ("$5", "$5"),
        ("U.S.", "U.S."),
        ("-", "-"),  # a reading that is only marks stays
        ("NAME;", "NAME:"),  # a label's colon read as a semicolon
        ("TO; _", "TO:"),
        ("No::", "No.:"),  # a label "No.:" with its period read as a colon
        ("::", "::"),
        ("a::b", "a::b"),
        (";", ";"),
        ("a;b", "a;b"),
        ("x ;", "x"),
        ("Date__", "Date"),  # a form's rule line read without a space
        ("2024_;", "2024_;"),  # only at the very end, after a letter or digit
        ("__", "__"),
        ("_init", "_init"),
        ("' -", "' -"),
        # An MRZ line read with a space before its fillers: a whole line once the space goes.
        ("P<UTORFWJLVR<<NKKBT <<<<<<<<<<<<<<<<<<<<<<<<<", "P<UTORFWJLVR<<NKKBT<<<<<<<<<<<<<<<<<<<<<<<<<"),
        ("ERIKSSON << ANNA", "ERIKSSON << ANNA"),  # far from an MRZ line's length: as before
        ("", ""),
        ("   ", ""),
    ],
)
def test_tidy_word(raw, tidy):
    assert tidy_word(raw) == tidy


class Marks(FakeRecognizer):
    """Reads every crop as a word with a lone mark caught after a space."""

    def recognize(self, crops):
        return [Recognition(f"w{k} _ ", 0.95) for k in range(len(crops))]


def test_pipeline_tidies_texts_unless_raw(fake_pm, text_image):
    image, _ = text_image
    tidy = Pipeline(FakeDetector(), Marks(), plugin_manager=fake_pm).read([image])[0]
    raw = Pipeline(FakeDetector(), Marks(), plugin_manager=fake_pm, text="raw").read([image])[0]
    assert tidy and all(w.text.startswith("w") and not w.text.endswith(("_", " ")) for w in tidy)
    assert [w.text for w in raw] == [w.text + " _ " for w in tidy]
    with pytest.raises(ValueError, match="text must be one of tidy, split, raw"):
        Pipeline(FakeDetector(), Marks(), plugin_manager=fake_pm, text="clean")


def test_cli_text_option_reaches_the_pipeline(capsys):
    from ocrkit.cli import build_parser
    from ocrkit.commands.run import pipeline_spec

    parser = build_parser()
    assert pipeline_spec(parser.parse_args(["run", "x.png"])).text == "tidy"
    assert pipeline_spec(parser.parse_args(["run", "--text", "raw", "x.png"])).text == "raw"
    assert pipeline_spec(parser.parse_args(["run", "--text", "split", "x.png"])).text == "split"
    args = parser.parse_args(["eval", "--dataset", "funsd", "--text", "raw"])
    assert pipeline_spec(args).text == "raw"
    with pytest.raises(SystemExit) as exc:  # argparse: usage line + the error, status 2
        parser.parse_args(["run", "--text", "clean", "x.png"])
    assert exc.value.code == 2 and "invalid choice: 'clean'" in capsys.readouterr().err


def test_tidy_adds_no_colon_the_recognizer_may_not_read():
    assert tidy_word("NAME; _", characters="ABCDEMN;_ ") == "NAME;"
    assert tidy_word("NAME; _", characters="ABCDEMN;:_ ") == "NAME:"
    assert tidy_word("No::", characters="No:") == "No::"
    assert tidy_word("No::", characters="No:.") == "No.:"


def test_kept_within_keeps_the_reading_where_a_step_adds_a_foreign_character():
    import numpy as np

    from ocrkit.tidy import kept_within
    from ocrkit.types import Word

    quad = np.zeros((4, 2), np.float32)
    before = [Word(quad, "4,082", 0.9, 0.9), Word(quad, "511.89", 0.9, 0.9), Word(quad, None, 0.9, None)]
    after = [Word(quad, "4,082.", 0.9, 0.9), Word(quad, "$11.89", 0.9, 0.9), Word(quad, None, 0.9, None)]
    digits = set("0123456789.,")
    assert [w.text for w in kept_within(before, after, digits)] == ["4,082.", "511.89", None]
    assert [w.text for w in kept_within(before, after, None)] == ["4,082.", "$11.89", None]
    with pytest.raises(ValueError, match="returned 2 words for 3"):
        kept_within(before, after[:2], digits)


class Labels(FakeRecognizer):
    """Reads every crop as a form label with its colon read as a semicolon."""

    characters = "ABEMN;"

    def recognize(self, crops):
        return [Recognition("NAME;", 0.95) for _ in crops]


def test_pipeline_tidy_steps_respect_the_recognizers_characters(fake_pm, text_image):
    image, _ = text_image
    words = Pipeline(FakeDetector(), Labels(), plugin_manager=fake_pm).read([image])[0]
    assert words and {w.text for w in words} == {"NAME;"}
    Labels.characters = Labels.characters + ":"
    try:
        words = Pipeline(FakeDetector(), Labels(), plugin_manager=fake_pm).read([image])[0]
    finally:
        Labels.characters = "ABEMN;"
    assert {w.text for w in words} == {"NAME:"}
