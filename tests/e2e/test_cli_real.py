"""`ocrkit run` with the real CRAFT and CRNN plugins: the quick start, and bad inputs."""

import io
import json
from collections import Counter

import cv2
import numpy as np
import pytest
from helpers import SAMPLE, need_plugin
from PIL import Image

from ocrkit.cli import main

need_plugin("ocrkit_craft")
need_plugin("ocrkit_crnn")


def test_quick_start_reads_the_sample(capsys):
    code = main(["run", "--detector", "craft", "--recognizer", "crnn", str(SAMPLE)])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Region-based segmentation"
    # "us" and "or" are x-height letters read as capitals ("uS", "Or") and lowered by their
    # height beside the line's other words (ocrkit.letter_case).
    assert lines[1].startswith("Let us first") and "object or background" in lines[3]
    text = out.lower()
    for word in ("markers", "coins", "background", "histogram", "grey", "values"):
        assert word in text


def test_json_output_matches_the_documented_schema(tmp_path, capsys):
    code = main(["run", "--recognizer", "crnn", "--format", "json", "--output-dir", str(tmp_path),
                 str(SAMPLE)])  # fmt: skip
    assert code == 0
    record = json.loads((tmp_path / "page.json").read_text())
    assert record["image"] == str(SAMPLE) and (record["width"], record["height"]) == (384, 191)
    first = record["words"][0]
    assert first["text"] == "Region-based" and 0 < first["recognition_score"] <= 1
    assert len(first["polygon"]) == 4 and 0 < first["detection_score"] <= 1


def test_min_score_keeps_the_sure_words_of_the_sample(capsys):
    def words(*extra):
        assert main(["run", "--recognizer", "crnn", "--format", "json", *extra, str(SAMPLE)]) == 0
        return [(w["text"], w["recognition_score"]) for w in json.loads(capsys.readouterr().out)["words"]]

    every, sure = words(), words("--min-score", "0.9")
    assert sure == [w for w in every if w[1] >= 0.9]  # the same readings, in the same order
    assert 0 < len(sure) < len(every)


