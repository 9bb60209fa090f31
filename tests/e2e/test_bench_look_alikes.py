"""benchmarks/bench_look_alikes.py on four FUNSD word crops (real CRNN): rows and counts."""

import sys
from pathlib import Path

from helpers import funsd_crop_set, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_bench_look_alikes_counts_words_put_right(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_look_alikes import main

    # Decoded "0n", "t0", "0F", and "cOPY" with no digit.
    spec = funsd_crop_set(tmp_path / "crops", [
        ("82250337_0338", "on", (406, 630, 419, 641)),
        ("82253245_3247", "to", (219, 295, 230, 305)),
        ("82253362_3364", "OF", (293, 638, 307, 645)),
        ("83443897", "COPY", (344, 461, 375, 475))])  # fmt: skip
    assert main(["--set", spec, "--margins", "0.01,6"]) == 0
    rows = [line.split(" | ")[1:9] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| crops:")]  # fmt: skip
    # words, with a stray digit, exact as read, margin, changed, exact after, right, wrong
    assert rows[1] == ["4", "3", "0", "6", "3", "**3**", "3", "0"], rows
    assert rows[0][:4] == ["4", "3", "0", "0.01"] and int(rows[0][4]) < 3, rows
