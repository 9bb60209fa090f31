"""Synthetic word crops for CRNN training: many fonts, sizes, contrasts, slants, curves, blur,
noise and JPEG artefacts. Numpy/cv2/PIL only; item i is a pure function of (seed, i).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=256)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if not path:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def random_text(rng: np.random.Generator, charset: str, vocab: Sequence[str] = ()) -> str:
    """A word from ``vocab`` (half the time, when given) or a random string shaped like words,
    numbers, codes and prices, restricted to ``charset``."""
    if vocab and rng.random() < 0.5:
        text = vocab[int(rng.integers(len(vocab)))]
    else:
        kind = rng.random()
        n = int(rng.integers(1, 11))
        if kind < 0.45:
            word = "".join(rng.choice(list(LETTERS), n))
            style = rng.random()
            text = word.upper() if style < 0.25 else word.capitalize() if style < 0.55 else word
        elif kind < 0.65:
            text = "".join(rng.choice(list("0123456789"), n))
            if rng.random() < 0.4:
                text = f"{text[:-2] or '0'}.{text[-2:]}" if len(text) > 2 else text
        elif kind < 0.8:
            pool = [c for c in charset if c.isalnum()]
            text = "".join(rng.choice(pool, n))
        else:
            pool = list(charset.replace(" ", ""))
            text = "".join(rng.choice(pool, n))
    text = "".join(c for c in text if c in charset).strip()
    return text or "a"


def render_word(text: str, rng: np.random.Generator, fonts: Sequence[Path]) -> np.ndarray:
    """A grey uint8 crop of ``text`` with random style and degradations."""
    font_path = str(fonts[int(rng.integers(len(fonts)))]) if fonts and rng.random() < 0.9 else ""
    size = int(rng.integers(22, 60))
    font = _font(font_path, size)
    fg, bg = _colours(rng)
    left, top, right, bottom = font.getbbox(text)
    pad = int(size * rng.uniform(0.1, 0.5))
    canvas = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), bg)
    ImageDraw.Draw(canvas).text((pad - left, pad - top), text, fill=fg, font=font)
    img = np.asarray(canvas)
    img = _geometry(img, rng, bg)
    return _degrade(img, rng)


def _colours(rng: np.random.Generator) -> tuple[int, int]:
    while True:
        fg, bg = (int(v) for v in rng.integers(0, 256, 2))
        if abs(fg - bg) >= 60:
            return fg, bg


def _geometry(img: np.ndarray, rng: np.random.Generator, bg: int) -> np.ndarray:
    h, w = img.shape
    r = rng.random()
    if r < 0.35:  # rotation / shear / perspective
        jitter = rng.uniform(-0.08, 0.08, (4, 2)) * [w, h]
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = (src + jitter).astype(np.float32)
        dst -= dst.min(axis=0)
        out_w, out_h = (int(v) + 1 for v in dst.max(axis=0))
        m = cv2.getPerspectiveTransform(src, dst)
        img = cv2.warpPerspective(img, m, (out_w, out_h), borderValue=bg)
    elif r < 0.5:  # curved baseline: shift columns along a sine
        amp = rng.uniform(0.05, 0.2) * h
        ys = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1)
        xs = np.arange(w, dtype=np.float32)[None, :].repeat(h, 0)
        ys = ys + amp * np.sin(2 * np.pi * xs / max(w, 1) * rng.uniform(0.5, 1.5) + rng.uniform(0, 6))
        img = cv2.remap(img, xs, ys.astype(np.float32), cv2.INTER_LINEAR, borderValue=bg)
    return img


def _degrade(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.3:
        k = int(rng.choice([3, 5]))
        img = cv2.GaussianBlur(img, (k, k), 0)
    if rng.random() < 0.3:  # low resolution
        f = rng.uniform(0.3, 0.7)
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.3:
        noise = rng.normal(0, rng.uniform(3, 15), img.shape)
        img = np.clip(img.astype(np.float64) + noise, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, format="JPEG", quality=int(rng.integers(20, 90)))
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return np.ascontiguousarray(img)
