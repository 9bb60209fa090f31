"""Small text on large images, read end to end: one detection pass vs the second pass for small text.

    python benchmarks/bench_small_text.py                 # 4 card photos per layout + an A4 page
    python benchmarks/bench_small_text.py --cards 1 --precision fp32

Scenes, rendered here with the machine's fonts (so the text is known exactly):

- ``card-75``: a photographed ID card (labels and values, a machine-readable zone, perspective,
  uneven light, blur, noise, JPEG 70) filling ~75 % of a 4032×2880 phone photo;
- ``card-40``: the same card filling 40 % of a 4032×3024 photo: its labels are ~30 px high, so
  ~10 px at the default canvas (1280);
- ``a4-300dpi``: an A4 page scanned at 300 dpi (2480×3508), six lines each of 7, 8, 10 and 12 pt.

Each scene is read by ``ocrkit.Pipeline`` (CRAFT + CRNN, ``ocrkit run``'s defaults) with
``text_height=0`` (one pass at canvas 1280, the reference) and ``text_height=24`` (the
default). Prints words read exactly (multiset match against the rendered words; per point size
for the page), seconds, and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.config import parse_assignments  # noqa: E402
from ocrkit.fonts import find_fonts  # noqa: E402

WORDS = ("the quick brown fox jumps over lazy dog invoice number total amount date customer address "
         "payment terms account balance due shipping order reference page items quantity price").split()  # fmt: skip
FIELDS = [("Surname", "ERIKSSON"), ("Given names", "Anna Maria"), ("Date of birth", "12.08.1974"),
          ("Nationality", "UTOPIAN"), ("Document no.", "D23145890"), ("Date of expiry", "15.04.2031")]  # fmt: skip
MRZ = ["IDUTOD231458907<<<<<<<<<<<<<<<", "7408122F3104159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


STYLES = ("bold", "italic", "oblique", "light", "condensed", "mono", "serif", "math", "symbol")


def pick_font(fonts: list[Path], want: str) -> Path:
    """The first font whose file name has every part of ``want`` ("sans-bold") and no other
    style word (so "sans" is a regular sans, not its bold), else a loose match, else any."""
    parts = want.lower().split("-")
    others = [k for k in STYLES if k not in parts]
    exact = [f for f in fonts if all(p in f.name.lower() for p in parts)
             and not any(k in f.name.lower() for k in others)]  # fmt: skip
    loose = [f for f in fonts if all(p in f.name.lower() for p in parts)]
    return (exact or loose or fonts)[0]


def rows(page: Image.Image, rng: np.random.Generator, fonts: list[Path], faces: tuple[str, ...],
         sizes: tuple[int, ...]):
    """The rows of a rendered page from its top: per row ``(draw, y, size, font)``, its face
    drawn from ``faces`` and its size (px) from ``sizes``, rows ``2.2 × size`` apart down to 60 px
    from the page's foot."""
    draw = ImageDraw.Draw(page)
    y = 30
    while y < page.height - 60:
        size = int(rng.choice(sizes))
        font = ImageFont.truetype(str(pick_font(fonts, str(rng.choice(faces)))), size)
        yield draw, y, size, font
        y += int(size * 2.2)


def card(rng: np.random.Generator, fonts: list[Path]) -> tuple[np.ndarray, list[str]]:
    """A 1400×1000 photo of an ID-1 card (1012×638 at 300 dpi) and its words."""
    w, h = 1012, 638
    ramp = np.linspace(0, 1, w)[None, :, None]
    face = np.repeat(np.array([200, 225, 240]) * (1 - ramp) + np.array([235, 210, 225]) * ramp, h, 0)
    im = Image.fromarray(face.astype(np.uint8))
    d = ImageDraw.Draw(im)
    bold, regular, mono = (pick_font(fonts, k) for k in ("sans-bold", "sans", "mono"))
    d.rectangle([0, 0, w, 70], fill=(30, 60, 120))
    d.text((30, 14), "REPUBLIC OF UTOPIA  IDENTITY CARD", font=ImageFont.truetype(str(bold), 36), fill=(255, 255, 255))
    d.rectangle([40, 110, 300, 440], fill=(160, 160, 170), outline=(90, 90, 90), width=3)  # the photo
    truth = "REPUBLIC OF UTOPIA IDENTITY CARD".split()
    for k, (label, value) in enumerate(FIELDS):
        d.text((340, 100 + 72 * k), label, font=ImageFont.truetype(str(regular), 20), fill=(70, 70, 90))
        d.text((340, 124 + 72 * k), value, font=ImageFont.truetype(str(bold), 30), fill=(10, 10, 20))
        truth += label.split() + value.split()
    for k, line in enumerate(MRZ):
        d.text((40, 520 + 36 * k), line, font=ImageFont.truetype(str(mono), 30), fill=(20, 20, 20))
    truth += MRZ
    # Onto a photo: perspective, a blurred noisy background, a light spot, blur, noise, JPEG.
    bw, bh = 1400, 1000
    bg = cv2.GaussianBlur(rng.normal(90, 12, (bh, bw, 3)).clip(0, 255).astype(np.uint8), (0, 0), 3)
    corners = np.float32([[180, 200], [1230, 150], [1260, 820], [150, 860]]) + rng.normal(0, 10, (4, 2)).astype(np.float32)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners)
    warped = cv2.warpPerspective(np.asarray(im), m, (bw, bh))
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (bw, bh))[..., None] > 0
    yy, xx = np.mgrid[0:bh, 0:bw]
    light = 0.85 + 0.25 * np.exp(-((xx - 900) ** 2 + (yy - 300) ** 2) / (2 * 250**2))
    photo = (np.where(inside, warped, bg) * light[..., None]).clip(0, 255).astype(np.uint8)
    photo = cv2.GaussianBlur(photo, (0, 0), 0.8)
    photo = (photo + rng.normal(0, 4, photo.shape)).clip(0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpeg, cv2.IMREAD_UNCHANGED), truth


