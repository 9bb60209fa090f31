"""Image input: files or bytes → RGB uint8, the only place colour order and file formats are handled."""

from __future__ import annotations

import io as _io
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from .bilevel import is_bilevel
from .pdf import HEADER_WINDOW, PdfError, is_pdf, pdf_page_count, render_pdf_page
from .types import Image

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pbm", ".pgm", ".ppm",
     ".pdf"}
)  # fmt: skip
# Formats whose files may hold several pages: a PDF, a multi-page TIFF (faxes, scanned
# documents), an animated GIF or WebP. Only these are opened when inputs are listed, to count
# their pages.
MULTI_PAGE_EXTENSIONS = frozenset({".pdf", ".tif", ".tiff", ".gif", ".webp"})
# Above this many pixels an image is refused rather than decoded (a 20000×20000 scan, 400 MP, is
# allowed: about 1.2 GB as RGB). Override with OCRKIT_MAX_IMAGE_PIXELS.
DEFAULT_MAX_PIXELS = 1 << 30
# Pixels whose stated x and y densities differ by at most this share count as square: a fine
# fax's 204×196 dpi (4 %) read better as stored than with every 25th row repeated (FUNSD test
# forms 1-10, bench_fax.py: 979 against 960 of 1769 words). Above MAX_PIXEL_ASPECT the
# statement is taken as wrong.
SQUARE_TOLERANCE = 0.05
MAX_PIXEL_ASPECT = 4.0
SQUARE_FILTER = cv2.INTER_CUBIC
# A bi-level image (a fax) is squared by repeating its rows or columns, so that it stays
# bi-level and the pipeline softens its edges as it does any bi-level page (ocrkit.bilevel):
# FUNSD test forms 1-3 as normal-mode faxes read 233 words of 604 squared bicubically, 251
# squared so (bench_fax.py --limit 3 --modes normal --filters cubic,nearest).
BILEVEL_SQUARE_FILTER = cv2.INTER_NEAREST


class ImageError(ValueError):
    """An input that cannot be read as an image; ``str()`` is one line naming the file."""


def _max_pixels() -> int:
    raw = os.environ.get("OCRKIT_MAX_IMAGE_PIXELS")
    return int(raw) if raw else DEFAULT_MAX_PIXELS


def read_image(
    source: str | os.PathLike[str] | bytes | bytearray,
    *,
    name: str | None = None,
    page: int = 0,
    dpi: float | None = None,
    square_pixels: bool = True,
) -> Image:
    """Decode a file path or encoded bytes to an RGB uint8 (H, W, 3) array.

    EXIF orientation is applied; grey, palette, 16-bit and float images are converted; an alpha
    channel is composited onto white (dark text on a transparent background stays readable).
    ``square_pixels``: an image whose pixels are not square (a fax TIFF at 204×98 dpi, the
    file's resolution or aspect saying so) is resampled along its coarser axis to the finer
    one's resolution (bicubically; a bi-level image by repeating rows, so that it stays
    bi-level), so that letters have their printed shape; False keeps the stored pixels
    (ground truth given in them, as datasets' is).
    ``page``: which page of a multi-page file (a PDF's or TIFF's pages, a GIF's frames), from 0
    (:func:`page_count` says how many there are). A PDF page is rendered at ``dpi``, or (None)
    a scanned page at its scan's own resolution and other pages at 200 dpi (:mod:`ocrkit.pdf`;
    needs ``pip install 'ocrkit[pdf]'``).

    Raises:
        ImageError: one line naming the file (or ``name``/"<bytes>") and the problem.

    Example:
        >>> img = read_image("samples/page.png")  # doctest: +SKIP
    """
    label, opener = _opener(source, name)
    if is_pdf(_head(opener, label)):
        try:
            return render_pdf_page(_pdf_source(opener), page, dpi, _max_pixels())
        except (PdfError, ValueError) as exc:
            raise ImageError(f"{label}: {_one_line(exc)}") from None
        except Exception as exc:  # PDFium failing on one page's content
            raise ImageError(f"{label}: cannot render page {page + 1} ({_one_line(exc)})") from None
    # Our own pixel limit (below) replaces PIL's decompression-bomb guard for this call only.
    pil_limit, PILImage.MAX_IMAGE_PIXELS = PILImage.MAX_IMAGE_PIXELS, None
    try:
        with PILImage.open(opener) as im:
            if page:
                pages = getattr(im, "n_frames", 1)
                if not 0 <= page < pages:
                    raise ImageError(f"{label}: no page {page + 1} (the file has {pages})")
                im.seek(page)  # a TIFF's pages may differ in size: checked below, as seen
            w, h = im.size
            if w * h > _max_pixels():
                raise ImageError(
                    f"{label}: image is {w}×{h} = {w * h / 1e6:.0f} MP, over the "
                    f"{_max_pixels() / 1e6:.0f} MP limit (set OCRKIT_MAX_IMAGE_PIXELS to raise it)"
                )
            if w < 1 or h < 1:
                raise ImageError(f"{label}: image has no pixels ({w}×{h})")
            im.load()
            density = _pixel_density(im) if square_pixels else None
            orientation = _orientation(im)
            if orientation != 1:
                im = ImageOps.exif_transpose(im, in_place=False)
                if density and orientation in (5, 6, 7, 8):  # turned by 90°: the axes swap
                    density = density[::-1]
            rgb = _to_rgb(im)
            return _squared(rgb, density, label) if density else rgb
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(f"{label}: not a recognised image format") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise ImageError(f"{label}: cannot decode image ({_one_line(exc)})") from None
    except MemoryError:
        raise ImageError(f"{label}: not enough memory to decode this image") from None
    finally:
        PILImage.MAX_IMAGE_PIXELS = pil_limit


