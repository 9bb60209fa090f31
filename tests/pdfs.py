"""PDFs made for tests with PDFium (pypdfium2): a scan (one image filling the page, stored
losslessly) and a born-digital page (text in a standard font)."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence

import numpy as np


def scanned_pdf(pages: Sequence[np.ndarray], dpi: float, page_scale: float = 1.0) -> bytes:
    """Each RGB uint8 (H, W, 3) image as a page of its size at ``dpi``, as a scanner saves
    (``page_scale`` > 1: on a page that much larger each way, at its top-left corner)."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    for pixels in pages:
        height, width = pixels.shape[:2]
        page = pdf.new_page(width * 72 / dpi * page_scale, height * 72 / dpi * page_scale)
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.fromarray(pixels)))
        at = pdfium.PdfMatrix().scale(width * 72 / dpi, height * 72 / dpi)  # points
        image.set_matrix(at.translate(0, height * 72 / dpi * (page_scale - 1)))
        page.insert_obj(image)
        page.gen_content()
    return _saved(pdf)


def text_pdf(lines: Sequence[tuple[str, float]], size: tuple[float, float]) -> bytes:
    """One page of ``size`` (width, height) points with each (text, font size) line in
    Helvetica, from the top-left, one line under the other."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(*size)
    y = size[1]
    for text, points in lines:
        y -= 1.6 * points
        obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(points))
        utf16 = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        raw.FPDFText_SetText(obj, ctypes.cast(utf16, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0.8 * points, y)
        raw.FPDFPage_InsertObject(page.raw, obj)
    page.gen_content()
    return _saved(pdf)


def _saved(pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()
