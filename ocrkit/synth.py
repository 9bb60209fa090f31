"""Synthetic text pages with exact character quads, for training CRAFT from scratch.

A page is a background (flat + noise, gradient, smooth texture, ruled document, or an ID-card-like
layout), lines of words in random fonts/sizes/colours (some on a curved baseline, drawn letter by
letter), then a global rotation + perspective and blur/noise/JPEG. Character quads are tracked
through every step, so region/affinity labels are exact. Item i is a pure function of (seed, i).
"""

from __future__ import annotations

import io
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

CHARS = string.ascii_letters + string.digits + "$%&()-.,:/#@!?+"
FONT_PX = (10, 72)  # font size range in pixels on the page, drawn log-uniformly


@dataclass
class SynthWord:
    text: str
    chars: np.ndarray  # float32 (n, 4, 2): TL, TR, BR, BL of each non-space character

    @property
    def quad(self) -> np.ndarray:
        """The word's quad: the min-area rectangle of its characters, clockwise from top-left."""
        from ocrkit.geometry import order_quad

        return order_quad(cv2.boxPoints(cv2.minAreaRect(self.chars.reshape(-1, 2).astype(np.float32))))


@dataclass
class SynthPage:
    image: np.ndarray  # RGB uint8 (H, W, 3)
    words: list[SynthWord]


@lru_cache(maxsize=256)
def _font(path: str, size: int):
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _word(rng: np.random.Generator) -> str:
    n = int(rng.integers(1, 11))
    kind = rng.random()
    if kind < 0.6:
        w = "".join(rng.choice(list(string.ascii_lowercase), n))
        return w.upper() if rng.random() < 0.3 else w.capitalize() if rng.random() < 0.5 else w
    if kind < 0.85:
        return "".join(rng.choice(list(string.digits + "-./:"), n)).strip("-./:") or "0"
    return "".join(rng.choice(list(CHARS), n))


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    kind = rng.integers(5)
    base = rng.integers(0, 256, 3).astype(np.float64)
    if kind == 0:  # flat + noise
        img = np.ones((h, w, 3)) * base + rng.normal(0, rng.uniform(0, 20), (h, w, 1))
    elif kind == 1:  # gradient
        other = rng.integers(0, 256, 3)
        t = np.linspace(0, 1, w if rng.random() < 0.5 else h)
        ramp = t[None, :, None] if len(t) == w else t[:, None, None]
        img = base * (1 - ramp) + other * ramp + np.zeros((h, w, 3))
    elif kind == 2:  # smooth texture
        small = rng.normal(0, 1, (max(2, h // 32), max(2, w // 32), 3))
        img = base + 20 * cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    elif kind == 3:  # document page with ruled lines
        img = np.ones((h, w, 3)) * rng.uniform(225, 255)
        step = int(rng.integers(20, 60))
        img[::step] -= rng.uniform(20, 80)
    else:  # card: a rounded panel with a coloured band
        img = np.ones((h, w, 3)) * rng.integers(150, 256, 3)
        band = int(h * rng.uniform(0.1, 0.25))
        img[:band] = rng.integers(0, 200, 3)
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), rng.integers(0, 255, 3).tolist(), int(rng.integers(1, 6)))
    return np.clip(img, 0, 255).astype(np.uint8)


def _draw_line(canvas: Image.Image, rng, font, x: float, y: float, words: Sequence[str], colour,
               curve: float, width_limit: float) -> list[SynthWord]:  # fmt: skip
    """Draw words letter by letter along y + curve·sin(x); returns their character quads."""
    draw = ImageDraw.Draw(canvas)
    out = []
    space = font.getlength(" ")
    period = rng.uniform(200, 800)
    for text in words:
        if x + font.getlength(text) > width_limit:
            break
        chars = []
        for ch in text:
            advance = font.getlength(ch)
            dy = curve * np.sin(2 * np.pi * x / period)
            left, top, right, bottom = font.getbbox(ch)
            draw.text((x, y + dy), ch, fill=colour, font=font)
            if ch.strip() and right > left and bottom > top:
                chars.append([[x + left, y + dy + top], [x + right, y + dy + top],
                              [x + right, y + dy + bottom], [x + left, y + dy + bottom]])  # fmt: skip
            x += advance
        if chars:
            out.append(SynthWord("".join(c for c in text if c.strip()), np.array(chars, np.float32)))
        x += space * rng.uniform(1.0, 2.5)
    return out


def render_page(rng: np.random.Generator, fonts: Sequence[Path], size: tuple[int, int] = (768, 768)) -> SynthPage:
    """One synthetic page (see the module docstring)."""
    h, w = size
    bg = _background(rng, h, w)
    canvas = Image.fromarray(bg)
    words: list[SynthWord] = []
    y = rng.uniform(5, 60)
    while y < h - 20:
        font_path = str(fonts[int(rng.integers(len(fonts)))]) if fonts and rng.random() < 0.9 else ""
        # Log-uniform: as many lines at 10–20 px (forms, cards, distant scene text) as at 20–40 px
        # or 40–72 px. A uniform 14–72 px draw put most text far above document scale, and the
        # model learned to link characters across gaps as wide as small text's word spaces.
        fsize = int(np.exp(rng.uniform(*np.log(FONT_PX))))
        font = _font(font_path, fsize)
        region = bg[int(y) : int(y) + fsize, :].reshape(-1, 3).mean(axis=0)
        colour = tuple(int(v) for v in (255 - region + rng.integers(-40, 40, 3)).clip(0, 255))
        if abs(np.mean(colour) - region.mean()) < 60:
            colour = (0, 0, 0) if region.mean() > 127 else (255, 255, 255)
        curve = fsize * rng.uniform(0.2, 0.8) if rng.random() < 0.2 else 0.0
        line = [_word(rng) for _ in range(int(rng.integers(1, 7)))]
        x = rng.uniform(5, w * 0.4)
        words += _draw_line(canvas, rng, font, x, y, line, colour, curve, w - 5)
        y += fsize * rng.uniform(1.3, 3.0)
    image = np.asarray(canvas)
    image, words = _transform(image, words, rng)
    return SynthPage(_degrade(image, rng), words)


def _transform(image: np.ndarray, words: list[SynthWord], rng) -> tuple[np.ndarray, list[SynthWord]]:
    """Random rotation (±15°) and perspective, applied to the image and every character quad."""
    h, w = image.shape[:2]
    angle = rng.uniform(-15, 15) if rng.random() < 0.5 else 0.0
    rot = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-0.06, 0.06, (4, 2)) * [w, h] if rng.random() < 0.4 else np.zeros((4, 2))
    persp = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
    m = persp @ rot
    out = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    moved = []
    for word in words:
        pts = cv2.perspectiveTransform(word.chars.reshape(-1, 1, 2).astype(np.float64), m)
        chars = pts.reshape(-1, 4, 2).astype(np.float32)
        centres = chars.mean(axis=1)
        # Keep words with any character on the page: their labels are clipped, and dropping
        # them would teach the model that visible text is background.
        if ((centres >= 0) & (centres < [w, h])).all(axis=1).any():
            moved.append(SynthWord(word.text, chars))
    return out, moved


