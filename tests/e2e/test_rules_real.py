"""--rules erase with the packaged weights: boxed words read without their box's sides, and
benchmarks/bench_rules.py on real FUNSD word crops."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, need_plugin
from PIL import Image, ImageDraw, ImageFont

import ocrkit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

WORDS = ("Payment", "Street", "Customer", "Balance")


def boxed_words(font_path: Path) -> np.ndarray:
    """Four words of 28 px DejaVu-like type, each in a 2 px box 4 px off its letters."""
    img = Image.new("RGB", (900, 260), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(font_path), 28)
    for k, word in enumerate(WORDS):
        x, y = 40 + 420 * (k % 2), 50 + 110 * (k // 2)
        left, top, right, bottom = d.textbbox((x, y), word, font=font)
        d.text((x, y), word, font=font, fill="black")
        d.rectangle((left - 4, top - 4, right + 4, bottom + 4), outline="black", width=2)
    return np.asarray(img)


def test_boxed_words_read_without_their_sides(fonts, craft_detector, crnn_recognizer):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_small_text import pick_font

    image = boxed_words(pick_font(fonts, "sans"))
    read = {}
    for mode in ("keep", "erase"):
        pipe = ocrkit.Pipeline(craft_detector, crnn_recognizer, rules=mode)
        read[mode] = [w.text for w in pipe.read([image])[0]]
    right = {m: sum(w in texts for w in WORDS) for m, texts in read.items()}
    assert right["erase"] == len(WORDS), read
    assert right["keep"] < right["erase"], read  # the sides read as brackets or letters


@pytest.mark.skipif(not (DATA / "funsd").is_dir(), reason="../shared is not available")
def test_bench_rules_on_funsd_crops(capsys):
    need_plugin("ocrkit_crnn")
    from bench_rules import main

    spec = f"funsd_words:{DATA / 'funsd' / 'dataset' / 'testing_data'}"
    main(["--pages", "0", "--set", spec, "--limit", "60", "--show", "2"])
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| funsd_words"))
    cells = [c.strip().strip("*") for c in row.split("|")[1:-1]]
    words, ruled, cut, erased, chosen, fixed, broken = (int(c) for c in cells[1:8])
    assert words == 60 and 0 < ruled < words
    assert chosen == cut + fixed - broken and chosen >= cut
    assert json.loads(out.strip().splitlines()[-1].split("machine: ", 1)[1])["cores"] >= 1
