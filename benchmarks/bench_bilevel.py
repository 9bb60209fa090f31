"""Bi-level images: words cut from the image as given and from it softened (``--bilevel``).

    python benchmarks/bench_bilevel.py --limit 10
    python benchmarks/bench_bilevel.py --data ../shared/data/funsd/dataset/training_data --limit 10
    python benchmarks/bench_bilevel.py --limit 3 --sizes "" --sigmas 0.5,0.7,1.0 --detect-softened

Two sets, each page detected once and read by ``ocrkit.Pipeline`` (``ocrkit run``'s defaults)
with ``bilevel="keep"`` and ``"smooth"`` (words cut from the page blurred by
``ocrkit.bilevel.SIGMA`` px, or by each of ``--sigmas``; ``--detect-softened``: also with the
page detected softened):

- FUNSD forms (``--data``, the first ``--limit``) made into 1-bit scans at each of ``--dpis``:
  the grey scan (~89 dpi) resized to that resolution, thresholded (Otsu), saved as a Group 4
  TIFF and read with ``ocrkit.read_image``; words read exactly (a multiset match with the
  form's ground-truth words, case and marks counted).
- Rendered pages: lines of common words drawn without anti-aliasing (a 1-bit image, as a
  born-digital page printed to a fax or a 1-bit TIFF) in the machine's sans, serif,
  monospaced, bold and condensed fonts at ``--sizes`` px; words read exactly.

Prints each page's counts, the totals per set and way, and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fax import fax_tiff  # noqa: E402
from bench_small_text import WORDS, load_crnn, pick_font, rendered_setup  # noqa: E402
from bench_tokens import Once  # noqa: E402
from common import funsd_words, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit import bilevel  # noqa: E402

FAMILIES = ("sans", "serif", "mono", "sans-bold", "sans-condensed")


def rendered_page(rng: np.random.Generator, font: Path, px: int) -> tuple[np.ndarray, list[str]]:
    """Ten lines of six words drawn in 1-bit (no anti-aliasing): RGB image and its words."""
    face = ImageFont.truetype(str(font), px)
    im = Image.new("1", (1200, 40 + 10 * 2 * px), 1)
    draw, truth = ImageDraw.Draw(im), []
    for row in range(10):
        words = [str(w) for w in rng.choice(WORDS, 6)]
        draw.text((30, 20 + row * 2 * px), " ".join(words), font=face, fill=0)
        truth += words
    return np.asarray(im.convert("RGB")), truth


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="../shared/data/funsd/dataset/testing_data")
    p.add_argument("--limit", type=int, default=10, help="first N forms (0: none)")
    p.add_argument("--dpis", default="204,300", help="the forms' 1-bit scan resolutions")
    p.add_argument("--sizes", default="12,16,20,28", help="rendered text heights, px")
    p.add_argument("--sigmas", default=str(bilevel.SIGMA),
                   help="blurs (px) read with bilevel=smooth, one column each")
    p.add_argument("--detect-softened", action="store_true",
                   help="a column more: the page detected softened too (default σ)")
    args, fonts = rendered_setup(p, argv)
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = load_crnn(args)
    # (column, blur σ in px or None for bilevel="keep", the page detected softened too)
    ways = [("keep", None, False)]
    ways += [(f"smooth {float(x):g} px", float(x), False) for x in args.sigmas.split(",") if x]
    if args.detect_softened:
        ways.append(("smooth, detected softened", bilevel.SIGMA, True))
    right: dict[str, Counter] = {way: Counter() for way, _, _ in ways}
    totals: Counter = Counter()

    def score(set_name: str, name: str, image: np.ndarray, truth: list[str]) -> None:
        assert bilevel.is_bilevel(image), name
        regions = detector.detect([image])[0]
        want = Counter(truth)
        totals[set_name] += len(truth)
        hits = {}
        for way, sigma, detect_softened in ways:
            found = detector.detect([bilevel.softened(image)])[0] if detect_softened else regions
            pipe = ocrkit.Pipeline(Once(found), recognizer, bilevel="keep" if sigma is None
                                   else "smooth")  # fmt: skip
            with blur(sigma or bilevel.SIGMA):
                read = Counter(w.text for w in pipe.read([image])[0])
            hits[way] = sum((read & want).values())
            right[way][set_name] += hits[way]
        print(f"{name}: {image.shape[1]}×{image.shape[0]}, "
              + ", ".join(f"{w} {hits[w]}" for w, _, _ in ways) + f" of {len(truth)}", flush=True)

    root = Path(args.data)
    for png in sorted((root / "images").glob("*.png"))[: args.limit]:
        truth = funsd_words(root, png)
        for dpi in [float(d) for d in args.dpis.split(",") if d]:
            image = ocrkit.read_image(fax_tiff(png, (dpi, dpi)))
            score(f"FUNSD {root.name} at {dpi:g} dpi", f"{png.stem} {dpi:g} dpi", image, truth)
    rng = np.random.default_rng(0)
    for family in FAMILIES:
        font = pick_font(fonts, family)
        for px in [int(s) for s in args.sizes.split(",") if s]:
            image, truth = rendered_page(rng, font, px)
            score("rendered 1-bit lines", f"{font.name} {px} px", image, truth)
    print(f"\nmachine: {json.dumps(machine())}; precision {args.precision}\n")
    print("| pages | words | " + " | ".join(f"`{w}`" for w, _, _ in ways) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in ways) + " |")
    for set_name, total in totals.items():
        print(f"| {set_name} | {total} | " + " | ".join(str(right[w][set_name]) for w, _, _ in ways)
              + " |")  # fmt: skip
    return 0


@contextmanager
def blur(sigma: float) -> Iterator[None]:
    """``ocrkit.bilevel.SIGMA`` set to ``sigma`` meanwhile."""
    saved, bilevel.SIGMA = bilevel.SIGMA, sigma
    try:
        yield
    finally:
        bilevel.SIGMA = saved


if __name__ == "__main__":
    raise SystemExit(main())
