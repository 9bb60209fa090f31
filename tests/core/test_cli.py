import json

import numpy as np
import pytest
from helpers import FakePlugin
from PIL import Image

from ocrkit.cli import main
from ocrkit.testing import synthetic_text_image


@pytest.fixture
def images(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    img, _ = synthetic_text_image(["HELLO WORLD"], size=(80, 300), scale=1.0)
    Image.fromarray(img).save(folder / "a.png")
    Image.fromarray(img).save(folder / "sub" / "b.jpg")
    return folder


def run(args, capsys):
    code = main(args, plugins=[FakePlugin()])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lines_on_stdout(images, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code, out, err = run(["run", "--detector", "fake", "--recognizer", "fakerec",
                          "--format", "json", str(images)], capsys)  # fmt: skip
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["image"].endswith(n) for r, n in zip(records, ["a.png", "b.jpg"])] == [True, True]
    word = records[0]["words"][0]
    assert records[0]["width"] == 300 and records[0]["height"] == 80
    assert set(word) == {"polygon", "text", "detection_score", "recognition_score"}
    assert word["text"].startswith("w") and len(word["polygon"]) == 4
    assert "2/2" in err  # progress bar on stderr for more than one image


def test_icdar_files_and_overlay(images, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    out_dir = tmp_path / "out"
    code, _, _ = run(["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "icdar",
                      "--output-dir", str(out_dir), "--overlay", str(images / "a.png")], capsys)  # fmt: skip
    assert code == 0
    lines = (out_dir / "res_a.txt").read_text().splitlines()
    fields = lines[0].split(",")
    assert len(fields) == 9 and all(f.lstrip("-").isdigit() for f in fields[:8])
    assert fields[8].startswith('"w') and fields[8].endswith('"')
    overlay = np.asarray(Image.open(out_dir / "a_overlay.png"))
    assert overlay.shape == (80, 300, 3) and (overlay == [255, 0, 0]).all(axis=2).any()


def test_detector_only_icdar_and_text(images, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code, out, _ = run(["run", "--detector", "fake", "--format", "icdar", "--output-dir",
                        str(tmp_path / "o"), str(images / "a.png")], capsys)  # fmt: skip
    assert code == 0 and len((tmp_path / "o" / "res_a.txt").read_text().splitlines()[0].split(",")) == 8
    code, out, _ = run(["run", "--detector", "fake", "--recognizer", "fakerec", str(images / "a.png")],
                       capsys)  # fmt: skip
    assert code == 0 and out.strip().startswith("w")  # text format: one line of words


def test_bad_inputs_continue_and_exit_nonzero(images, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    (tmp_path / "fake.jpg").write_text("not an image")
    (tmp_path / "empty.png").write_bytes(b"")
    args = ["run", "--detector", "fake", "--format", "json", "--output-dir", str(tmp_path / "o"),
            str(tmp_path / "missing.png"), str(tmp_path / "fake.jpg"), str(images / "a.png"),
            str(tmp_path / "empty.png")]  # fmt: skip
    code, out, err = run(args, capsys)
    assert code == 1
    assert (tmp_path / "o" / "a.json").exists()  # the good file was processed
    assert "3 of 4 inputs failed" in err
    for name, why in [("missing.png", "no such file"), ("fake.jpg", "not a recognised image"),
                      ("empty.png", "empty file")]:  # fmt: skip
        assert any(name in line and why in line for line in err.splitlines())
    assert "Traceback" not in err


def test_usage_errors_are_one_line(images, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code, _, err = run(["run", "--detector", "nope", str(images)], capsys)
    assert code == 2 and err.strip() == "ocrkit: error: unknown detector 'nope'; available: fake"
    code, _, err = run(["run", "--detector", "fake", "--det-opt", "bad", str(images)], capsys)
    assert code == 2 and "expected KEY=VALUE" in err
    code, _, err = run(["run", "--detector", "fake", "--det-opt", "nosuch=1", str(images)], capsys)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_plugins_command_lists_json(capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code, out, _ = run(["plugins"], capsys)
    listing = {entry["name"]: entry for entry in json.loads(out)}
    assert code == 0 and "ocrkit.builtin.metrics" in listing
    fake = [e for e in listing.values() if "detectors" in e and "fake" in e["detectors"]]
    assert fake and fake[0]["recognizers"] == {"fakerec": "widths"}


def test_neighbours_option(images, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    base = ["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "json"]
    for mode in ("trim", "keep"):
        code, out, _ = run(base + ["--neighbours", mode, str(images / "a.png")], capsys)
        assert code == 0 and json.loads(out)["words"]
    with pytest.raises(SystemExit) as exc:  # argparse: usage line + the error, status 2
        run(base + ["--neighbours", "cut", str(images / "a.png")], capsys)
    assert exc.value.code == 2 and "invalid choice: 'cut'" in capsys.readouterr().err


def test_min_score_drops_unsure_words(images, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    base = ["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "json"]
    image = str(images / "a.png")
    counts = {}
    for score in ("0", "0.5", "0.51"):  # fakerec reads every word with score 0.5
        code, out, _ = run(base + ["--min-score", score, image], capsys)
        assert code == 0
        counts[score] = len(json.loads(out)["words"])
    assert counts["0"] == counts["0.5"] > 0 and counts["0.51"] == 0
    with pytest.raises(SystemExit) as exc:
        run(base + ["--min-score", "1.5", image], capsys)
    assert exc.value.code == 2 and "must be in [0, 1]" in capsys.readouterr().err
    code, _, err = run(["run", "--detector", "fake", "--min-score", "0.5", image], capsys)
    assert code == 2 and err.strip() == (
        "ocrkit: error: --min-score needs --recognizer: without one no word has a score"
    )


@pytest.fixture
def built_specs(monkeypatch):
    """The PipelineSpec of every ``ocrkit run`` in the test, in order."""
    from ocrkit.commands import run as run_command

    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    built = []
    real = run_command.pipeline_spec
    monkeypatch.setattr(run_command, "pipeline_spec", lambda args: built.append(real(args)) or built[-1])
    return built


@pytest.mark.parametrize("option, field, values, bad", [
    ("--rules", "rules", ("erase", "keep"), "strip"),  # the first value is the default
    ("--crop-sampling", "crop_sampling", ("lanczos", "cubic", "linear"), "nearest"),
    ("--bilevel", "bilevel", ("smooth", "keep"), "blur"),
])  # fmt: skip
def test_a_reading_option_reaches_the_pipeline(option, field, values, bad, images, capsys,
                                               built_specs, fake_pm):  # fmt: skip
    base = ["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "json"]
    for mode in values:
        code, out, _ = run(base + [option, mode, str(images / "a.png")], capsys)
        assert code == 0 and json.loads(out)["words"]
        spec = built_specs[-1]
        assert getattr(spec, field) == mode and getattr(spec.build(fake_pm), field) == mode
    code, _, _ = run(base + [str(images / "a.png")], capsys)
    assert getattr(built_specs[-1], field) == values[0]  # the default
    with pytest.raises(SystemExit) as exc:
        run(base + [option, bad, str(images / "a.png")], capsys)
    assert exc.value.code == 2 and f"invalid choice: '{bad}'" in capsys.readouterr().err


def test_every_page_of_a_multi_page_tiff_is_read(images, tmp_path, capsys, monkeypatch):
    """A fax or scan saved as one TIFF of several pages: each page is read and named."""
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    first, _ = synthetic_text_image(["HELLO WORLD"], size=(80, 300), scale=1.0)
    second, _ = synthetic_text_image(["PAGE TWO", "more"], size=(120, 260), scale=1.0)
    tif = tmp_path / "fax.tif"
    Image.fromarray(first).save(tif, save_all=True, append_images=[Image.fromarray(second)])
    base = ["run", "--detector", "fake", "--recognizer", "fakerec"]
    code, out, _ = run([*base, "--format", "json", str(tif), str(images / "a.png")], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r.get("page") for r in records] == [1, 2, None]
    assert [r["image"] for r in records[:2]] == [str(tif)] * 2
    assert [(r["height"], r["width"]) for r in records] == [(80, 300), (120, 260), (80, 300)]
    code, out, _ = run([*base, str(tif)], capsys)
    assert code == 0 and f"==> {tif}#2 <==" in out.splitlines()
    code, _, _ = run([*base, "--output-dir", str(tmp_path / "o"), "--overlay", str(tif)], capsys)
    names = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert names == ["fax_p1.txt", "fax_p1_overlay.png", "fax_p2.txt", "fax_p2_overlay.png"]
    assert Image.open(tmp_path / "o" / "fax_p2_overlay.png").size == (260, 120)


def test_pdf_pages_are_read_at_pdf_dpi(images, tmp_path, capsys, monkeypatch):
    pytest.importorskip("pypdfium2")
    from pdfs import scanned_pdf

    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    first, _ = synthetic_text_image(["HELLO WORLD"], size=(80, 300), scale=1.0)
    second, _ = synthetic_text_image(["PAGE TWO"], size=(120, 240), scale=1.0)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(scanned_pdf([first, second], dpi=150))
    base = ["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "json"]
    code, out, _ = run([*base, str(pdf)], capsys)  # auto: the scan's own 150 dpi
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["page"] for r in records] == [1, 2]
    assert [(r["width"], r["height"]) for r in records] == [(300, 80), (240, 120)]
    assert all(r["words"] for r in records)
    code, out, _ = run([*base, "--pdf-dpi", "300", str(pdf)], capsys)
    assert code == 0 and json.loads(out.splitlines()[0])["width"] == 600
    with pytest.raises(SystemExit) as exc:
        run([*base, "--pdf-dpi", "5", str(pdf)], capsys)
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "--pdf-dpi: expected auto or a resolution in [18, 1200] dpi, got '5'" in err
