"""benchmarks/bench_lexicon.py on five FUNSD word crops (real CRNN) and benchmarks/bench_order.py
on a small form of ground-truth words: rows and counts."""

import json
import sys
from pathlib import Path

import cv2
import numpy as np
from helpers import DATA, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_bench_lexicon_counts_words_put_right(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_lexicon import main

    from ocrkit.geometry import crop_quad
    from ocrkit.io import read_image

    form = read_image(DATA / "funsd" / "dataset" / "testing_data" / "images" / "82092117.png")
    words = {"SPECIAL": (103, 503, 163, 520), "the": (610, 721, 624, 731),
             "intended": (310, 735, 349, 746), "telephone": (506, 774, 551, 787)}  # fmt: skip
    crops = tmp_path / "crops"
    crops.mkdir()
    for k, (a, b, c, d) in enumerate(words.values()):
        # Bilinear (--crop-sampling linear): the cut in which the CRNN misreads all four.
        quad = np.array([[a, b], [c, b], [c, d], [a, d]], np.float32)
        crop = crop_quad(form, quad, 64, interpolation=cv2.INTER_LINEAR)
        cv2.imwrite(str(crops / f"{k}.png"), np.ascontiguousarray(crop[:, :, ::-1]))
    (crops / "labels.txt").write_text("".join(f"{k}.png\t{w}\n" for k, w in enumerate(words)))
    lexicon = tmp_path / "words.txt"
    lexicon.write_text("special\nthe\nintended\ntelephone\n")
    assert main(["--lexicon", str(lexicon), "--set", f"crops:{crops}", "--margins", "0.5,6",
                 "--lone-margins", "none,12"]) == 0  # fmt: skip
    rows = [line.split(" | ")[1:8] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| crops:")]  # fmt: skip
    # words, exact without, margin, lone margin, exact with, made right, made wrong. At margin
    # 0.5 the lone rule puts right the two unsure readings of 4+ letters ("SPECLAL" is sure).
    assert rows == [["4", "0", "0.5", "None", "**0**", "0", "0"],
                    ["4", "0", "0.5", "12.0", "**2**", "2", "0"],
                    ["4", "0", "6", "None", "**4**", "4", "0"],
                    ["4", "0", "6", "12.0", "**4**", "4", "0"]]  # fmt: skip


def test_bench_order_counts_lone_marks(tmp_path, capsys):
    from bench_order import main

    def word(text, x, y, w, h):
        return {"text": text, "box": [x, y, x + w, y + h]}

    form = {"form": [
        {"words": [word("PART", 10, 30, 50, 24), word("I", 65, 30, 8, 24), word("-", 80, 46, 10, 3),
                   word("CLIENT", 95, 30, 70, 24)]},
        {"words": [word("Next", 10, 80, 50, 24), word("line", 65, 80, 40, 24)]},
    ]}  # fmt: skip
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "f.json").write_text(json.dumps(form))
    assert main(["--funsd", str(tmp_path)]) == 0
    row = [line for line in capsys.readouterr().out.splitlines() if line.startswith(f"| {tmp_path}")]
    # The hyphen was a line of its own: "I"-"-" and "-"-"CLIENT" were not adjacent on a line.
    assert row == [f"| {tmp_path} (1) | 1 | 2 → 4 of 4 | 1 → 0 of 1 |"]
