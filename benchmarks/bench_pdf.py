"""Scanned PDFs: FUNSD test forms read from their PNGs and from the same scans saved as PDFs.

    python benchmarks/bench_pdf.py --limit 3
    python benchmarks/bench_pdf.py --limit 10 --dpis 150,200,300 --precision bf16

Each form is saved as a one-page PDF the way scanners and Pillow write one: the scan as a JPEG
(quality 95) filling a page of its own size at 100 dpi (FUNSD's scans are ~100 dpi: 754×1000 px
for a Letter-like page). It is then read (``ocrkit.Pipeline``, CRAFT + CRNN, ``ocrkit run``'s
defaults) from the PNG, from the PDF as ``ocrkit.read_image`` renders it (``auto``: the scan's own
resolution; then each of ``--dpis``) and, for comparison, as PDFium draws the page when simply
asked for a resolution (``pdfium@D``: a plain PDF-to-image step, and this reader's first
draft). Prints per variant the image size, the words read exactly (a multiset match with the
form's ground-truth words, case and marks counted), seconds per form and the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FormReadings, funsd_words, machine  # noqa: E402

import ocrkit  # noqa: E402

SCAN_DPI = 100


def scanned_pdf(png: Path) -> bytes:
    buf = io.BytesIO()
    Image.open(png).convert("RGB").save(buf, format="PDF", resolution=SCAN_DPI, quality=95)
    return buf.getvalue()


def pdfium_drawn(pdf: bytes, dpi: float) -> np.ndarray:
    """The page as PDFium draws it at ``dpi`` (bitmap ceil(points × dpi / 72) px each way)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return np.asarray(doc[0].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="../shared/data/funsd/dataset/testing_data")
    p.add_argument("--limit", type=int, default=3, help="first N forms")
    p.add_argument("--dpis", default="200,300", help="resolutions to render at, besides auto")
    p.add_argument("--pdfium-dpis", default="100,200,300",
                   help="resolutions PDFium draws the page at directly (the comparison)")
    p.add_argument("--precision", default="bf16", help="CRAFT and CRNN precision")
    args = p.parse_args(argv)
    root = Path(args.data)
    detector = ocrkit.load_detector("craft", precision=args.precision)
    pipeline = ocrkit.Pipeline(detector, ocrkit.load_recognizer("crnn", precision=args.precision))
    dpis = [float(d) for d in args.dpis.split(",") if d]
    direct = [float(d) for d in args.pdfium_dpis.split(",") if d]
    tally = FormReadings()
    total = 0
    pngs = sorted((root / "images").glob("*.png"))[: args.limit]
    for png in pngs:
        words = funsd_words(root, png)
        total += len(words)
        pdf = scanned_pdf(png)
        variants = [("png", lambda: ocrkit.read_image(png)),
                    ("auto", lambda: ocrkit.read_image(pdf))]  # fmt: skip
        variants += [(f"{d:g} dpi", lambda d=d: ocrkit.read_image(pdf, dpi=d)) for d in dpis]
        variants += [(f"pdfium@{d:g}", lambda d=d: pdfium_drawn(pdf, d)) for d in direct]
        for name, load in variants:
            tally.read(pipeline, png.stem, name, load(), words)
    print(f"\nmachine: {json.dumps(machine())}; precision {args.precision}; {len(pngs)} forms, "
          f"{total} words; scans saved as JPEG-95 PDFs at {SCAN_DPI} dpi\n")
    tally.table(total, len(pngs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
