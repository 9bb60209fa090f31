"""ID-card photos read end to end: every field, by kind, with the words missed.

    python benchmarks/bench_cards.py                      # 24 cards, the default options
    python benchmarks/bench_cards.py --cards 8 --precision fp32 --seed 1
    python benchmarks/bench_cards.py --scale 0.5 --crop-sampling linear   # a smaller photo

Each card is rendered here with the machine's fonts (so its text is known exactly) and then
photographed: an ID-1 card (1012×638 at 300 dpi) with a header (state and document name,
light on a dark band or dark on the card), a photo, a signature and seven labelled fields in
two columns (surname, given names, dates of birth and expiry in one of four formats, sex, place
of birth, a document number of 1–2 letters and digits); every other card has a TD1
machine-readable zone whose first line holds the document number with its check digit. Each
card varies its tints, a guilloche of fine wavy lines under the text, its label face (sans,
condensed or serif, 16–21 px) and value face (bold sans, condensed, serif, regular sans or bold
mono, 24–31 px). The photo: the card at 55–90 % of a 1600×1200 frame over a blurred background,
turned by up to ±8°, its corners moved (perspective), lit unevenly, blurred (σ 0.5–1.3),
with noise (σ 2–7 grey levels) and JPEG 55–89: the labels' capitals come out 10–22 px high
and the values' 15–32 px, as on a phone photo of a card.

Each photo is read by ``ocrkit.Pipeline`` (CRAFT + CRNN, ``ocrkit run``'s defaults). A word
counts when the reading holds it exactly (multiset match, case and marks included). Prints the
words read right per kind (header, label, name, date, number, other value, MRZ line), the
words missed and what was read instead per card, seconds, and the machine.
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
from bench_small_text import load_crnn, pick_font, rendered_setup  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.geometry import SAMPLINGS  # noqa: E402
from ocrkit.mrz import check_digit  # noqa: E402

SURNAMES = ("MUELLER GARCIA NOVAK OKAFOR LINDQVIST DUBOIS KOWALSKI ROSSI TANAKA OBRIEN FISCHER "
            "MORENO NIELSEN PETROV HAMID WALSH").split()  # fmt: skip
GIVEN = ("Anna Jonas Maria Pierre Yuki Olga Liam Sofia Ahmed Clara Henrik Marta Tomas Elena Kofi "
         "Ines").split()  # fmt: skip
PLACES = "BERLIN LYON PORTO KRAKOW OSAKA DUBLIN GENOVA AARHUS SEVILLA TAMPERE".split()
STATES = ("REPUBLIC OF UTOPIA", "KINGDOM OF NORLAND", "FEDERAL REPUBLIC OF ESTORIA",
          "STATE OF VALDONIA")  # fmt: skip
TITLES = ("IDENTITY CARD", "RESIDENCE PERMIT", "DRIVING LICENCE", "NATIONAL ID CARD")
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
LABEL_FACES = ("sans", "condensed", "serif")
VALUE_FACES = ("sans-bold", "condensed-bold", "serif-bold", "sans", "mono-bold")
KINDS = ("header", "label", "name", "date", "number", "value", "mrz")
CARD_W, CARD_H = 1012, 638  # ID-1 at 300 dpi
FRAME_W, FRAME_H = 1600, 1200


def date(rng: np.random.Generator, style: int) -> str:
    d, m, y = int(rng.integers(1, 29)), int(rng.integers(1, 13)), int(rng.integers(1950, 2035))
    return (f"{d:02d}.{m:02d}.{y}", f"{d:02d} {MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}",
            f"{d:02d}/{m:02d}/{y}")[style]  # fmt: skip


def document_number(rng: np.random.Generator) -> str:
    letters = int(rng.integers(1, 3))
    head = "".join(rng.choice(list("ABCDEFGHJKLMNPRSTUVWXYZ"), letters))
    return head + "".join(str(d) for d in rng.integers(0, 10, 9 - letters))


def guilloche(rng: np.random.Generator) -> np.ndarray:
    """(CARD_H, CARD_W) float32 in [0, 1]: families of fine wavy lines, as under a card's print."""
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    out = np.zeros((CARD_H, CARD_W), np.float32)
    for _ in range(int(rng.integers(3, 7))):
        freq, amp, phase = rng.uniform(0.01, 0.04), rng.uniform(10, 40), rng.uniform(0, 6)
        for y0 in range(0, CARD_H, int(rng.integers(25, 60))):
            dist = np.abs(yy - (y0 + amp * np.sin(freq * xx + phase + y0 * 0.05)))
            out = np.maximum(out, np.clip(1.2 - dist, 0, 1))
    return out


