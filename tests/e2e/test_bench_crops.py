"""benchmarks/bench_crops.py on the official CRAFT boxes of two ICDAR 2015 images (real CRNN)."""

import json
import sys
from pathlib import Path

import pytest
from helpers import DATA, REFERENCE, need_plugin

import ocrkit.geometry as geometry

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
VARIANTS = ["keep", "trim", "trim+retry", "keep:quad", "keep:quad@linear", "keep@lanczos-direct"]


@pytest.mark.skipif(not (DATA / "icdar2015").is_dir() or not (REFERENCE / "craft").is_dir(),
                    reason="../shared is not available")  # fmt: skip
def test_bench_crops_scores_each_variant_on_the_same_boxes(capsys):
    need_plugin("ocrkit_crnn")
    from bench_crops import main

    warp_scale = geometry.WARP_SCALE
    main(["--dataset", "icdar2015", "--data", str(DATA / "icdar2015" / "test"), "--limit", "2",
          "--predictions", str(REFERENCE / "craft" / "ic15_official_predictions"),
          "--variants", ",".join(VARIANTS)])  # fmt: skip
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split("|")[1].strip() for r in rows[1:]] == VARIANTS
    result = json.loads(out.strip().splitlines()[-1])
    scores = result["end_to_end"]
    assert result["images"] == 2 and set(scores) == set(VARIANTS)
    assert geometry.WARP_SCALE == warp_scale  # lanczos-direct's switch is put back
    # Straight boxes: the quad crop is what "auto" does for them, so the two agree exactly.
    assert scores["keep"] == scores["keep:quad"]
    assert all(0 < s["hmean"] <= 1 for s in scores.values())


@pytest.mark.skipif(not (DATA / "icdar2015").is_dir() or not (REFERENCE / "craft").is_dir(),
                    reason="../shared is not available")  # fmt: skip
def test_bench_crops_scores_texts_with_their_case(capsys):
    need_plugin("ocrkit_crnn")
    from bench_crops import main

    argv = ["--dataset", "icdar2015", "--data", str(DATA / "icdar2015" / "test"), "--limit", "2",
            "--predictions", str(REFERENCE / "craft" / "ic15_official_predictions"),
            "--variants", "trim"]  # fmt: skip
    scores = {}
    for metric in ("end_to_end", "end_to_end_cased"):
        main([*argv, "--metric", metric])
        last = capsys.readouterr().out.strip().splitlines()[-1]
        scores[metric] = json.loads(last)[metric]["trim"]
    # The same boxes and readings: case can only lose matches.
    assert 0 < scores["end_to_end_cased"]["hmean"] <= scores["end_to_end"]["hmean"]
