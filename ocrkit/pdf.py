"""PDF input: each page rendered to an RGB image with PDFium (``pypdfium2``, the optional extra
``pip install 'ocrkit[pdf]'``), then read like any image.

A scanned PDF is a page of pictures: the text is in the scan's pixels, which should reach the
OCR as the scanner made them. PDFium scales an embedded image by repeating its pixels (no
interpolation), so a scan rendered at another resolution comes out blocky, and even at its own
a page a fraction of a pixel off (754 px → 755) shifts every column. On FUNSD test forms 1–3
saved as 100-dpi image PDFs the exact words read fell from 379 (the PNGs) to 292 rendered at
100 dpi (755 px wide), 362 at 200 and 270 at 300 dpi. So a page that is mostly one image (a
scan) is rendered at that image's own resolution, to the pixel, and resized by OpenCV where
another resolution is asked for (area averaging down, bicubic up); a page without (born-digital
text) is rendered at ``VECTOR_DPI``, where PDFium draws the letters anti-aliased.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

VECTOR_DPI = 200.0  # pages without a scan: a 10-pt letter ~28 px high, Letter 1700×2200 px
# "auto" reads finer scans at this, OCR's usual resolution: a 600-dpi Letter page is 34 MP, and
# its 10-pt letters (~80 px) are cut down to the CRNN's 64-px crops all the same.
MAX_SCAN_DPI = 300.0
SCAN_COVER = 0.5  # a page is a scan when one image covers at least this share of it
PDF_MAGIC = b"%PDF-"
# PDF readers accept the header anywhere in the first 1024 bytes (some files start with junk).
HEADER_WINDOW = 1024
# PDFium is not thread-safe (pypdfium2's documentation): the CLI decodes in a prefetch thread
# while the main thread may decode an overlay's page.
_LOCK = threading.Lock()


class PdfError(ValueError):
    """A PDF that cannot be opened or rendered; the message is one line without the file name."""


def is_pdf(head: bytes) -> bool:
    """Whether a file's first bytes (``HEADER_WINDOW`` of them suffice) are a PDF's."""
    return PDF_MAGIC in head[:HEADER_WINDOW]


def check_dpi(dpi: float | None) -> float | None:
    """``dpi`` as a float in [18, 1200] (a quarter of a screen's to a fine scanner's), or None
    (auto: a scan's own resolution, ``VECTOR_DPI`` for other pages)."""
    if dpi is None:
        return None
    dpi = float(dpi)
    if not 18.0 <= dpi <= 1200.0:
        raise ValueError(f"PDF resolution must be in [18, 1200] dpi, got {dpi:g}")
    return dpi


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError:
        raise PdfError("reading PDFs needs pypdfium2: pip install 'ocrkit[pdf]'") from None
    return pypdfium2


def _open(source: Path | bytes) -> Any:
    pdfium = _pdfium()
    try:
        return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as exc:  # "Failed to load document (PDFium: Data format error)."
        raise PdfError(f"cannot open PDF ({str(exc).strip().rstrip('.')})") from None


def pdf_page_count(source: Path | bytes) -> int:
    """How many pages the PDF (a path or its bytes) holds."""
    with _LOCK:
        doc = _open(source)
        try:
            return len(doc)
        finally:
            doc.close()


def scan_scale(page: Any) -> float | None:
    """Pixels per point of the image that covers at least ``SCAN_COVER`` of ``page`` (a
    ``pypdfium2.PdfPage``), along the finer of its axes; None when no image does (only images
    placed on the page itself are looked at, not those inside form XObjects)."""
    import pypdfium2.raw as raw

    width, height = page.get_size()  # points
    best, scale = 0.0, None
    for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=1):
        a, b, c, d, _, _ = image.get_matrix().get()  # the unit square → the page, in points
        area = abs(a * d - b * c)
        px_w, px_h = image.get_px_size()
        if area > best and px_w > 0 and px_h > 0 and math.hypot(a, b) > 0 and math.hypot(c, d) > 0:
            best, scale = area, max(px_w / math.hypot(a, b), px_h / math.hypot(c, d))
    return scale if best >= SCAN_COVER * width * height else None


def render_pdf_page(
    source: Path | bytes, page: int, dpi: float | None, max_pixels: int
) -> np.ndarray:
    """Page ``page`` (from 0) of the PDF as RGB uint8 (H, W, 3), the page's own rotation applied:
    at ``dpi``, or (None) at its scan's own resolution (at most ``MAX_SCAN_DPI``) or
    ``VECTOR_DPI``. A page over ``max_pixels`` is refused before it is rendered."""
    dpi = check_dpi(dpi)
    with _LOCK:
        doc = _open(source)
        try:
            if not 0 <= page < len(doc):
                raise PdfError(f"no page {page + 1} (the file has {len(doc)})")
            pdf_page = doc[page]
            width, height = pdf_page.get_size()  # points, as displayed (rotation applied)
            native = scan_scale(pdf_page)
            if dpi is None:
                want = VECTOR_DPI / 72 if native is None else min(native, MAX_SCAN_DPI / 72)
            else:
                want = dpi / 72
            out_w, out_h = max(1, round(width * want)), max(1, round(height * want))
            # A scan is drawn at its own scale, then resized here; other pages at the one asked.
            draw = want if native is None else native
            draw_w = max(1, round(width * draw))
            for w, h in ((out_w, out_h), (draw_w, max(1, round(height * draw)))):
                if w * h > max_pixels:
                    raise PdfError(
                        f"page {page + 1} is {w}×{h} = {w * h / 1e6:.0f} MP, over the "
                        f"{max_pixels / 1e6:.0f} MP limit (a lower --pdf-dpi renders it smaller)"
                    )
            # PDFium sizes the bitmap ceil(points × scale): a scale a hair under draw_w / width
            # gives draw_w columns exactly, not one more from rounding (the 755 px above).
            scale = (draw_w - 1e-3) / width
            bitmap = pdf_page.render(scale=scale, may_draw_forms=True)  # white paper under it
            rgb = np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.uint8)
        finally:
            doc.close()
    if rgb.shape[:2] != (out_h, out_w):
        shrink = out_w * out_h < rgb.shape[0] * rgb.shape[1]
        filter_ = cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
        rgb = cv2.resize(rgb, (out_w, out_h), interpolation=filter_)
    return np.ascontiguousarray(rgb)
