"""benchmarks/bench_contrast.py on five faded ICDAR 2015 word crops (real CRNN), and the
rendered benchmarks' ``--rec-opt``."""

import argparse
import shutil
import sys
from pathlib import Path

import pytest
from helpers import DATA, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

CROPS = DATA / "icdar2015" / "word_recognition" / "test" / "ch4_test_word_images_gt"


@pytest.mark.slow
def test_bench_contrast_rows(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_contrast import main

    truth = {"word_30.png": "lower", "word_33.png": "when", "word_36.png": "residential",
             "word_271.png": "this", "word_279.png": "FRUIT"}  # fmt: skip
    for name in truth:
        shutil.copy(CROPS / name, tmp_path / name)
    (tmp_path / "labels.txt").write_text("".join(f"{k}\t{v}\n" for k, v in truth.items()))
    assert main(["--set", f"crops:{tmp_path}", "--thresholds", "0.2,0.5"]) == 0
    out = capsys.readouterr().out
    rows = [[c.strip() for c in line.split("|")[3:9]]
            for line in out.splitlines() if line.startswith("| crops:")]  # fmt: skip
    # retry, threshold, read again, exact, made right, made wrong ("Jower", "Nnen", "thus" put
    # right below 0.5; the crops read as RGB files, so not exactly as the grey reads above)
    assert rows == [["easyocr (reference)", "0.1", "1", "1", "", ""],
                    ["wide", "0.2", "2 (40%)", "**3**", "2", "0"],
                    ["wide", "0.5", "4 (80%)", "**4**", "3", "0"]]  # fmt: skip
    assert "differs from the combination in 0 of 5 texts" in out


def test_rendered_benchmarks_take_crnn_options():
    need_plugin("ocrkit_crnn")
    from bench_small_text import load_crnn, rendered_setup

    argv = ["--precision", "fp32", "--rec-opt", "contrast=easyocr", "--rec-opt", "contrast_retry=0.1"]
    args, fonts = rendered_setup(argparse.ArgumentParser(), argv)
    assert fonts and args.rec_options == {"contrast": "easyocr", "contrast_retry": 0.1}
    rec = load_crnn(args)
    assert (rec.config.contrast, rec.config.contrast_retry) == ("easyocr", 0.1)
    with pytest.raises(SystemExit):
        rendered_setup(argparse.ArgumentParser(), ["--rec-opt", "contrast"])
