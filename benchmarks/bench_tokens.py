"""Numbers, dates and prices read whole: ``--text tidy`` (numbers joined) against ``split``.

    python benchmarks/bench_tokens.py                    # 5 fonts × 4 sizes, 2 lines each
    python benchmarks/bench_tokens.py --sizes 20 --precision fp32

Renders lines of words, numbers with a mark inside ("503.63", "12.08.1974", "27/10/1966",
"10:45", "2024-08-12", "$12.99", "v2.1") and numbers set apart by a plain space ("1999 2000":
they must stay two words); then lines of numbers grouped in threes by commas ("4,082.92",
"$20,944", "1,264,653") and of numbers set apart by a comma and a space ("March 23, 1998",
"pages 12, 345": each must stay two tokens), and lines of numbers with a decimal comma
("12,50", "1.234,56", "7,5") and of 1–2 digits after a comma and a space ("May 23, 98",
"3, 14": two tokens each), in the machine's sans, serif, monospaced, bold
and condensed fonts at text heights of 12–24 px (a document's text at the detector's canvas).
Each line is detected once (CRAFT, the default options) and read by ``ocrkit.Pipeline`` with
each text mode.
Prints, per mode, the tokens read exactly (multiset match against the rendered words) in each
class, and the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import WORDS, load_crnn, pick_font, rendered_setup  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402

FAMILIES = ("sans", "serif", "mono", "sans-bold", "sans-condensed")
MODES = ("tidy", "split")


def marked_number(rng: np.random.Generator) -> str:
    """A number, date, time, price or version with a mark inside."""
    d, m, y = int(rng.integers(1, 29)), int(rng.integers(1, 13)), int(rng.integers(1940, 2035))
    kinds = [f"{rng.integers(1, 9999)}.{rng.integers(0, 100):02d}", f"{d:02d}.{m:02d}.{y}",
             f"{d:02d}/{m:02d}/{y}",
             f"{y}-{m:02d}-{d:02d}", f"{rng.integers(0, 24):02d}:{rng.integers(0, 60):02d}",
             f"${rng.integers(1, 999)}.{rng.integers(0, 100):02d}", f"0.{rng.integers(1, 100):02d}",
             f"v{rng.integers(1, 10)}.{rng.integers(0, 10)}"]  # fmt: skip
    return str(kinds[int(rng.integers(len(kinds)))])


def line(rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """Tokens of one line: words, marked numbers, and a pair of plain numbers set apart by a space."""
    words = [str(w) for w in rng.choice(WORDS, 3)]
    numbers = [marked_number(rng) for _ in range(3)]
    plain = [str(rng.integers(1, 3000)), str(rng.integers(1, 3000))]
    tokens = [words[0], numbers[0], words[1], numbers[1], *plain, words[2], numbers[2]]
    return tokens, numbers, plain


def grouped_line(rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """Tokens of one line: words, numbers grouped by thousands commas, and numbers after a
    comma and a space (a day and a year, a list of 3-digit numbers)."""
    words = [str(w) for w in rng.choice(WORDS, 2)]
    a, b, c = (int(v) for v in rng.integers(0, 1000, 3))
    grouped = [f"{rng.integers(1, 1000)},{b:03d}.{rng.integers(0, 100):02d}",
               f"${rng.integers(1, 100)},{a:03d}", f"{rng.integers(1, 10)},{b:03d},{c:03d}"]  # fmt: skip
    comma = [f"{rng.integers(1, 29)},", str(rng.integers(1950, 2030)), f"{rng.integers(1, 100)},",
             f"{rng.integers(100, 1000)}"]  # fmt: skip
    tokens = [grouped[0], words[0], *comma[:2], grouped[1], words[1], *comma[2:], grouped[2]]
    return tokens, grouped, comma


def decimal_line(rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """Tokens of one line: words, numbers with a decimal comma ("12,50", "1.234,56", "7,5"),
    and numbers of 1–2 digits after a comma and a space ("May 23, 98", "3, 14")."""
    words = [str(w) for w in rng.choice(WORDS, 2)]
    decimal = [f"{rng.integers(1, 1000)},{rng.integers(0, 100):02d}",
               f"{rng.integers(1, 10)}.{rng.integers(0, 1000):03d},{rng.integers(0, 100):02d}",
               f"{rng.integers(0, 100)},{rng.integers(1, 10)}"]  # fmt: skip
    comma = [f"{rng.integers(1, 29)},", f"{rng.integers(10, 100)}", f"{rng.integers(1, 10)},",
             f"{rng.integers(1, 100)}"]  # fmt: skip
    tokens = [words[0], decimal[0], *comma[:2], decimal[1], words[1], *comma[2:], decimal[2]]
    return tokens, decimal, comma


def render(tokens: list[str], font_path: Path, px: int) -> np.ndarray:
    font = ImageFont.truetype(str(font_path), px)
    text = " ".join(tokens)
    width = int(font.getlength(text)) + 4 * px
    page = Image.new("RGB", (width, 4 * px), (255, 255, 255))
    ImageDraw.Draw(page).text((2 * px, px), text, font=font, fill=(0, 0, 0))
    return np.asarray(page)


class Once:
    """A detector that hands back regions detected once, so every mode reads the same ones."""

    def __init__(self, regions: list) -> None:
        self.regions = regions

    def detect(self, images: list) -> list:
        return [self.regions for _ in images]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="12,16,20,24", help="text heights, px (comma-separated)")
    p.add_argument("--lines", type=int, default=2, help="lines per font and size")
    args, fonts = rendered_setup(p, argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = load_crnn(args)
    rng = np.random.default_rng(0)
    rng_grouped = np.random.default_rng(1)  # its own stream: the first lines stay as they were
    rng_decimal = np.random.default_rng(2)  # and so for the decimal-comma lines
    hits = {mode: Counter() for mode in MODES}
    totals: Counter = Counter()

    def score(tokens: list[str], classes: dict[str, list[str]], font: Path, px: int) -> None:
        """Render the line, detect it once, read it in each mode; count each class's tokens
        read right."""
        image = render(tokens, font, px)
        once = Once(detector.detect([image])[0])
        for name, truth in classes.items():
            totals[name] += len(truth)
        for mode in MODES:
            pipeline = ocrkit.Pipeline(once, recognizer, text=mode)
            got = Counter(w.text for w in pipeline.read([image])[0])
            for name, truth in classes.items():
                hits[mode][name] += sum((got & Counter(truth)).values())

    for family in FAMILIES:
        font = pick_font(fonts, family)
        for px in sizes:
            for _ in range(args.lines):
                tokens, numbers, plain = line(rng)
                classes = {"words": [t for t in tokens if t not in numbers and t not in plain],
                           "numbers with a mark": numbers, "plain numbers after a space": plain}  # fmt: skip
                score(tokens, classes, font, px)
                tokens, grouped, comma = grouped_line(rng_grouped)
                score(tokens, {"numbers grouped by commas": grouped,
                               "numbers after a comma and a space": comma}, font, px)  # fmt: skip
                tokens, decimal, comma = decimal_line(rng_decimal)
                score(tokens, {"numbers with a decimal comma": decimal,
                               "1–2 digits after a comma and a space": comma}, font, px)  # fmt: skip
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; "
          f"fonts {', '.join(pick_font(fonts, f).name for f in FAMILIES)}; sizes {sizes} px\n")
    print("| tokens | count | read right, --text split | read right, --text tidy (default) |")
    print("| --- | --- | --- | --- |")
    for name, n in totals.items():
        print(f"| {name} | {n} | {hits['split'][name]} | {hits['tidy'][name]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
