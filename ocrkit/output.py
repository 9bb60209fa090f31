"""Result writers for ``ocrkit run``: JSON, ICDAR ``res_<stem>.txt``, plain text, overlays."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .lines import words_direction
from .reading_order import group_lines
from .types import Image, Word


def result_dict(
    path: str, size: tuple[int, int], words: Sequence[Word], page: int | None = None
) -> dict:
    """The JSON record of one image of ``size`` (height, width) pixels (schema in the README);
    ``page`` (from 1) for a page of a multi-page file, left out otherwise."""
    return {
        "image": path,
        **({} if page is None else {"page": page}),
        "width": int(size[1]),
        "height": int(size[0]),
        "words": [w.to_dict() for w in words],
    }


def icdar_lines(words: Sequence[Word]) -> list[str]:
    """``x1,y1,...,xn,yn`` (integer pixels, clockwise) plus ``,"text"`` when text was read.

    Coordinates are truncated toward zero, as the official CRAFT ``saveResult`` writes them
    (``astype(int32)``), so files compare byte for byte with the reference's. Quotes and
    backslashes in the text are escaped as the ICDAR evaluation scripts expect.
    """
    lines = []
    for w in words:
        ints = np.asarray(w.polygon, dtype=np.float64).reshape(-1).astype(np.int64)
        coords = ",".join(str(int(v)) for v in ints)
        if w.text is not None:
            text = w.text.replace("\\", "\\\\").replace('"', '\\"')
            coords += f',"{text}"'
        lines.append(coords)
    return lines


def as_submitted(words: Sequence[Word]) -> list[Word]:
    """The words as an ICDAR results file holds them: coordinates truncated to whole pixels
    (what ``icdar_lines`` writes). Scoring these gives the figures the official pipeline
    (detector → ``res_*.txt`` → evaluation script) gives."""
    return [Word(np.trunc(np.asarray(w.polygon, np.float64)).astype(np.float32), w.text,
                 w.detection_score, w.recognition_score) for w in words]  # fmt: skip


def text_lines(words: Sequence[Word]) -> list[str]:
    """Words joined into lines, in the order given (the pipeline's reading order, in which an
    upside-down image's words come reversed); polygons instead of text without a recogniser."""
    if words and words[0].text is None:
        return icdar_lines(words)
    groups = sorted((sorted(g) for g in group_lines(_along_text(words))), key=lambda g: g[0])
    return [" ".join(words[i].text or "" for i in line) for line in groups]


def _along_text(words: Sequence[Word]) -> list[np.ndarray]:
    """The words' polygons, turned so their text runs rightward where it runs more than 45°
    from it: a page read sideways (detected again upright, ``ocrkit.turned``) gives words whose
    first edge, top-left to top-right of the text, is vertical in the image, and line grouping
    follows skews within ±45° only."""
    x, y = words_direction(words)
    angle = np.arctan2(y, x)
    if abs(angle) <= np.pi / 4:
        return [w.polygon for w in words]
    c, s = np.cos(angle), np.sin(angle)
    back = np.array([[c, s], [-s, c]])  # rotation by −angle, applied to row vectors as p @ back.T
    return [np.asarray(w.polygon, np.float64) @ back.T for w in words]


def draw_overlay(image: Image, words: Sequence[Word], path: Path) -> None:
    """Write a PNG of ``image`` with each polygon outlined and its text written above it."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    canvas = PILImage.fromarray(image).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    size = max(12, min(image.shape[:2]) // 60)
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one fixed-size default font
        font = ImageFont.load_default()
    width = max(1, min(image.shape[:2]) // 400)
    for w in words:
        pts = [(float(x), float(y)) for x, y in w.polygon]
        draw.line(pts + [pts[0]], fill=(255, 0, 0), width=width)
        if w.text:
            x = min(p[0] for p in pts)
            y = min(p[1] for p in pts) - size - 2
            box = draw.textbbox((x, y), w.text, font=font)
            draw.rectangle(box, fill=(255, 255, 255))
            draw.text((x, y), w.text, fill=(0, 0, 160), font=font)
    canvas.save(path, format="PNG")


def write_json(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