def page_count(
    source: str | os.PathLike[str] | bytes | bytearray, *, name: str | None = None
) -> int:
    """How many pages (frames) an image file or its bytes holds: a PDF's or a multi-page TIFF's
    pages, an animated GIF's or WebP's frames; 1 for every other image. Only the header (a
    PDF's page tree) is read.

    Raises:
        ImageError: one line naming the file, as :func:`read_image`.
    """
    label, opener = _opener(source, name)
    if is_pdf(_head(opener, label)):
        try:
            return pdf_page_count(_pdf_source(opener))
        except PdfError as exc:
            raise ImageError(f"{label}: {exc}") from None
    try:
        # A corrupt file's warnings would be noise here: reading it reports the problem.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with PILImage.open(opener) as im:
                return max(1, int(getattr(im, "n_frames", 1)))
    except UnidentifiedImageError:
        raise ImageError(f"{label}: not a recognised image format") from None
    except (OSError, SyntaxError, ValueError) as exc:  # a corrupt page directory
        raise ImageError(f"{label}: cannot decode image ({_one_line(exc)})") from None


def _opener(
    source: str | os.PathLike[str] | bytes | bytearray, name: str | None
) -> tuple[str, Path | _io.BytesIO]:
    """(the name errors give, what PIL opens) for a path or encoded bytes."""
    if isinstance(source, (bytes, bytearray)):
        label = name or "<bytes>"
        if not source:
            raise ImageError(f"{label}: empty input (0 bytes)")
        return label, _io.BytesIO(bytes(source))
    path = Path(source)
    label = name or str(path)
    check_file(path, label)
    return label, path


def _head(opener: Path | _io.BytesIO, label: str) -> bytes:
    """The first bytes of a file or buffer, where a PDF says it is one."""
    if isinstance(opener, _io.BytesIO):
        return opener.getvalue()[:HEADER_WINDOW]
    try:
        with open(opener, "rb") as f:
            return f.read(HEADER_WINDOW)
    except OSError as exc:
        raise ImageError(f"{label}: cannot read ({exc.strerror or exc})") from None


def _pdf_source(opener: Path | _io.BytesIO) -> Path | bytes:
    return opener.getvalue() if isinstance(opener, _io.BytesIO) else opener


def check_file(path: Path, label: str | None = None) -> None:
    """Raise :class:`ImageError` (one line) for a missing path, a folder or an empty file."""
    label = label or str(path)
    if not path.exists():
        raise ImageError(f"{label}: no such file")
    if path.is_dir():
        raise ImageError(f"{label}: is a directory, not an image")
    if path.stat().st_size == 0:
        raise ImageError(f"{label}: empty file (0 bytes)")


def _orientation(im: PILImage.Image) -> int:
    """The EXIF orientation (1: as stored; 2–8: rotate/flip for display; 5–8 turn by 90°)."""
    try:
        value = im.getexif().get(0x0112, 1)
        return value if value in range(1, 9) else 1
    except Exception:  # malformed EXIF: show the pixels as stored
        return 1


