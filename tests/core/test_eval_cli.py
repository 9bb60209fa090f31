"""`ocrkit eval` in-process: saved predictions, a fake detector, recognition, errors."""

import json

import numpy as np
import pytest
from helpers import DATA, REFERENCE, FakePlugin, need_shared
from PIL import Image

from ocrkit.cli import main
from ocrkit.testing import synthetic_text_image


def run(args, capsys):
    code = main(args, plugins=[FakePlugin()])
    out, err = capsys.readouterr()
    return code, out, err


def test_official_predictions_reproduce_the_official_ic15_numbers(capsys):
    need_shared()
    args = ["eval", "--predictions", str(REFERENCE / "craft" / "ic15_official_predictions"),
            "--dataset", "icdar2015", "--data", str(DATA / "icdar2015" / "test"), "--json"]  # fmt: skip
    code, out, _ = run(args, capsys)
    result = json.loads(out)
    assert code == 0 and result["images"] == 500
    # The official evaluation script's figures (../shared/reference/README.md).
    assert result["icdar2015"] == pytest.approx({"precision": 0.8437, "recall": 0.7954,
                                                 "hmean": 0.8188}, abs=5e-5)  # fmt: skip
    code, out, _ = run(args + ["--limit", "100"], capsys)
    assert json.loads(out)["icdar2015"] == pytest.approx(
        {"precision": 0.8871, "recall": 0.8415, "hmean": 0.8637}, abs=5e-5
    )
    # DetEval, the reference's figures too (all 500, then 1–100).
    code, out, _ = run(args + ["--metric", "deteval"], capsys)
    assert json.loads(out)["deteval"] == pytest.approx(
        {"precision": 0.7401, "recall": 0.6718, "hmean": 0.7043}, abs=5e-5
    )
    code, out, _ = run(args + ["--metric", "deteval", "--limit", "100"], capsys)
    assert json.loads(out)["deteval"] == pytest.approx(
        {"precision": 0.7893, "recall": 0.7308, "hmean": 0.7589}, abs=5e-5
    )


@pytest.fixture
def tiny_dataset(tmp_path):
    """Two synthetic images with ICDAR GT: one word line each, plus a don't-care region."""
    (tmp_path / "images").mkdir()
    (tmp_path / "gt").mkdir()
    for k, text in enumerate(["HELLO", "WORLD"], 1):
        image, quads = synthetic_text_image([text], size=(80, 260), scale=1.2)
        Image.fromarray(image).save(tmp_path / "images" / f"img_{k}.png")
        q = quads[0].astype(int).reshape(-1)
        lines = [",".join(map(str, q)) + f",{text}", "200,60,250,60,250,75,200,75,###"]
        (tmp_path / "gt" / f"gt_img_{k}.txt").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_fake_detector_end_to_end_and_saved_predictions(tiny_dataset, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    saved = tmp_path / "preds"
    args = ["eval", "--detector", "fake", "--recognizer", "fakerec", "--dataset", "icdar2015",
            "--images", str(tiny_dataset / "images"), "--gt", str(tiny_dataset / "gt"),
            "--save-predictions", str(saved), "--json"]  # fmt: skip
    code, out, _ = run(args, capsys)
    result = json.loads(out)
    assert code == 0 and result["images"] == 2 and result["seconds_per_image"] >= 0
    # The blob detector boxes each word tightly enough for IoU > 0.5 (+ 3-px dilation).
    assert result["icdar2015"]["recall"] == 1.0
    assert result["end_to_end"]["recall"] == 0.0  # the fake recogniser reads "w<width>"
    assert sorted(p.name for p in saved.iterdir()) == ["res_img_1.txt", "res_img_2.txt"]
    # Scoring the saved files gives the same localisation figures, with no model.
    code, out, _ = run(["eval", "--predictions", str(saved), "--dataset", "icdar2015",
                        "--images", str(tiny_dataset / "images"), "--gt", str(tiny_dataset / "gt"),
                        "--metric", "icdar2015", "--json"], capsys)  # fmt: skip
    assert json.loads(out)["icdar2015"] == result["icdar2015"]


def test_recognition_dataset(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    for name, width in (("a.png", 10), ("b.png", 7)):
        Image.fromarray(np.zeros((32, width, 3), np.uint8)).save(tmp_path / name)
    (tmp_path / "labels.txt").write_text('a.png, "w10"\nb.png\tzzz\n')
    code, out, _ = run(["eval", "--recognizer", "fakerec", "--dataset", "crops", "--data",
                        str(tmp_path), "--json"], capsys)  # fmt: skip
    assert code == 0 and json.loads(out)["recognition"]["accuracy"] == 0.5


def test_clear_errors(tiny_dataset, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    base = ["eval", "--dataset", "icdar2015", "--images", str(tiny_dataset / "images"),
            "--gt", str(tiny_dataset / "gt")]  # fmt: skip
    code, _, err = run(base + ["--detector", "fake", "--metric", "recognition"], capsys)
    assert code == 2 and "metric 'recognition' scores recognition but the dataset is a detection" in err
    code, _, err = run(base + ["--detector", "fake", "--metric", "end_to_end"], capsys)
    assert code == 2 and "needs recognised text" in err
    (tiny_dataset / "gt" / "gt_img_2.txt").write_text("1,2,3\n")
    code, _, err = run(base + ["--detector", "fake"], capsys)
    assert code == 2 and "gt_img_2.txt:1: expected" in err
    code, _, err = run(["eval", "--dataset", "nope", "--data", "x"], capsys)
    assert code == 2 and "unknown dataset 'nope'; available: crops, ctw1500" in err


def test_line_level_scoring_of_word_predictions(tmp_path, capsys, monkeypatch):
    """Word predictions grouped into lines match line GT that words alone cannot."""
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    (tmp_path / "images").mkdir()
    (tmp_path / "gt").mkdir()
    (tmp_path / "preds").mkdir()
    Image.new("RGB", (300, 60)).save(tmp_path / "images" / "a.png")
    # GT: one line "Name: John" (x 0–85) and a separate field "Date:" far to the right.
    (tmp_path / "gt" / "gt_a.txt").write_text("0,0,85,0,85,10,0,10,Name: John\n200,0,240,0,240,10,200,10,Date:\n")
    (tmp_path / "preds" / "res_a.txt").write_text(
        '0,0,40,0,40,10,0,10,"Name:"\n45,0,85,0,85,10,45,10,"John"\n200,0,240,0,240,10,200,10,"Date:"\n'
    )
    base = ["eval", "--predictions", str(tmp_path / "preds"), "--dataset", "icdar2015",
            "--images", str(tmp_path / "images"), "--gt", str(tmp_path / "gt"), "--json"]  # fmt: skip
    code, out, _ = run(base, capsys)
    words = json.loads(out)
    # Word level: "Date:" matches; "Name:" (IoU 41·11/86·11 < 0.5 after pixel-exact areas) does not.
    assert code == 0 and words["icdar2015"]["recall"] == 0.5
    code, out, _ = run(base + ["--level", "line"], capsys)
    lines = json.loads(out)
    assert lines["icdar2015"] == {"precision": 1.0, "recall": 1.0, "hmean": 1.0}
    assert lines["end_to_end"]["hmean"] == 1.0  # texts joined: "Name: John"
