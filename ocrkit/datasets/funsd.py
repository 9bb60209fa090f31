"""FUNSD forms: ``annotations/<stem>.json`` beside ``images/<stem>.png``.

Word level (default): every ``form[].words[]`` box ``[left, top, right, bottom]`` with its text.
Entity level (``level="entity"``, alias ``"line"``): every ``form[]`` entry's box and text
(question, answer, header or other; usually one text line), the level to score line output
against (``ocrkit eval --level line`` selects it). A region whose text
is empty is kept as don't care (FUNSD labels some blank fields and marks).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..types import GroundTruth
from .base import DatasetError, DetectionSample, image_files, pick_folder

LEVELS = ("word", "entity", "line")  # "line" = "entity": FUNSD fields are line-like


def _box(raw: object, path: Path, where: str) -> np.ndarray:
    if not (isinstance(raw, list) and len(raw) == 4 and all(isinstance(v, (int, float)) for v in raw)):
        raise DatasetError(f"{path}: {where}: box must be [left, top, right, bottom], got {raw!r}")
    left, top, right, bottom = (float(v) for v in raw)
    if right < left or bottom < top:
        raise DatasetError(f"{path}: {where}: box has right < left or bottom < top: {raw!r}")
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)


def read_funsd_file(path: Path, level: str = "word") -> list[GroundTruth]:
    """Regions of one FUNSD annotation at ``level`` ("word" or "entity")."""
    if level not in LEVELS:
        raise DatasetError(f"FUNSD level must be one of {', '.join(LEVELS)}, got {level!r}")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("form"), list):
        raise DatasetError(f"{path}: expected an object with a 'form' list")
    out = []
    for k, entity in enumerate(data["form"]):
        if level in ("entity", "line"):
            items = [(entity, f"form[{k}]")]
        else:
            items = [(w, f"form[{k}].words[{m}]") for m, w in enumerate(entity.get("words", []))]
        for item, where in items:
            text = str(item.get("text", ""))
            out.append(GroundTruth(_box(item.get("box"), path, where), text, ignore=not text.strip()))
    return out


def load_funsd(
    data: Path | None = None,
    images: Path | None = None,
    gt: Path | None = None,
    level: str = "word",
) -> list[DetectionSample]:
    """FUNSD split folder (``training_data/`` or ``testing_data/``) or explicit folders."""
    if data is not None:
        images = images or pick_folder(data, ("images",), "image")
        gt = gt or pick_folder(data, ("annotations",), "annotation")
    if images is None or gt is None:
        raise DatasetError("give --data DIR, or both --images DIR and --gt DIR")
    samples = []
    for stem, path in sorted(image_files(images).items()):
        ann = gt / f"{stem}.json"
        if not ann.is_file():
            raise DatasetError(f"{gt}: no annotation for image {path.name} ({stem}.json)")
        samples.append(DetectionSample(stem, path, read_funsd_file(ann, level)))
    return samples


def load_funsd_words(data: Path | None = None, images: Path | None = None, gt: Path | None = None):
    """FUNSD word boxes as recognition samples (regions of the forms; empty texts skipped)."""
    from .base import RecognitionSample

    out = []
    for sample in load_funsd(data, images, gt):
        for target in sample.targets:
            if not target.ignore and target.text and target.text.strip():
                out.append(RecognitionSample(sample.image, target.text, target.polygon))
    return out