def _pixel_density(im: PILImage.Image) -> tuple[float, float] | None:
    """(x, y) pixels per unit length as the file states them (a TIFF's or PNG's resolution with
    or without a unit, a JPEG's JFIF density), or None when it states none."""
    for key in ("dpi", "resolution", "aspect", "jfif_density"):
        value = im.info.get(key)
        if isinstance(value, tuple) and len(value) == 2:
            try:
                x, y = float(value[0]), float(value[1])
            except (TypeError, ValueError):
                continue
            if np.isfinite(x) and np.isfinite(y) and x > 0 and y > 0:
                return x, y
    return None


def _squared(rgb: Image, density: tuple[float, float], label: str) -> Image:
    """``rgb`` (H, W, 3) resampled to square pixels: the coarser axis stretched by the ratio of
    the densities (a 204×98-dpi fax's rows doubled, 1728×1100 → 1728×2290 px), bicubically
    or, for a bi-level image, by repetition. Within
    ``SQUARE_TOLERANCE`` the pixels count as square; beyond ``MAX_PIXEL_ASPECT`` the stated
    density is taken as wrong (no scanner or fax makes such pixels) and ignored."""
    ratio = max(density) / min(density)
    if ratio <= 1.0 + SQUARE_TOLERANCE or ratio > MAX_PIXEL_ASPECT:
        return rgb
    h, w = rgb.shape[:2]
    if density[0] < density[1]:
        w = round(w * ratio)
    else:
        h = round(h * ratio)
    if w * h > _max_pixels():
        raise ImageError(
            f"{label}: image is {w}×{h} = {w * h / 1e6:.0f} MP with square pixels, over the "
            f"{_max_pixels() / 1e6:.0f} MP limit (set OCRKIT_MAX_IMAGE_PIXELS to raise it)"
        )
    filter_ = BILEVEL_SQUARE_FILTER if is_bilevel(rgb) else SQUARE_FILTER
    return np.ascontiguousarray(cv2.resize(rgb, (w, h), interpolation=filter_))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _to_rgb(im: PILImage.Image) -> Image:
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im)
        # 16-bit and float data: scale the full range of the type to 0–255 (not clip).
        if arr.dtype.kind == "f":
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            arr = (arr - lo) / max(hi - lo, 1e-12) * 255.0
        elif arr.max(initial=0) > 255:
            arr = arr.astype(np.float64) / 257.0
        grey = np.clip(np.rint(arr), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        background = PILImage.new("RGBA", im.size, (255, 255, 255, 255))
        im = PILImage.alpha_composite(background, im)
    if im.mode != "RGB":
        im = im.convert("RGB")
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))


def iter_image_paths(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Expand files and folders (recursively, image extensions only, sorted) in the given order.

    A path that does not exist is yielded as is so that the caller reports it.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS
            )
            yield from found
        else:
            yield path


@dataclass(frozen=True)
class InputPage:
    """One image to read: a file, or one page of a multi-page file (``page`` from 0 of
    ``pages``). ``name`` is what output and errors call it: the path, with ``#k`` (k from 1)
    after it for a page of a file of several ("fax.tif#2")."""

    path: Path
    page: int = 0
    pages: int = 1

    @property
    def name(self) -> str:
        return str(self.path) if self.pages == 1 else f"{self.path}#{self.page + 1}"

    @property
    def stem(self) -> str:
        """The output files' stem: the file's, with ``_p<k>`` for a page of several."""
        return self.path.stem if self.pages == 1 else f"{self.path.stem}_p{self.page + 1}"


def iter_input_pages(paths: Iterable[Path]) -> Iterator[InputPage]:
    """Each path as one :class:`InputPage`, or one per page for a file of a
    ``MULTI_PAGE_EXTENSIONS`` format that holds several. A file that cannot be opened is
    yielded whole, for its reading to report it."""
    for path in paths:
        pages = 1
        if path.suffix.lower() in MULTI_PAGE_EXTENSIONS:
            try:
                pages = max(page_count(path), 1)  # a PDF of no pages: read once, for the error
            except ImageError:
                pass
        for page in range(pages):
            yield InputPage(path, page, pages)


def check_image(image: Any, index: int = 0) -> Image:
    """Validate the RGB uint8 (H, W, 3) contract at the API boundary with a clear message."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image {index}: expected a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"image {index}: expected RGB uint8 of shape (H, W, 3), got {image.dtype} "
            f"{image.shape}; use ocrkit.read_image() to load files"
        )
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise ValueError(f"image {index}: has no pixels {image.shape}")
    return image
