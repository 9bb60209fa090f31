"""Machine-readable zones read whole and right: ``--text tidy`` against ``raw``.

    python benchmarks/bench_mrz.py                 # 8 TD1 (card) and 8 TD3 (passport) zones
    python benchmarks/bench_mrz.py --zones 4 --precision fp32

Each zone is a valid ICAO 9303 zone (check digits computed; random names, dates and document
numbers of letters and digits), rendered in the machine's monospaced font at 18–32 px on a
card-coloured background, turned by up to ±3°, blurred, with noise and JPEG 75. The zone is
detected once (CRAFT, the default options) and read by ``ocrkit.Pipeline`` with each text mode;
a line counts when one word of the reading is exactly the line. Prints the counts per format
and the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import load_crnn, pick_font, rendered_setup  # noqa: E402
from bench_tokens import Once  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.mrz import check_digit  # noqa: E402

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MODES = ("raw", "tidy")


def _letters(rng: np.random.Generator, n: int) -> str:
    return "".join(rng.choice(list(LETTERS), n))


def _date(rng: np.random.Generator) -> str:
    return f"{rng.integers(0, 100):02d}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"


def _number(rng: np.random.Generator) -> str:
    """A document number: a letter or two, then digits (9 characters)."""
    head = _letters(rng, int(rng.integers(1, 3)))
    return head + "".join(str(d) for d in rng.integers(0, 10, 9 - len(head)))


def zone(rng: np.random.Generator, kind: str) -> list[str]:
    """The lines of one valid TD1 (3 × 30) or TD3 (2 × 44) zone."""
    names = f"{_letters(rng, int(rng.integers(4, 10)))}<<{_letters(rng, int(rng.integers(3, 7)))}"
    number, birth, expiry = _number(rng), _date(rng), _date(rng)
    sex = str(rng.choice(["M", "F"]))
    if kind == "TD1":
        first = f"I<UTO{number}{check_digit(number)}" + "<" * 15
        middle = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}UTO" + "<" * 11
        composite = first[5:30] + middle[0:7] + middle[8:15] + middle[18:29]
        return [first, middle + check_digit(composite), names.ljust(30, "<")[:30]]
    personal = "<" * 14
    second = (f"{number}{check_digit(number)}UTO{birth}{check_digit(birth)}{sex}{expiry}"
              f"{check_digit(expiry)}{personal}{check_digit(personal)}")  # fmt: skip
    composite = second[0:10] + second[13:20] + second[21:43]
    return [f"P<UTO{names}".ljust(44, "<")[:44], second + check_digit(composite)]


def render(lines: list[str], font_path: Path, px: int, rng: np.random.Generator) -> np.ndarray:
    """The zone on a card-coloured background, turned slightly, blurred, noisy, JPEG 75."""
    font = ImageFont.truetype(str(font_path), px)
    width = int(font.getlength(lines[0])) + 4 * px
    step = int(px * 1.5)
    tint = tuple(int(v) for v in rng.integers(200, 245, 3))
    page = Image.new("RGB", (width, step * len(lines) + 2 * px), tint)
    draw = ImageDraw.Draw(page)
    for k, line in enumerate(lines):
        draw.text((2 * px, px + k * step), line, font=font, fill=(25, 25, 30))
    image = np.asarray(page)
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-3, 3)), 1.0)
    image = cv2.warpAffine(image, m, (w, h), borderValue=tint)
    image = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.5, 1.0)))
    image = (image + rng.normal(0, 4, image.shape)).clip(0, 255).astype(np.uint8)
    _, jpeg = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 75])
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)[..., ::-1].copy()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--zones", type=int, default=8, help="zones of each format")
    args, fonts = rendered_setup(p, argv)
    font = pick_font(fonts, "mono")
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = load_crnn(args)
    rng = np.random.default_rng(0)
    rows = {}
    for kind in ("TD1", "TD3"):
        right = {mode: 0 for mode in MODES}
        total = 0
        for _ in range(args.zones):
            lines = zone(rng, kind)
            image = render(lines, font, int(rng.integers(18, 33)), rng)
            once = Once(detector.detect([image])[0])
            total += len(lines)
            for mode in MODES:
                read = {w.text for w in ocrkit.Pipeline(once, recognizer, text=mode).read([image])[0]}
                right[mode] += sum(line in read for line in lines)
        rows[kind] = (total, right)
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; font {font.name}\n")
    print("| zones | lines | read right, --text raw | read right, --text tidy (default) |")
    print("| --- | --- | --- | --- |")
    for kind, (total, right) in rows.items():
        print(f"| {args.zones} × {kind} | {total} | {right['raw']} | {right['tidy']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
