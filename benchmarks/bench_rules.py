"""Ruling lines (box sides, underlines, table lines) erased from crops: `--rules erase` vs `keep`.

    python benchmarks/bench_rules.py --pages 4                      # rendered form rows
    python benchmarks/bench_rules.py --pages 0 \\
        --set funsd_words:../shared/data/funsd/dataset/testing_data  # real word crops

Two measures:

- ``--pages N``: N rendered pages of form rows (1400×1100, 20–32 px type in three DejaVu-like
  faces of the machine, black on white). Each word is drawn plain, underlined (1–2 px, 1–4 px
  under the letters, running on past the word), boxed (1–2 px, 3–8 px off the letters), after
  a dotted leader, or in a table cell (lines 3–6 px above, below and before it). Each page is
  read by ``ocrkit.Pipeline`` (CRAFT + CRNN, the defaults) with ``rules="keep"`` and with
  ``rules="erase"`` (the default); prints per decoration the words read exactly (multiset
  match) and the misses.
- ``--set DATASET:PATH`` (repeatable): recognition word crops, cut as ``ocrkit eval`` cuts
  them, read by the CRNN (the defaults) as cut and with their rules erased; the pipeline keeps
  the erased one where it is more confident and keeps the word's length
  (:func:`ocrkit.rules.erased_reads_better`). Prints the crops with a rule found, the words read exactly (as
  the pipeline tidies them) as cut, always erased and as the pipeline chooses,
  examples of words made right and wrong, ms per crop of finding and erasing, and the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import pick_font  # noqa: E402
from common import exact_as_the_pipeline_reads as right  # noqa: E402
from common import cut_crops, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.fonts import find_fonts  # noqa: E402
from ocrkit.rules import erase_rules, erased_reads_better  # noqa: E402

WORDS = ("Invoice Total Address Street Amount Payment Customer Number Signature Country Harrison "
         "Margaret Company Account Balance Station Quantity Delivery Monday Weston 12345 2019 0.75 "
         "4,200").split()  # fmt: skip
DECORATIONS = ("plain", "underline", "box", "leader", "cell")
FACES = ("sans", "serif", "condensed-bold")
INK = (0, 0, 0)


def decorate(d: ImageDraw.ImageDraw, rng: random.Random, kind: str, x: int, y: int,
             box: tuple[int, int, int, int]) -> None:  # fmt: skip
    """Draw ``kind``'s lines round a word drawn at (x, y) whose ink box (from ``textbbox``
    at the origin) is ``box``."""
    left, top, right_, bottom = box
    if kind == "underline":
        under = y + bottom + rng.randint(1, 4)
        d.line((x - 4, under, x + right_ + rng.randint(4, 60), under), fill=INK, width=rng.randint(1, 2))
    elif kind == "box":
        pad = rng.randint(3, 8)
        d.rectangle((x + left - pad, y + top - pad, x + right_ + pad, y + bottom + pad),
                    outline=INK, width=rng.randint(1, 2))  # fmt: skip
    elif kind == "cell":
        pad = rng.randint(3, 6)
        x0, x1 = x - pad - 4, x + right_ + pad + 40
        d.line((x0, y + top - pad, x1, y + top - pad), fill=INK, width=1)
        d.line((x0, y + bottom + pad, x1, y + bottom + pad), fill=INK, width=1)
        d.line((x0, y + top - pad, x0, y + bottom + pad), fill=INK, width=1)


def form_page(seed: int, fonts: list[Path]) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """A rendered page of form rows and its words as (text, decoration)."""
    rng = random.Random(seed)
    faces = [pick_font(fonts, f) for f in FACES]
    img = Image.new("RGB", (1400, 1100), "white")
    d = ImageDraw.Draw(img)
    words: list[tuple[str, str]] = []
    y = 40
    while y < 1020:
        size = rng.randint(20, 32)
        font = ImageFont.truetype(str(rng.choice(faces)), size)
        x = 40
        while x < 1100:
            kind, text = rng.choice(DECORATIONS), rng.choice(WORDS)
            box = d.textbbox((0, 0), text, font=font)
            wx = x + (30 if kind == "leader" else 8)
            if kind == "leader":
                for dot in range(x, wx - 6, 7):
                    d.ellipse((dot, y + box[3] - 3, dot + 2, y + box[3] - 1), fill=INK)
            d.text((wx, y), text, font=font, fill=INK)
            decorate(d, rng, kind, wx, y, box)
            words.append((text, kind))
            x = wx + box[2] + 90
        y += size + 50
    return np.asarray(img), words


def pages(args: argparse.Namespace) -> None:
    fonts = find_fonts([])
    if not fonts:
        raise SystemExit("bench_rules: no fonts on this machine to render pages with")
    detector = ocrkit.load_detector("craft", precision=args.precision)
    recognizer = ocrkit.load_recognizer("crnn", precision=args.precision)
    readers = {m: ocrkit.Pipeline(detector, recognizer, rules=m) for m in ("keep", "erase")}
    right_: dict[str, Counter] = {m: Counter() for m in readers}
    total: Counter = Counter()
    missed: dict[str, dict[str, list[str]]] = {m: defaultdict(list) for m in readers}
    seconds = Counter()
    for page in range(args.pages):
        image, words = form_page(args.seed * 1000 + page, fonts)
        total.update(kind for _, kind in words)
        for mode, pipe in readers.items():
            t0 = time.perf_counter()
            have = Counter(w.text for w in pipe.read([image])[0])
            seconds[mode] += time.perf_counter() - t0
            for text, kind in words:
                if have[text] > 0:
                    have[text] -= 1
                    right_[mode][kind] += 1
                else:
                    missed[mode][kind].append(text)
        print(f"page {page}: keep {sum(right_['keep'].values())}, erase "
              f"{sum(right_['erase'].values())} of {sum(total.values())} so far", flush=True)
    print(f"\nrendered form rows, {args.pages} pages, seed {args.seed}, precision {args.precision}")
    print("| decoration | words | read right, rules=keep | read right, rules=erase |")
    print("| --- | --- | --- | --- |")
    for kind in DECORATIONS:
        print(f"| {kind} | {total[kind]} | {right_['keep'][kind]} | {right_['erase'][kind]} |")
    print(f"| all | {sum(total.values())} | {sum(right_['keep'].values())} | "
          f"{sum(right_['erase'].values())} |")
    for mode in readers:
        print(f"missed with rules={mode}: {json.dumps(dict(missed[mode]))}")
    print("seconds per page: " + ", ".join(f"{m} {seconds[m] / max(args.pages, 1):.1f}" for m in readers))


def crop_sets(args: argparse.Namespace) -> None:
    recognizer = ocrkit.load_recognizer("crnn", precision=args.precision)
    print("| crops | words | with a rule | exact as cut | always erased | the pipeline's choice (default) "
          "| made right | made wrong | ms per crop |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown = []
    for spec in args.set:
        samples, crops = cut_crops(spec, args.limit)
        t0 = time.perf_counter()
        erased = [erase_rules(c) for c in crops]
        ms = 1000 * (time.perf_counter() - t0) / max(1, len(crops))
        ruled = [k for k, (c, e) in enumerate(zip(crops, erased)) if e is not c]
        cut = recognizer.recognize(crops)
        clean = dict(zip(ruled, recognizer.recognize([erased[k] for k in ruled])))
        exact = Counter()
        fixed, broken = [], []
        for k, (s, r) in enumerate(zip(samples, cut)):
            e = clean.get(k, r)
            chosen = e if erased_reads_better(r, e) else r
            exact["cut"] += right(r.text, s.text)
            exact["erased"] += right(e.text, s.text)
            exact["chosen"] += right(chosen.text, s.text)
            if right(chosen.text, s.text) != right(r.text, s.text):
                (fixed if right(chosen.text, s.text) else broken).append((s.text, r.text, chosen.text))
        print(f"| {spec.split(':')[0]} | {len(samples)} | {len(ruled)} | {exact['cut']} | "
              f"{exact['erased']} | **{exact['chosen']}** | {len(fixed)} | {len(broken)} | {ms:.2f} |",
              flush=True)  # fmt: skip
        shown.append(f"{spec}: made right (truth, as cut, chosen) {fixed[: args.show]}; "
                     f"made wrong {broken[: args.show]}")  # fmt: skip
    print("\n" + "\n".join(shown))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=4, help="rendered form pages (0 = none)")
    p.add_argument("--seed", type=int, default=0, help="another set of pages")
    p.add_argument("--set", action="append", default=[], metavar="DATASET:PATH",
                   help="a recognition dataset, e.g. funsd_words:PATH (repeatable)")
    p.add_argument("--limit", type=int, default=0, help="first N crops per set (0 = all)")
    p.add_argument("--show", type=int, default=12, help="examples made right / wrong per set")
    p.add_argument("--precision", default="fp32", help="CRAFT and CRNN precision")
    args = p.parse_args(argv)
    if args.pages:
        pages(args)
    if args.set:
        crop_sets(args)
    print(f"\nmachine: {json.dumps(machine())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