@pytest.mark.slow
def test_bad_inputs_in_one_batch(tmp_path, capsys):
    """Missing, fake, empty, truncated, 1×1 and 20000×20000 inputs next to a good one."""
    (tmp_path / "text.jpg").write_text("hello, I am not a JPEG\n")
    (tmp_path / "empty.jpg").write_bytes(b"")
    buf = io.BytesIO()
    Image.fromarray(np.asarray(Image.open(SAMPLE).convert("RGB"))).save(buf, format="JPEG")
    (tmp_path / "truncated.jpg").write_bytes(buf.getvalue()[:2000])
    Image.new("RGB", (1, 1), (255, 255, 255)).save(tmp_path / "one.png")
    huge = np.full((20000, 20000), 255, np.uint8)  # 400 MP page with one giant word
    cv2.putText(huge, "HUGE", (2000, 10000), cv2.FONT_HERSHEY_SIMPLEX, 60, 0, 150)
    cv2.imwrite(str(tmp_path / "huge.png"), huge, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    del huge
    inputs = [tmp_path / n for n in ("missing.png", "text.jpg", "empty.jpg", "truncated.jpg",
                                     "one.png", "huge.png")] + [SAMPLE]  # fmt: skip
    out_dir = tmp_path / "out"
    code = main(["run", "--recognizer", "crnn", "--format", "json", "--output-dir", str(out_dir),
                 *map(str, inputs)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "4 of 7 inputs failed" in err
    for name in ("missing.png", "text.jpg", "empty.jpg", "truncated.jpg"):
        assert sum(name in line and "ocrkit: error:" in line for line in err.splitlines()) == 1
    assert json.loads((out_dir / "one.json").read_text())["words"] == []
    huge_words = json.loads((out_dir / "huge.json").read_text())["words"]
    assert [w["text"] for w in huge_words] == ["HUGE"]
    assert (out_dir / "page.json").exists()


def test_allowlist_reaches_the_recognizer_from_the_command_line(capsys):
    """An IIIT5K crop of "10" reads "Io" without the contrast retry (and without the two-letter
    step, which takes it for "To"); `--rec-opt allowlist=0123456789` reads the digits, and a
    list the charset cannot read is one line naming the problem. (The default retry reads it
    "10" too, after stretching its contrast.)"""
    from helpers import DATA, need_shared

    need_shared()
    crop = str(DATA / "iiit5k" / "test" / "5220_2.png")
    # --crop-sampling linear: the bilinear cut the CRNN misreads this word in (the default
    # Lanczos cut reads it right before the step this test is about).
    argv = ["run", "--recognizer", "crnn", "--format", "text", "--crop-sampling", "linear",
            "--rec-opt"]
    assert main([*argv, "contrast_retry=0", "--rec-opt", "lexicon_two_letter_margin=none",
                 crop]) == 0  # fmt: skip
    assert capsys.readouterr().out.strip() == "Io"
    assert main([*argv, "contrast_retry=0", crop]) == 0
    assert capsys.readouterr().out.strip() == "To"
    assert main([*argv, "contrast_retry=0", "--rec-opt", "allowlist=0123456789", crop]) == 0
    assert capsys.readouterr().out.strip() == "10"
    assert main(["run", "--recognizer", "crnn", "--format", "text", crop]) == 0
    assert capsys.readouterr().out.strip() == "10"
    assert main([*argv, "allowlist=0123456789½", crop]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["ocrkit: error: allowlist: characters not in charset 'english_g2': '½'"]


def test_a_lexicon_reaches_the_recognizer_from_the_command_line(capsys, tmp_path):
    """A FUNSD form's "SPECIAL" reads "SPECLAL" with `--rec-opt lexicon=none`; the built-in
    English list (the default) and `--rec-opt lexicon=FILE` put it right, and a word list that
    cannot be read is one line naming the file."""
    from helpers import DATA, need_shared

    from ocrkit.io import read_image

    need_shared()
    form = read_image(DATA / "funsd" / "dataset" / "testing_data" / "images" / "82092117.png")
    crop = tmp_path / "special.png"
    cv2.imwrite(str(crop), np.ascontiguousarray(form[491:532, 88:178, ::-1]))
    words = tmp_path / "words.txt"
    words.write_text("special\nspecies\n")
    # --crop-sampling linear: the bilinear cut the CRNN misreads this word in (the default
    # Lanczos cut reads it right before the step this test is about).
    argv = ["run", "--recognizer", "crnn", "--format", "text", "--crop-sampling",
            "linear"]
    assert main([*argv, "--rec-opt", "lexicon=none", str(crop)]) == 0
    assert capsys.readouterr().out.split()[0] == "SPECLAL"
    assert main([*argv, str(crop)]) == 0
    assert capsys.readouterr().out.split()[0] == "SPECIAL"
    assert main([*argv, "--rec-opt", f"lexicon={words}", str(crop)]) == 0
    assert capsys.readouterr().out.split()[0] == "SPECIAL"
    assert main([*argv, "--rec-opt", f"lexicon={tmp_path / 'none.txt'}", str(crop)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"ocrkit: error: lexicon {tmp_path / 'none.txt'}: cannot read it")


def test_one_case_per_word_by_default_and_off_from_the_command_line(capsys, tmp_path):
    """A FUNSD form's "TRANSMISSION" is decoded "TRANSMiSsION"; the default one-case step
    spells it in capitals, and `--rec-opt case_margin=none` gives the network's reading."""
    from helpers import DATA, need_shared

    from ocrkit.io import read_image

    need_shared()
    form = read_image(DATA / "funsd" / "dataset" / "testing_data" / "images" / "82573104.png")
    crop = tmp_path / "transmission.png"
    cv2.imwrite(str(crop), np.ascontiguousarray(form[365:405, 250:365, ::-1]))
    # --crop-sampling linear: the bilinear cut the CRNN misreads this word in (the default
    # Lanczos cut reads it right before the step this test is about).
    argv = ["run", "--recognizer", "crnn", "--format", "text", "--crop-sampling",
            "linear"]
    assert main([*argv, str(crop)]) == 0
    assert "TRANSMISSION" in capsys.readouterr().out.split()
    assert main([*argv, "--rec-opt", "case_margin=none", str(crop)]) == 0
    assert "TRANSMiSsION" in capsys.readouterr().out.split()


def test_pdfs_scanned_and_born_digital(tmp_path, capsys):
    """The sample page saved as a scanned PDF reads as the PNG does (its pixels come back as
    scanned); a born-digital page's text, drawn at 200 dpi, reads right (its "1,250.00": CRAFT
    boxes the "1" apart, and the comma is found along the line's fitted baseline)."""
    pytest.importorskip("pypdfium2")
    from pdfs import scanned_pdf, text_pdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf([np.asarray(Image.open(SAMPLE).convert("RGB"))], dpi=96))
    letter = tmp_path / "letter.pdf"
    lines = [("Invoice number 4711", 14.0), ("Total due: 1,250.00 EUR", 14.0)]
    letter.write_bytes(text_pdf(lines, size=(300.0, 80.0)))
    assert main(["run", "--recognizer", "crnn", str(SAMPLE)]) == 0
    png = capsys.readouterr().out
    assert main(["run", "--recognizer", "crnn", str(scan), str(letter)]) == 0
    out = capsys.readouterr().out
    assert out.split(f"==> {letter} <==\n") == [f"==> {scan} <==\n" + png, "\n".join(
        text for text, _ in lines) + "\n"]  # fmt: skip


def test_a_fax_whose_rows_are_half_as_fine_reads_as_the_page(tmp_path, capsys):
    """The sample page as a fax in normal mode (rows at half the columns' resolution, 200×100
    dpi in its TIFF) is read with square pixels: as the page itself, not squashed."""
    import ocrkit

    rgb = np.asarray(Image.open(SAMPLE).convert("RGB"))
    h, w = rgb.shape[:2]
    page = cv2.resize(rgb, (2 * w, 2 * h), interpolation=cv2.INTER_CUBIC)
    fax = tmp_path / "fax.tif"
    rows = cv2.resize(page, (2 * w, h), interpolation=cv2.INTER_AREA)
    Image.fromarray(rows).convert("L").save(fax, dpi=(200, 100))

    def texts(path_or_image):
        if isinstance(path_or_image, np.ndarray):
            pipe = ocrkit.Pipeline(ocrkit.load_detector("craft"), ocrkit.load_recognizer("crnn"))
            return Counter(word.text for word in pipe.read([path_or_image])[0])
        assert main(["run", "--recognizer", "crnn", "--format", "json", str(path_or_image)]) == 0
        record = json.loads(capsys.readouterr().out)
        return Counter(word["text"] for word in record["words"]), record

    want, _ = texts(SAMPLE)
    squared, record = texts(fax)
    assert (record["width"], record["height"]) == (2 * w, 2 * h)
    assert sum((squared & want).values()) >= sum(want.values()) - 3  # 47 of 48 words
    stored = texts(ocrkit.read_image(fax, square_pixels=False))
    assert sum((stored & want).values()) <= sum(want.values()) - 8  # 36: squashed letters
