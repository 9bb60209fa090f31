"""Sample types and the small helpers every reader shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..io import IMAGE_EXTENSIONS
from ..types import GroundTruth


class DatasetError(ValueError):
    """Malformed or missing ground truth; the message names the file (and line)."""


@dataclass(frozen=True)
class DetectionSample:
    """One benchmark image and its labelled regions."""

    stem: str  # the image's stem: predictions are matched by `res_<stem>.txt`
    image: Path
    targets: list[GroundTruth] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class RecognitionSample:
    """One word and its transcription: a cropped image, or a region of a larger image."""

    image: Path
    text: str
    region: np.ndarray | None = None  # float32 (4, 2) quad in ``image`` to cut the word from


def read_text_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 text file (BOM removed, CRLF or LF); a clear error if unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for encoding in ("utf-8-sig", "latin-1"):  # a few old GT files are not UTF-8
        try:
            return raw.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise DatasetError(f"{path}: not a text file")  # pragma: no cover - latin-1 always decodes


def find_image(folder: Path, stem: str) -> Path | None:
    """The image file named ``stem`` with any image extension in ``folder``, or None."""
    for ext in sorted(IMAGE_EXTENSIONS):
        for candidate in (folder / f"{stem}{ext}", folder / f"{stem}{ext.upper()}"):
            if candidate.is_file():
                return candidate
    return None


def image_files(folder: Path) -> dict[str, Path]:
    """Stem → image path for the images directly inside ``folder``."""
    if not folder.is_dir():
        raise DatasetError(f"{folder}: image folder not found")
    return {
        p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() in IMAGE_EXTENSIONS
    }


def pick_folder(root: Path, candidates: tuple[str, ...], what: str) -> Path:
    """The first of ``candidates`` that exists under ``root`` (the dataset as distributed)."""
    for name in candidates:
        if (root / name).is_dir():
            return root / name
    raise DatasetError(
        f"{root}: no {what} folder (looked for {', '.join(candidates)}); "
        "name the folders with --images DIR --gt DIR"
    )
