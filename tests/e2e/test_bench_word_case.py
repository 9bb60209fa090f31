"""benchmarks/bench_word_case.py on four FUNSD word crops (real CRNN): rows and counts."""

import sys
from pathlib import Path

import cv2
import numpy as np
from helpers import DATA, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_bench_word_case_counts_words_put_right(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_word_case import main

    from ocrkit.geometry import crop_quad
    from ocrkit.io import read_image

    forms = DATA / "funsd" / "dataset" / "testing_data" / "images"
    # Decoded "cOPY", "sePT", "TRANSMiSsION" (1.8-3.0 nats from one case), and "SPECLAL".
    words = [("83443897", "COPY", (344, 461, 375, 475)),
             ("82253058_3059", "SEPT", (384, 279, 416, 294)),
             ("82573104", "TRANSMISSION", (267, 380, 347, 390)),
             ("82092117", "SPECIAL", (103, 503, 163, 520))]  # fmt: skip
    crops = tmp_path / "crops"
    crops.mkdir()
    for k, (stem, _, (a, b, c, d)) in enumerate(words):
        quad = np.array([[a, b], [c, b], [c, d], [a, d]], np.float32)
        crop = crop_quad(read_image(forms / f"{stem}.png"), quad, 64)
        cv2.imwrite(str(crops / f"{k}.png"), np.ascontiguousarray(crop[:, :, ::-1]))
    (crops / "labels.txt").write_text("".join(f"{k}.png\t{w[1]}\n" for k, w in enumerate(words)))
    assert main(["--set", f"crops:{crops}", "--margins", "0.5,6"]) == 0
    rows = [line.split(" | ")[1:9] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| crops:")]  # fmt: skip
    # words, mixed, exact as read, margin, changed, exact in one case, made right, made wrong
    assert rows == [["4", "3", "0", "0.5", "0", "**0**", "0", "0"],
                    ["4", "3", "0", "6", "3", "**3**", "3", "0"]]  # fmt: skip
