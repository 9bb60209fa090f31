"""benchmarks/bench_word_case.py on four FUNSD word crops (real CRNN): rows and counts."""

import sys
from pathlib import Path

from helpers import funsd_crop_set, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_bench_word_case_counts_words_put_right(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_word_case import main

    # Decoded "cOPY", "sePT", "TRANSMiSsION" (1.8-3.0 nats from one case), and "SPECLAL".
    spec = funsd_crop_set(tmp_path / "crops", [
        ("83443897", "COPY", (344, 461, 375, 475)),
        ("82253058_3059", "SEPT", (384, 279, 416, 294)),
        ("82573104", "TRANSMISSION", (267, 380, 347, 390)),
        ("82092117", "SPECIAL", (103, 503, 163, 520))])  # fmt: skip
    assert main(["--set", spec, "--margins", "0.5,6"]) == 0
    rows = [line.split(" | ")[1:9] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| crops:")]  # fmt: skip
    # words, mixed, exact as read, margin, changed, exact in one case, made right, made wrong
    assert rows == [["4", "3", "0", "0.5", "0", "**0**", "0", "0"],
                    ["4", "3", "0", "6", "3", "**3**", "3", "0"]]  # fmt: skip
