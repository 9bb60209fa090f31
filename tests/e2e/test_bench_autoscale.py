"""benchmarks/bench_autoscale.py and bench_small_text.py: their tables, on tiny inputs."""

import json
import shutil
import sys
from collections import namedtuple
from pathlib import Path

from helpers import SAMPLE, need_plugin

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_bench_autoscale_reports_one_pass_then_second_pass(tmp_path, capsys):
    need_plugin("ocrkit_craft")
    from bench_autoscale import main

    # A one-image ICDAR 2015-style set: the sample page, its title as the one labelled word.
    (tmp_path / "images").mkdir()
    shutil.copy(SAMPLE, tmp_path / "images" / "img_1.png")
    (tmp_path / "gt").mkdir()
    (tmp_path / "gt" / "gt_img_1.txt").write_text("8,8,200,8,200,30,8,30,Region-based\n")
    # At mag_ratio 1 the page's words are ~13 px high: a second pass brings them to ~24 px.
    main(["--dataset", "icdar2015", "--data", str(tmp_path), "--det-opt", "mag_ratio=1.0", "--ratios", "2"])
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.err.splitlines() if line.startswith("{")]
    assert [r["setting"] for r in rows] == ["text_height=0", "text_height=24", "ratio=2"]
    one, two, fixed = rows
    assert one["second_pass"] == 0 and one["median_height_px"] < 24 / 1.25
    assert two["second_pass"] == 1 and 20 <= two["median_height_px"] <= 30
    assert fixed["second_pass"] == 0 and fixed["median_height_px"] > one["median_height_px"] * 1.5
    assert "| text_height=24 |" in captured.out and "1/1" in captured.out


def test_small_text_scenes_are_rendered_with_their_words(fonts):
    from bench_small_text import a4_page, card_scenes, read_right

    scenes = card_scenes(0, fonts)
    assert [(name, image.shape) for name, image, _ in scenes] == [("card-75", (2880, 4032, 3)),
                                                                   ("card-40", (3024, 4032, 3))]  # fmt: skip
    assert len(scenes[0][2]) == 27 and "ERIKSSON" in scenes[0][2]
    page, words, bands = a4_page(fonts)
    assert page.shape == (3508, 2480, 3) and sorted(words) == [7, 8, 10, 12]
    assert all(len(w) == 48 for w in words.values())
    tops = [bands[pt] for pt in (7, 8, 10, 12)]
    assert all(a[1] < b[0] for a, b in zip(tops, tops[1:]))  # size bands do not overlap
    w = namedtuple("W", "text")
    assert read_right([w("a"), w("a"), w("b")], ["a", "b", "b", "c"]) == 2  # multiset match