def card_scenes(seed: int, fonts: list[Path]) -> list[tuple[str, np.ndarray, list[str]]]:
    rng = np.random.default_rng(seed)
    photo, truth = card(rng, fonts)
    near = cv2.resize(photo, (4032, 2880), interpolation=cv2.INTER_CUBIC)  # card ~75 % wide
    far = cv2.GaussianBlur(rng.normal(90, 12, (3024, 4032, 3)).clip(0, 255).astype(np.uint8), (0, 0), 3)
    far[900:2052, 1200:2813] = cv2.resize(photo, (1613, 1152), interpolation=cv2.INTER_AREA)  # 40 %
    return [("card-75", near, truth), ("card-40", far, truth)]


def a4_page(fonts: list[Path]) -> tuple[np.ndarray, dict[int, list[str]], dict[int, tuple[int, int]]]:
    """A4 at 300 dpi: six lines of eight words at each of 7, 8, 10, 12 pt; words and y-band per size."""
    rng = np.random.default_rng(0)
    im = Image.new("RGB", (2480, 3508), (255, 255, 255))
    d = ImageDraw.Draw(im)
    regular = pick_font(fonts, "sans")
    words, bands, y = {}, {}, 150
    for pt in (7, 8, 10, 12):
        px = round(pt / 72 * 300)
        font = ImageFont.truetype(str(regular), px)
        words[pt], top = [], y
        for _ in range(6):
            line = [str(w) for w in rng.choice(WORDS, 8)]
            d.text((150, y), " ".join(line), font=font, fill=(0, 0, 0))
            words[pt] += line
            y += int(px * 1.6)
        bands[pt] = (top, y)
        y += 80
    return np.asarray(im), words, bands


def rendered_setup(p: argparse.ArgumentParser, argv: list[str] | None) -> tuple[argparse.Namespace, list[Path]]:
    """Parse ``argv`` with the rendered benchmarks' ``--precision``, ``--device`` and ``--rec-opt``
    added; the arguments and the machine's fonts (a usage error when it has none)."""
    p.add_argument("--precision", default="bf16", help="CRAFT and CRNN precision (fp32, bf16, auto)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE",
                   help="a CRNN option, as `ocrkit run --rec-opt` (e.g. contrast=easyocr)")
    args = p.parse_args(argv)
    try:
        args.rec_options = parse_assignments(args.rec_opt, "--rec-opt")
    except ocrkit.ConfigError as exc:
        p.error(str(exc))
    fonts = find_fonts([])
    if not fonts:
        p.error("no TrueType/OpenType fonts found on this machine")
    return args, fonts


def load_crnn(args: argparse.Namespace) -> ocrkit.Recognizer:
    """The CRNN on ``args.device`` at ``args.precision`` with the ``--rec-opt`` options."""
    options = {"device": args.device, "precision": args.precision, **args.rec_options}
    return ocrkit.load_recognizer("crnn", **options)


def read_right(found: list, truth: list[str]) -> int:
    return sum((Counter(w.text for w in found) & Counter(truth)).values())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cards", type=int, default=4, help="card photos per layout (seeds 0..N-1)")
    p.add_argument("--no-page", action="store_true", help="skip the A4 page")
    args, fonts = rendered_setup(p, argv)
    rec = load_crnn(args)
    pipes = {th: ocrkit.Pipeline(ocrkit.load_detector("craft", device=args.device, precision=args.precision,
                                                      text_height=th), rec) for th in (0, 24)}  # fmt: skip
    totals: dict[tuple[str, int], list[float]] = {}

    def count(scene: str, th: int, hits: int, words: int, seconds: float) -> None:
        t = totals.setdefault((scene, th), [0, 0, 0.0])
        t[0], t[1], t[2] = t[0] + hits, t[1] + words, t[2] + seconds

    for seed in range(args.cards):
        for scene, image, truth in card_scenes(seed, fonts):
            for th, pipe in pipes.items():
                t0 = time.perf_counter()
                found = pipe.read([image])[0]
                count(scene, th, read_right(found, truth), len(truth), time.perf_counter() - t0)
                print(json.dumps({"scene": scene, "seed": seed, "text_height": th, "read": read_right(found, truth),
                                  "words": len(truth)}), file=sys.stderr, flush=True)  # fmt: skip
    if not args.no_page:
        page, words, bands = a4_page(fonts)
        for th, pipe in pipes.items():
            t0 = time.perf_counter()
            found = pipe.read([page])[0]
            seconds = time.perf_counter() - t0
            for pt, (top, bottom) in bands.items():
                inside = [w for w in found if top <= w.polygon[:, 1].mean() < bottom]
                count(f"a4-300dpi {pt} pt", th, read_right(inside, words[pt]), len(words[pt]), seconds)
    print(f"machine: {json.dumps(machine())}; device {args.device}; precision {args.precision}; "
          f"fonts e.g. {pick_font(fonts, 'sans').name}\n")
    print("| scene | words | read right, one pass (text_height=0) | read right, default (text_height=24) | seconds, one pass → default |")
    print("| --- | --- | --- | --- | --- |")
    for scene in dict.fromkeys(s for s, _ in totals):
        (h0, n, s0), (h1, _, s1) = totals[(scene, 0)], totals[(scene, 24)]
        print(f"| {scene} | {n} | {h0} ({h0 / n:.3f}) | {h1} ({h1 / n:.3f}) | {s0:.1f} → {s1:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
