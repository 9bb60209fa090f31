"""--crop-sampling with the packaged CRNN: real FUNSD word crops, cut from their forms as the
pipeline cuts regions, read better enlarged with Lanczos (the default) than with bilinear."""

import json
import sys
from pathlib import Path

import pytest
from helpers import DATA, need_plugin

import ocrkit.geometry as geometry
from ocrkit.cli import main


@pytest.mark.skipif(not (DATA / "funsd").is_dir(), reason="../shared is not available")
def test_small_words_read_better_enlarged_with_lanczos(capsys):
    need_plugin("ocrkit_crnn")
    data = DATA / "funsd" / "dataset" / "testing_data"
    scores = {}
    for mode in ("linear", "lanczos"):
        argv = ["eval", "--recognizer", "crnn", "--dataset", "funsd_words", "--data", str(data),
                "--limit", "150", "--json", "--crop-sampling", mode]  # fmt: skip
        assert main(argv) == 0
        scores[mode] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["recognition"]
    # FUNSD's words are 8-16 px high, enlarged 4-8x to the CRNN's 64 rows. Measured on these
    # 150: exact 0.573 -> 0.647, CER 0.173 -> 0.141 (all 8,707, benchmarks/bench_sampling.py:
    # 4948 -> 5244 read exactly).
    assert scores["lanczos"]["accuracy"] >= scores["linear"]["accuracy"] + 0.04, scores
    assert scores["lanczos"]["cer"] < scores["linear"]["cer"], scores


@pytest.mark.skipif(not (DATA / "icdar2015").is_dir(), reason="../shared is not available")
def test_bench_sampling_counts_words_per_sampling_and_height(capsys):
    need_plugin("ocrkit_crnn")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_sampling import main

    spec = f"icdar2015:{DATA / 'icdar2015' / 'test'}"  # a detection set: its words as regions
    separable, warp_scale = geometry._axis_aligned, geometry.WARP_SCALE
    names = "linear,lanczos-warp,lanczos-direct,lanczos"
    assert main(["--set", spec, "--limit", "12", "--samplings", names]) == 0
    # the baselines' switches are put back
    assert geometry._axis_aligned is separable and geometry.WARP_SCALE == warp_scale
    rows = [[c.strip() for c in line.split("|")[1:-1]]
            for line in capsys.readouterr().out.splitlines() if line.startswith("| icdar2015")]
    assert [r[1] for r in rows] == names.split(",")
    for row in rows:
        words, exact, bands = int(row[2]), int(row[3]), row[4:-1]
        assert words == 12 and 0 <= exact <= words
        assert sum(int(b.split("/")[0]) for b in bands) == exact  # each word in one band
        assert sum(int(b.split("/")[1]) for b in bands) == words
    with pytest.raises(SystemExit):
        main(["--set", spec, "--samplings", "area"])