def _degrade(image: np.ndarray, rng) -> np.ndarray:
    if rng.random() < 0.3:
        image = cv2.GaussianBlur(image, (3, 3), rng.uniform(0.3, 1.2))
    if rng.random() < 0.3:
        image = np.clip(image + rng.normal(0, rng.uniform(2, 10), image.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.4:
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format="JPEG", quality=int(rng.integers(30, 95)))
        image = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return np.ascontiguousarray(image)


def write_page(page: SynthPage, out_dir: Path, stem: str) -> None:
    """``<stem>.jpg``, ``gt_<stem>.txt`` (ICDAR 2015 word quads + text) and ``chars_<stem>.txt``
    (one line per character: word index, character, x1,y1,…,x4,y4)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    Image.fromarray(page.image).save(out_dir / f"{stem}.jpg", quality=95)
    gt, chars = [], []
    for k, word in enumerate(page.words):
        q = np.round(word.quad).astype(int).reshape(-1)
        gt.append(",".join(map(str, q)) + f",{word.text}")
        for ch, cq in zip(word.text, word.chars):
            chars.append(f"{k}\t{ch}\t" + ",".join(f"{v:.1f}" for v in cq.reshape(-1)))
    (out_dir / f"gt_{stem}.txt").write_text("\n".join(gt) + "\n", encoding="utf-8")
    (out_dir / f"chars_{stem}.txt").write_text("\n".join(chars) + "\n", encoding="utf-8")


def generate(count: int, out_dir: Path, seed: int = 0, fonts_dir: str | None = None,
             size: tuple[int, int] = (768, 768)) -> int:  # fmt: skip
    """Write ``count`` pages to ``out_dir`` (``synth_00000.jpg`` …); returns the word count."""
    from ocrkit.fonts import find_fonts

    fonts = find_fonts([fonts_dir] if fonts_dir else [])
    total = 0
    for i in range(count):
        page = render_page(np.random.default_rng((seed, i)), fonts, size)
        write_page(page, out_dir, f"synth_{i:05d}")
        total += len(page.words)
    return total
