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
        (";", ";"),
        ("a;b", "a;b"),
        ("x ;", "x"),
        ("Date__", "Date"),  # a form's rule line read without a space
        ("2024_;", "2024_;"),  # only at the very end, after a letter or digit
        ("__", "__"),
        ("_init", "_init"),
        ("' -", "' -"),
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