def td1_zone(number: str, surname: str, given: str) -> list[str]:
    """A TD1 zone for the card: the document number with its check digit on line 1, fixed
    dates on line 2, the names on line 3."""
    return [f"I<UTO{number}{check_digit(number)}".ljust(30, "<"), "7408122F3104159UTO<<<<<<<<<<<6",
            f"{surname}<<{given.upper()}".ljust(30, "<")[:30]]  # fmt: skip


Words = list[tuple[str, str]]  # (text, kind) of each word on a card


def card_face(rng: np.random.Generator, index: int, fonts: list[Path]) -> tuple[np.ndarray, Words]:
    """The card (CARD_H, CARD_W, 3) RGB uint8 and its words."""
    ramp = np.linspace(0, 1, CARD_W)[None, :, None]
    tint_a, tint_b = rng.uniform(170, 250, 3), rng.uniform(170, 250, 3)
    ink = rng.uniform(120, 220, 3)
    face = np.repeat(tint_a * (1 - ramp) + tint_b * ramp, CARD_H, 0)
    lines = 0.5 * guilloche(rng)[..., None]
    im = Image.fromarray((face * (1 - lines) + ink * lines).clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    words: list[tuple[str, str]] = []
    header = f"{STATES[index % 4]}  {TITLES[(index // 4) % 4]}"
    if rng.integers(0, 2):  # light on a dark band
        d.rectangle([0, 0, CARD_W, 70], fill=tuple(int(v) for v in rng.uniform(20, 90, 3)))
        colour = (255, 255, 255)
    else:
        colour = tuple(int(v) for v in rng.uniform(10, 80, 3))
    bold = ImageFont.truetype(str(pick_font(fonts, "sans-bold")), int(rng.integers(26, 34)))
    d.text((30, 16), header, font=bold, fill=colour)
    words += [(w, "header") for w in header.split()]
    d.rectangle([40, 110, 290, 430], fill=(150, 150, 160), outline=(90, 90, 90), width=2)  # photo
    d.ellipse([90, 160, 240, 330], fill=(120, 110, 105))
    wave = 470 + 12 * np.sin(np.linspace(0, 12, 40)) + rng.normal(0, 3, 40)
    signature = np.stack([np.linspace(60, 260, 40), wave], 1)
    d.line([tuple(p) for p in signature], fill=(20, 20, 80), width=2)
    surname, given, number = str(rng.choice(SURNAMES)), str(rng.choice(GIVEN)), document_number(rng)
    fields = [("Surname", surname, "name"), ("Given names", given, "name"),
              ("Date of birth", date(rng, index % 4), "date"),
              ("Place of birth", str(rng.choice(PLACES)), "value"),
              ("Sex", str(rng.choice(["F", "M"])), "value"), ("Document No.", number, "number"),
              ("Date of expiry", date(rng, (index + 1) % 4), "date")]  # fmt: skip
    label_px, value_px = int(rng.integers(16, 22)), int(rng.integers(24, 32))
    label_font = ImageFont.truetype(str(pick_font(fonts, str(rng.choice(LABEL_FACES)))), label_px)
    value_font = ImageFont.truetype(str(pick_font(fonts, str(rng.choice(VALUE_FACES)))), value_px)
    for k, (label, value, kind) in enumerate(fields):
        x, y = (320, 95 + 80 * k) if k < 4 else (660, 95 + 80 * (k - 3))
        d.text((x, y), label, font=label_font, fill=(70, 70, 90))
        d.text((x, y + label_px + 4), value, font=value_font, fill=(10, 10, 25))
        words += [(w, "label") for w in label.split()] + [(w, kind) for w in value.split()]
    if index % 2 == 0:
        mono = ImageFont.truetype(str(pick_font(fonts, "mono")), 28)
        for k, line in enumerate(td1_zone(number, surname, given)):
            d.text((40, 510 + 34 * k), line, font=mono, fill=(20, 20, 20))
            words.append((line, "mrz"))
    return np.asarray(im), words


def photograph(card: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The card in a phone photo: (FRAME_H, FRAME_W, 3) RGB uint8 (see the module)."""
    background = rng.normal(rng.uniform(40, 160), 15, (FRAME_H, FRAME_W, 3))
    background = cv2.GaussianBlur(background.clip(0, 255).astype(np.uint8), (0, 0), 4)
    width = FRAME_W * rng.uniform(0.55, 0.9)
    height = width * CARD_H / CARD_W
    centre = np.array([FRAME_W / 2 + rng.uniform(-80, 80), FRAME_H / 2 + rng.uniform(-60, 60)])
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [width / 2, height / 2]
    angle = np.deg2rad(rng.uniform(-8, 8))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = corners @ turn.T + centre + rng.normal(0, 0.03 * width, (4, 2))
    flat = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    m = cv2.getPerspectiveTransform(flat, corners.astype(np.float32))
    warped = cv2.warpPerspective(card, m, (FRAME_W, FRAME_H))
    inside = cv2.warpPerspective(np.full(card.shape[:2], 255, np.uint8), m, (FRAME_W, FRAME_H))
    inside = inside[..., None] > 0
    yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W]
    spot_x, spot_y = rng.uniform(0, FRAME_W), rng.uniform(0, FRAME_H)
    spot = np.exp(-((xx - spot_x) ** 2 + (yy - spot_y) ** 2) / (2 * 350**2))
    light = rng.uniform(0.7, 0.95) + 0.3 * spot
    photo = (np.where(inside, warped, background) * light[..., None]).clip(0, 255).astype(np.uint8)
    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.5, 1.3))
    photo = (photo + rng.normal(0, rng.uniform(2, 7), photo.shape)).clip(0, 255).astype(np.uint8)
    quality = int(rng.integers(55, 90))
    _, jpeg = cv2.imencode(".jpg", photo[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    return np.ascontiguousarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR)[..., ::-1])


def card_photo(index: int, fonts: list[Path], seed: int = 0) -> tuple[np.ndarray, Words]:
    """Card ``index`` of set ``seed``, photographed: RGB uint8 image and its words (text, kind)."""
    rng = np.random.default_rng(1000 * (seed + 1) + index)
    face, words = card_face(rng, index, fonts)
    return photograph(face, rng), words


def score(read: list[str], words: Words) -> tuple[Counter, list[str], list[str]]:
    """Words read right per kind, the words missed and the readings left over (multiset match)."""
    left = Counter(read)
    right: Counter = Counter()
    missed = []
    for text, kind in words:
        if left[text] > 0:
            left[text] -= 1
            right[kind] += 1
        else:
            missed.append(text)
    return right, missed, list(left.elements())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cards", type=int, default=24, help="card photos (half with an MRZ)")
    p.add_argument("--seed", type=int, default=0, help="another set of cards")
    p.add_argument("--scale", type=float, default=1.0,
                   help="each photo resized by this (e.g. 0.5: an 800×600 photo, labels 5-11 px)")
    p.add_argument("--crop-sampling", choices=tuple(SAMPLINGS), default="lanczos",
                   help="how crops resample the page, as ocrkit run --crop-sampling")
    args, fonts = rendered_setup(p, argv)
    if not 0.1 <= args.scale <= 4:
        p.error(f"--scale must be in [0.1, 4], got {args.scale}")
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    pipeline = ocrkit.Pipeline(detector, load_crnn(args), crop_sampling=args.crop_sampling)
    right: Counter = Counter()
    total: Counter = Counter()
    seconds = 0.0
    for index in range(args.cards):
        image, words = card_photo(index, fonts, args.seed)
        if args.scale != 1.0:
            image = cv2.resize(image, None, fx=args.scale, fy=args.scale, interpolation=cv2.INTER_AREA)
        t0 = time.perf_counter()
        read = [w.text or "" for w in pipeline.read([image])[0]]
        seconds += time.perf_counter() - t0
        got, missed, extra = score(read, words)
        right.update(got)
        total.update(kind for _, kind in words)
        if missed:
            print(f"card {index}: missed {json.dumps(missed)}; read instead {json.dumps(extra)}")
    print(f"\nmachine: {json.dumps(machine())}; device {args.device}; precision {args.precision}; "
          f"seed {args.seed}; scale {args.scale:g}; crop sampling {args.crop_sampling}; "
          f"{seconds / max(args.cards, 1):.1f} s per card\n")
    print("| kind | " + " | ".join(k for k in KINDS if total[k]) + " | all |")
    print("| --- " * (sum(1 for k in KINDS if total[k]) + 2) + "|")
    cells = [f"{right[k]}/{total[k]}" for k in KINDS if total[k]]
    print(f"| read right | {' | '.join(cells)} | {sum(right.values())}/{sum(total.values())} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
