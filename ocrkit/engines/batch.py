"""One batch of files → words, with per-file failures: the unit of work of every engine."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..io import ImageError, InputPage, check_file, read_image
from ..pipeline import Pipeline, check_image
from ..types import Image, Word


@dataclass(frozen=True)
class PageOf:
    """Page ``page`` (from 0) of a file given as its path or its bytes (a PDF's rendered at
    ``dpi``; None: its scan's own resolution, see :func:`ocrkit.read_image`)."""

    source: str | os.PathLike[str] | bytes
    page: int = 0
    dpi: float | None = None


# A source is what a worker decodes: a path it can open, the file's bytes read elsewhere (the
# Ray engine ships bytes so that workers on other nodes need no shared filesystem), one page of
# either, or an already decoded RGB uint8 (H, W, 3) array.
Source = str | os.PathLike[str] | bytes | PageOf | np.ndarray


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file.

    ``words`` is None exactly when ``error`` (one line naming the file) is set. ``size`` is
    (height, width) of the decoded image. ``image`` is kept only where the caller needs the
    pixels again (overlays); workers drop it before sending results back.
    """

    name: str
    size: tuple[int, int] | None
    words: list[Word] | None
    error: str | None = None
    image: Image | None = None

    def without_image(self) -> FileResult:
        return replace(self, image=None)


def read_files(pipeline: Pipeline, items: Sequence[tuple[str, Source]]) -> list[FileResult]:
    """Decode and read ``(name, source)`` items as one batch, in order.

    A file that cannot be decoded fails alone. If the batch fails in the models, it is re-run
    image by image so that only the file that breaks them is reported.
    """
    return read_decoded(pipeline, decode_files(items))


@dataclass(frozen=True)
class Decoded:
    """A batch after decoding: per item its name and either the image or the failure."""

    names: list[str]
    images: dict[int, Image]  # item index → RGB uint8 (H, W, 3)
    failures: dict[int, str]  # item index → one-line error naming the file


def decode_files(items: Sequence[tuple[str, Source]]) -> Decoded:
    """The decoding half of :func:`read_files` (no models: safe in a prefetch thread)."""
    images: dict[int, Image] = {}
    failures: dict[int, str] = {}
    for i, (name, source) in enumerate(items):
        try:
            if isinstance(source, np.ndarray):
                images[i] = check_image(source)
            elif isinstance(source, PageOf):
                images[i] = read_image(source.source, name=name, page=source.page, dpi=source.dpi)
            else:
                images[i] = read_image(source, name=name)
        except (ImageError, TypeError, ValueError) as exc:
            failures[i] = str(exc) if isinstance(exc, ImageError) else f"{name}: {exc}"
    return Decoded([name for name, _ in items], images, failures)


def read_decoded(pipeline: Pipeline, batch: Decoded) -> list[FileResult]:
    """The model half of :func:`read_files`: results for every item, in order."""
    results: dict[int, FileResult] = {
        i: FileResult(batch.names[i], None, None, message) for i, message in batch.failures.items()
    }
    decoded = sorted(batch.images.items())
    for i, words, error in _read_decoded(pipeline, decoded, batch.names):
        image = batch.images[i]
        size = (int(image.shape[0]), int(image.shape[1]))
        results[i] = FileResult(batch.names[i], size, words, error, image)
    return [results[i] for i in range(len(batch.names))]


def _read_decoded(pipeline: Pipeline, decoded: list[tuple[int, Image]], names: list[str]):
    if not decoded:
        return
    try:
        per_image = pipeline.read([image for _, image in decoded])
    except Exception as exc:
        if len(decoded) == 1:
            i = decoded[0][0]
            yield i, None, f"{names[i]}: {one_line(exc)}"
            return
        for item in decoded:
            yield from _read_decoded(pipeline, [item], names)
        return
    for (i, _), words in zip(decoded, per_image):
        yield i, words, None


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` — how a failure of the models is reported."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def input_source(item: InputPage, data: bytes | None = None, dpi: float | None = None) -> Source:
    """What a worker decodes for ``item``: its page of its path (or of ``data``, the file's
    bytes), a PDF's rendered at ``dpi``."""
    return PageOf(item.path if data is None else data, item.page, dpi)


def read_source(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, with the same one-line errors as :func:`ocrkit.read_image` gives."""
    p = Path(path)
    check_file(p)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ImageError(f"{p}: cannot read ({exc.strerror or exc})") from None


def pack_words(words: Sequence[Word]) -> list[tuple[np.ndarray, str | None, float, float | None]]:
    """Words as plain tuples (polygon, text, detection score, recognition score) for transport;
    plain data pickles the same way on every Python version and across processes."""
    return [(w.polygon, w.text, w.detection_score, w.recognition_score) for w in words]


def unpack_words(packed: Sequence[tuple]) -> list[Word]:
    return [Word(np.asarray(p, dtype=np.float32), t, float(d), r) for p, t, d, r in packed]
