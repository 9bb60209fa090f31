"""ICDAR 2013/2015 text ground truth and ``res_<stem>.txt`` predictions.

GT lines: ``x1,y1,...,x4,y4,transcription`` (IC15; clockwise from top-left) or
``left,top,right,bottom,"transcription"`` (IC13, space- or comma-separated). The transcription may
contain commas: the numbers are split off the front and the rest is the text. ``###`` marks a
don't-care region. Files may carry a UTF-8 BOM and CRLF line ends.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..types import Detection, GroundTruth, Word
from .base import DatasetError, DetectionSample, image_files, pick_folder, read_text_lines

DONT_CARE = "###"
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def parse_line(line: str, path: Path, number: int, *, text: bool = True) -> tuple[np.ndarray, str | None]:
    """One GT/prediction line → (polygon float32 (K, 2), transcription or None).

    Raises:
        DatasetError: naming ``path`` and the 1-based line ``number``.
    """
    if "," not in line and re.match(r"^\s*-?\d+\s+-?\d+\s+-?\d+\s+-?\d+", line):
        line = re.sub(r"^(\s*-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*", r"\1,\2,\3,\4,", line)
    fields = line.split(",")
    numbers: list[float] = []
    while fields and _NUMBER.match(fields[0]):
        numbers.append(float(fields[0]))
        last = fields.pop(0)
    if len(numbers) % 2 and not fields:
        # An odd count of numbers: the last one is a numeric transcription ("...,669,153,154"),
        # kept as written ("007", "7.950": not re-formatted from the float).
        numbers.pop()
        fields = [last.strip()]
    transcription = _unquote(",".join(fields)) if fields else None
    if len(numbers) == 4:
        left, top, right, bottom = numbers  # IC13 "LTRB"
        if right < left or bottom < top:
            raise DatasetError(f"{path}:{number}: box has right < left or bottom < top")
        numbers = [left, top, right, top, right, bottom, left, bottom]
    if len(numbers) < 6 or len(numbers) % 2:
        raise DatasetError(
            f"{path}:{number}: expected x1,y1,...,xn,yn[,text] with n ≥ 3, got {line.strip()[:60]!r}"
        )
    poly = np.array(numbers, dtype=np.float32).reshape(-1, 2)
    return poly, (transcription if text else None)


def read_gt_file(path: Path) -> list[GroundTruth]:
    """All regions of one ICDAR GT file (``###`` → ignore=True)."""
    out = []
    for number, line in enumerate(read_text_lines(path), 1):
        if not line.strip():
            continue
        poly, text = parse_line(line, path, number)
        out.append(GroundTruth(poly, text, ignore=(text == DONT_CARE)))
    return out


def read_prediction_file(path: Path) -> list[Word]:
    """A ``res_<stem>.txt`` file (``ocrkit run --format icdar``); texts None when absent."""
    words = []
    for number, line in enumerate(read_text_lines(path), 1):
        if not line.strip():
            continue
        poly, text = parse_line(line, path, number)
        words.append(Word(poly, text, 1.0, None if text is None else 1.0))
    return words


def as_detections(words: list[Word]) -> list[Detection]:
    return [Detection(w.polygon, w.detection_score) for w in words]


def _gt_for(gt_dir: Path, stem: str) -> Path | None:
    for name in (f"gt_{stem}.txt", f"{stem}.txt"):
        if (gt_dir / name).is_file():
            return gt_dir / name
    return None


def load_icdar(
    data: Path | None = None, images: Path | None = None, gt: Path | None = None
) -> list[DetectionSample]:
    """ICDAR 2013/2015 localisation sets: ``gt_<stem>.txt`` (or ``<stem>.txt``) per image."""
    if data is not None:
        images = images or pick_folder(
            data, ("ch4_test_images", "ch4_training_images", "Challenge2_Test_Task12_Images",
                   "images", "imgs"), "image")  # fmt: skip
        gt = gt or pick_folder(
            data, ("Challenge4_Test_Task1_GT", "ch4_training_localization_transcription_gt",
                   "Challenge2_Test_Task1_GT", "gt", "annotations"), "ground-truth")  # fmt: skip
    if images is None or gt is None:
        raise DatasetError("give --data DIR, or both --images DIR and --gt DIR")
    samples = []
    for stem, path in sorted(image_files(images).items(), key=lambda kv: _natural(kv[0])):
        gt_path = _gt_for(gt, stem)
        if gt_path is None:
            raise DatasetError(f"{gt}: no ground truth for image {path.name} (gt_{stem}.txt)")
        samples.append(DetectionSample(stem, path, read_gt_file(gt_path)))
    return samples


def _natural(stem: str) -> list:
    """img_2 before img_10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", stem)]
