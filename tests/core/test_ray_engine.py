"""``ocrkit run --engine ray`` and the Ray Data predictor on a local Ray cluster (2 CPUs).

The fake plugin travels to the workers by module name (``-p fake_plugin``), with tests/ on the
workers' PYTHONPATH; the real-weights comparison is in tests/e2e/test_ray_real.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import ROOT
from PIL import Image

from ocrkit.cli import main
from ocrkit.engines import PipelineSpec
from ocrkit.errors import UsageError
from ocrkit.testing import synthetic_text_image

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT / "tests")}})  # fmt: skip
    yield
    ray.shutdown()


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, words in enumerate([["HELLO WORLD"], ["a b c", "second line"], ["x"], ["ONE", "TWO"]]):
        img, _ = synthetic_text_image(words, size=(120, 260 + 40 * i), scale=1.0)
        Image.fromarray(img).save(folder / f"p{i}.png")
    (folder / "broken.png").write_bytes(b"not an image")
    return [str(folder), str(tmp_path / "missing.png")]


def run(args, capsys):
    code = main(["-p", "fake_plugin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def failures(err: str) -> list[str]:
    """The summary lines after "N of M inputs failed:"."""
    return err.split("inputs failed:\n", 1)[-1].strip().splitlines()


def test_ray_engine_matches_local_run(cluster, inputs, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    common = ["run", "--detector", "fake", "--recognizer", "fakerec", "--batch-size", "2",
              "--format", "json", *inputs]  # fmt: skip
    code_l, _, err_l = run([*common, "--output-dir", str(tmp_path / "local")], capsys)
    code_r, _, err_r = run([*common, "--output-dir", str(tmp_path / "ray"), "--engine", "ray",
                            "--workers", "2"], capsys)  # fmt: skip
    assert code_l == code_r == 1  # a bad and a missing file: reported, the rest processed
    assert failures(err_l) == failures(err_r) and len(failures(err_r)) == 2
    assert "broken.png: not a recognised image format" in err_r and "Traceback" not in err_r
    local = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert local == ["p0.json", "p1.json", "p2.json", "p3.json"]
    for name in local:
        assert (tmp_path / "ray" / name).read_text() == (tmp_path / "local" / name).read_text()
    assert json.loads((tmp_path / "ray" / "p1.json").read_text())["words"]


def test_ray_engine_prints_in_input_order(cluster, inputs, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    args = ["run", "--detector", "fake", "--format", "json", "--batch-size", "1", inputs[0]]
    code, out, _ = run([*args, "--engine", "ray", "--workers", "2"], capsys)
    names = [json.loads(line)["image"].rsplit("/", 1)[-1] for line in out.splitlines()]
    assert code == 1 and names == ["p0.png", "p1.png", "p2.png", "p3.png"]


def test_worker_that_cannot_build_its_model_fails_in_one_line(cluster, inputs, capsys, monkeypatch):
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    code, _, err = run(["run", "--detector", "fake", "--det-opt", "nosuch=1", "--engine", "ray",
                        inputs[0]], capsys)  # fmt: skip
    ours = [line for line in err.splitlines() if line.startswith("ocrkit:")]
    # (Ray itself may log warnings on stderr, e.g. under load; ocrkit's own report is one line.)
    assert code == 2 and "Traceback" not in err and len(ours) == 1
    assert ours[0].startswith("ocrkit: error: a Ray worker could not build the pipeline")


def test_ray_data_map_batches(cluster, inputs, monkeypatch):
    from ocrkit.engines.ray_engine import OcrPredictor

    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    files = sorted(Path(inputs[0]).glob("p*.png"))
    rows = [{"path": str(p), "bytes": p.read_bytes()} for p in files]
    kwargs = {"detector": "fake", "recognizer": "fakerec", "plugins": ("fake_plugin",)}
    out = (
        ray.data.from_items(rows)
        .map_batches(OcrPredictor, fn_constructor_kwargs=kwargs, concurrency=1, batch_size=2)
        .take_all()
    )
    # Ray Data keeps no row order unless asked to (seen out of order on a loaded machine).
    out = sorted(out, key=lambda r: r["path"])
    assert [r["path"] for r in out] == [str(p) for p in files] and not any(r["error"] for r in out)
    direct = OcrPredictor(PipelineSpec(**kwargs))
    arrays = {"path": np.array([str(files[0])]), "image": [np.asarray(Image.open(files[0]))]}
    same = direct(arrays)  # decoded arrays in, as from ray.data.read_images(mode="RGB")
    assert same["words"][0] == out[0]["words"] and json.loads(same["words"][0])
    assert same["height"][0] == 120 and same["error"][0] == ""


def test_missing_ray_is_a_clear_usage_error(monkeypatch):
    from ocrkit.engines.ray_engine import import_ray

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(UsageError, match=r"pip install 'ocrkit\[ray\]'"):
        import_ray()


def test_multi_page_tiff_on_ray_and_in_ray_data(cluster, tmp_path, capsys, monkeypatch):
    """Each page of a multi-page TIFF is read by the Ray engine as by the local one (overlays
    decoded again on the driver), and a Ray Data row of one gives a row per page."""
    from ocrkit.engines.ray_engine import OcrPredictor

    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    pages = [synthetic_text_image(w, size=(100, 200 + 60 * k), scale=1.0)[0]
             for k, w in enumerate([["ONE PAGE"], ["TWO", "lines"], ["three"]])]  # fmt: skip
    tif = tmp_path / "scan.tif"
    rest = [Image.fromarray(p) for p in pages[1:]]
    Image.fromarray(pages[0]).save(tif, save_all=True, append_images=rest)
    common = ["run", "--detector", "fake", "--recognizer", "fakerec", "--batch-size", "2",
              "--format", "json", "--overlay", str(tif)]  # fmt: skip
    assert run([*common, "--output-dir", str(tmp_path / "local")], capsys)[0] == 0
    on_ray = ["--output-dir", str(tmp_path / "ray"), "--engine", "ray", "--workers", "2"]
    assert run([*common, *on_ray], capsys)[0] == 0
    names = sorted(p.name for p in (tmp_path / "ray").iterdir())
    assert names == sorted(f"scan_p{k}{x}" for k in (1, 2, 3) for x in (".json", "_overlay.png"))
    for k in (1, 2, 3):
        ray_json = (tmp_path / "ray" / f"scan_p{k}.json").read_text()
        assert ray_json == (tmp_path / "local" / f"scan_p{k}.json").read_text()
        assert json.loads(ray_json)["page"] == k and json.loads(ray_json)["width"] == 140 + 60 * k
    kwargs = {"detector": "fake", "recognizer": "fakerec", "plugins": ("fake_plugin",)}
    row = {"path": np.array([str(tif)]), "bytes": [tif.read_bytes()]}
    out = OcrPredictor(PipelineSpec(**kwargs))(row)
    assert list(out["page"]) == [1, 2, 3] and list(out["path"]) == [str(tif)] * 3
    assert list(out["width"]) == [200, 260, 320] and not any(out["error"])
    for k in (1, 2, 3):
        local = json.loads((tmp_path / "local" / f"scan_p{k}.json").read_text())["words"]
        assert json.loads(out["words"][k - 1]) == local


def test_pdf_pages_on_ray_at_pdf_dpi(cluster, tmp_path, capsys, monkeypatch):
    pytest.importorskip("pypdfium2")
    from ocrkit.engines.ray_engine import OcrPredictor

    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    from pdfs import scanned_pdf

    pages = [synthetic_text_image(w, size=(100, 200), scale=1.0)[0]
             for w in (["FIRST PAGE"], ["SECOND"])]  # fmt: skip
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(scanned_pdf(pages, dpi=100))
    common = ["run", "--detector", "fake", "--recognizer", "fakerec", "--format", "json",
              "--pdf-dpi", "150", str(pdf)]  # fmt: skip
    code_l, out_l, _ = run(common, capsys)
    code_r, out_r, _ = run([*common, "--engine", "ray", "--workers", "2"], capsys)
    assert code_l == code_r == 0 and out_r == out_l
    records = [json.loads(line) for line in out_r.splitlines()]
    assert [(r["page"], r["width"]) for r in records] == [(1, 300), (2, 300)]
    kwargs = {"detector": "fake", "recognizer": "fakerec", "plugins": ("fake_plugin",)}
    out = OcrPredictor(PipelineSpec(**kwargs), pdf_dpi=150)({"bytes": [pdf.read_bytes()]})
    assert list(out["page"]) == [1, 2] and list(out["path"]) == ["<row 0>"] * 2
    local = [json.loads(line)["words"] for line in out_l.splitlines()]
    assert [json.loads(w) for w in out["words"]] == local
