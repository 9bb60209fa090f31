"""Cropped-word datasets for recognition.

* ``crops``: a folder with a label file; each line names an image (relative to the label file)
  and its text, either ICDAR style ``word_1.png, "Text"`` or tab/space separated
  ``path<TAB or space>text`` (IIIT5K's ``test.tags``). Label files looked for, in order:
  ``labels.txt``, ``gt.txt``, ``*.tags``, ``*GT*.txt``; one may be named with ``--gt FILE``.
* ``iiit5k``: IIIT5K's ``testCharBound.mat`` / ``trainCharBound.mat`` (``ImgName``, ``chars``).
* ``icdar2015_words``: the ICDAR 2015 word crops (``Challenge4_Test_Task3_GT.txt`` or ``gt.txt``,
  images in ``ch4_*_word_images_gt/``).
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import DatasetError, RecognitionSample, read_text_lines

_ICDAR_LINE = re.compile(r'^\s*([^,]+?)\s*,\s*"(.*)"\s*$')


def parse_label_file(path: Path, root: Path | None = None) -> list[RecognitionSample]:
    """Lines ``name, "text"`` or ``name<whitespace>text`` → samples (paths relative to ``root``)."""
    root = root or path.parent
    out = []
    for number, line in enumerate(read_text_lines(path), 1):
        if not line.strip():
            continue
        m = _ICDAR_LINE.match(line)
        if m:
            name, text = m.group(1), m.group(2).replace('\\"', '"').replace("\\\\", "\\")
        else:
            parts = line.split("\t", 1) if "\t" in line else line.strip().split(None, 1)
            if len(parts) != 2:
                raise DatasetError(f"{path}:{number}: expected 'image, \"text\"' or 'image<TAB>text'")
            name, text = parts[0].strip(), parts[1]
        image = root / name
        if not image.is_file():
            raise DatasetError(f"{path}:{number}: image {name!r} not found under {root}")
        out.append(RecognitionSample(image, text))
    return out


def _label_file(folder: Path) -> Path:
    for pattern in ("labels.txt", "gt.txt", "*.tags", "*GT*.txt", "*gt*.txt"):
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    raise DatasetError(f"{folder}: no label file (labels.txt, gt.txt, *.tags, *GT*.txt); use --gt FILE")


def load_crops(data: Path | None = None, images: Path | None = None, gt: Path | None = None):
    """A crop + label folder; ``--gt`` may name the label file, ``--images`` the crops' root."""
    if gt is not None and gt.is_file():
        return parse_label_file(gt, images or gt.parent)
    folder = data or gt or images
    if folder is None:
        raise DatasetError("give --data DIR (or --gt LABEL_FILE)")
    label = _label_file(folder)
    return parse_label_file(label, images or label.parent)


def load_icdar2015_words(data: Path | None = None, images: Path | None = None, gt: Path | None = None):
    """ICDAR 2015 Task 4.3 crops as distributed (test: GT file beside the image folder)."""
    if gt is not None and gt.is_file():
        return parse_label_file(gt, images or gt.parent)
    if data is None:
        raise DatasetError("give --data DIR, or --gt FILE [--images DIR]")
    for label in sorted(data.glob("*GT*.txt")) + sorted(data.glob("*/gt.txt")):
        folder = images or next(iter(sorted(data.glob("ch4_*word_images*"))), label.parent)
        if label.name == "gt.txt":
            folder = images or label.parent
        return parse_label_file(label, folder)
    raise DatasetError(f"{data}: no Challenge4_Test_Task3_GT.txt or */gt.txt found")


def load_iiit5k(data: Path | None = None, images: Path | None = None, gt: Path | None = None):
    """IIIT5K from ``testCharBound.mat`` (or ``trainCharBound.mat``); labels are case-sensitive."""
    import scipy.io

    mat = gt if gt is not None and gt.is_file() else None
    root = images or data
    if mat is None and data is not None:
        found = sorted(data.glob("*CharBound.mat")) or sorted(data.glob("*.mat"))
        mat = found[0] if found else None
    if mat is None or root is None:
        raise DatasetError("give --data DIR holding testCharBound.mat and test/")
    try:
        content = scipy.io.loadmat(str(mat))
    except Exception as exc:
        raise DatasetError(f"{mat}: cannot read .mat file ({exc})") from None
    key = next((k for k in content if k.endswith("CharBound") or k in ("testdata", "traindata")), None)
    if key is None:
        raise DatasetError(f"{mat}: no *CharBound / testdata table inside")
    table = content[key].ravel()
    out = []
    for k, row in enumerate(table):
        try:
            name, text = str(row["ImgName"].ravel()[0]), str(row["chars"].ravel()[0])
        except (KeyError, IndexError, ValueError):
            raise DatasetError(f"{mat}: entry {k} lacks ImgName/chars") from None
        image = root / name
        if not image.is_file():
            raise DatasetError(f"{mat}: entry {k}: image {name!r} not found under {root}")
        out.append(RecognitionSample(image, text))
    return out
