import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ocrkit import ImageError, read_image
from ocrkit.io import iter_image_paths


def _save(img: Image.Image, path, **kw):
    img.save(path, **kw)
    return path


def test_rgb_png_roundtrip_and_bytes_agree(tmp_path):
    arr = np.random.default_rng(0).integers(0, 255, (7, 9, 3), dtype=np.uint8)
    path = _save(Image.fromarray(arr), tmp_path / "a.png")
    out = read_image(path)
    assert out.dtype == np.uint8 and out.shape == (7, 9, 3)
    np.testing.assert_array_equal(out, arr)
    np.testing.assert_array_equal(read_image(path.read_bytes()), arr)  # bytes == path


def test_grey_palette_rgba_16bit_are_converted(tmp_path):
    grey = np.arange(20, dtype=np.uint8).reshape(4, 5) * 10
    out = read_image(_save(Image.fromarray(grey, "L"), tmp_path / "g.png"))
    assert out.shape == (4, 5, 3) and np.all(out[..., 0] == grey) and np.all(out[..., 2] == grey)

    pal = Image.fromarray(grey, "L").convert("P")
    assert read_image(_save(pal, tmp_path / "p.png")).shape == (4, 5, 3)

    rgba = np.zeros((4, 5, 4), np.uint8)  # black text (alpha 255) on transparent background
    rgba[1, 1] = (0, 0, 0, 255)
    out = read_image(_save(Image.fromarray(rgba, "RGBA"), tmp_path / "t.png"))
    assert tuple(out[0, 0]) == (255, 255, 255) and tuple(out[1, 1]) == (0, 0, 0)

    deep = (np.arange(20, dtype=np.uint16).reshape(4, 5) * 3000).astype(np.uint16)
    path16 = tmp_path / "d.png"
    cv2.imwrite(str(path16), deep)
    out = read_image(path16)
    assert out.dtype == np.uint8 and out.shape == (4, 5, 3)
    np.testing.assert_allclose(out[..., 0], np.rint(deep / 257.0), atol=1)  # scaled, not clipped


def test_exif_orientation_is_applied(tmp_path):
    arr = np.zeros((10, 20, 3), np.uint8)
    arr[:, :10] = 255  # left half white
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6  # "rotate 90° CW to display"
    path = tmp_path / "rot.jpg"
    img.save(path, exif=exif, quality=95)
    out = read_image(path)
    assert out.shape == (20, 10, 3)  # displayed upright: portrait
    assert out[:10].mean() > 200 and out[10:].mean() < 50  # white half now on top


def test_pixels_that_are_not_square_are_resampled_to_square(tmp_path):
    # A fax's rows at half its columns' resolution (204×98 dpi): stored 10 rows of 20 columns,
    # printed as a square; the rows are doubled by bicubic resampling, not repeated.
    rows = np.repeat(np.linspace(0, 250, 10).astype(np.uint8)[:, None], 20, axis=1)
    fax = _save(Image.fromarray(rows, "L"), tmp_path / "fax.tif", dpi=(200, 100))
    out = read_image(fax)
    want = cv2.resize(np.repeat(rows[:, :, None], 3, axis=2), (20, 20),
                      interpolation=cv2.INTER_CUBIC)  # fmt: skip
    assert out.shape == (20, 20, 3)
    np.testing.assert_array_equal(out, want)
    assert read_image(fax.read_bytes()).shape == (20, 20, 3)
    np.testing.assert_array_equal(read_image(fax, square_pixels=False)[..., 0], rows)
    # Columns coarser than rows (a JPEG's JFIF density), a fax of 1-bit pixels.
    jpeg = _save(Image.new("RGB", (10, 12)), tmp_path / "a.jpg", dpi=(150, 300))
    assert read_image(jpeg).shape == (12, 20, 3)
    bits = _save(Image.new("1", (30, 10), 1), tmp_path / "g4.tif", dpi=(204, 98),
                 compression="group4")  # fmt: skip
    assert read_image(bits).shape == (21, 30, 3) and (read_image(bits) == 255).all()
    # A bi-level fax stays bi-level: its rows are repeated (the pipeline softens its edges).
    ink = np.full((10, 30), 255, np.uint8)
    ink[::3, 5:25] = 0
    fax = _save(Image.fromarray(ink).convert("1"), tmp_path / "ink.tif", dpi=(200, 100))
    np.testing.assert_array_equal(read_image(fax)[..., 0], np.repeat(ink, 2, axis=0))
    # Square within 5 % (a fine fax), and a stated aspect no scanner makes (6:1) taken as
    # wrong: as stored.
    for dpi in ((204, 196), (600, 100)):
        path = _save(Image.new("L", (30, 10)), tmp_path / f"{dpi[1]}.tif", dpi=dpi)
        assert read_image(path).shape == (10, 30, 3)


def test_square_pixels_after_exif_orientation_and_within_the_pixel_limit(tmp_path, monkeypatch):
    # Stored 30 wide × 10 high at 200×100 dpi (its rows coarse), shown turned by 90°: the
    # coarse axis is then the displayed width, 10 → 20 columns (not 30 → 60 rows).
    img = Image.new("RGB", (30, 10))
    exif = img.getexif()
    exif[0x0112] = 6
    path = _save(img, tmp_path / "turned.jpg", exif=exif, dpi=(200, 100))
    assert read_image(path).shape == (30, 20, 3)
    monkeypatch.setenv("OCRKIT_MAX_IMAGE_PIXELS", "500")  # 30×10 fits, 30×20 does not
    with pytest.raises(ImageError, match=r"turned\.jpg: image is 20×30 = 0 MP with square pixels"):
        read_image(path)
    assert read_image(path, square_pixels=False).shape == (30, 10, 3)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: p.write_text("just some text\n"), "not a recognised image format"),
    ],
)
def test_unreadable_files_raise_one_line_naming_the_file(tmp_path, make, message):
    path = tmp_path / "bad.jpg"
    make(path)
    with pytest.raises(ImageError) as info:
        read_image(path)
    text = str(info.value)
    assert str(path) in text and message in text and "\n" not in text


def test_truncated_jpeg(tmp_path):
    buf = io.BytesIO()
    arr = np.random.default_rng(1).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(arr).save(buf, format="JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(ImageError, match=r"cut\.jpg: cannot decode image"):
        read_image(path)
    with pytest.raises(ImageError, match="<bytes>: empty"):
        read_image(b"")


def test_pixel_limit(tmp_path, monkeypatch):
    path = _save(Image.new("L", (50, 40)), tmp_path / "big.png")
    monkeypatch.setenv("OCRKIT_MAX_IMAGE_PIXELS", "1000")
    with pytest.raises(ImageError, match=r"big\.png: image is 50×40.*OCRKIT_MAX_IMAGE_PIXELS"):
        read_image(path)


def test_iter_image_paths_recurses_sorted_and_keeps_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.png", "a.JPG", "notes.txt", "sub/c.tif"):
        (tmp_path / name).write_bytes(b"x")
    found = list(iter_image_paths([tmp_path, tmp_path / "missing.png"]))
    assert [p.name for p in found] == ["a.JPG", "b.png", "c.tif", "missing.png"]


def _pages_tiff(tmp_path, sizes=((40, 60), (30, 90), (50, 20))):
    """A multi-page TIFF whose page k is (H, W) = sizes[k], filled with grey 10 × (k + 1)."""
    pages = [Image.new("L", (w, h), 10 * (k + 1)) for k, (h, w) in enumerate(sizes)]
    path = tmp_path / "fax.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def test_multi_page_tiff_pages_are_read_by_number(tmp_path):
    from ocrkit import page_count

    path = _pages_tiff(tmp_path)
    assert page_count(path) == 3 and page_count(path.read_bytes()) == 3
    for k, shape in enumerate([(40, 60), (30, 90), (50, 20)]):
        out = read_image(path, page=k)
        assert out.shape == (*shape, 3) and (out == 10 * (k + 1)).all()
    np.testing.assert_array_equal(read_image(path.read_bytes(), page=2), read_image(path, page=2))
    np.testing.assert_array_equal(read_image(path), read_image(path, page=0))
    with pytest.raises(ImageError, match=r"^.*fax\.tif: no page 4 \(the file has 3\)$"):
        read_image(path, page=3)
    one = _save(Image.new("RGB", (5, 4)), tmp_path / "one.png")
    assert page_count(one) == 1
    with pytest.raises(ImageError, match=r"one\.png: no page 2 \(the file has 1\)$"):
        read_image(one, page=1)


def test_iter_input_pages_lists_each_page_of_multi_page_files(tmp_path):
    from ocrkit.io import iter_input_pages

    tif = _pages_tiff(tmp_path, sizes=((10, 10), (10, 10)))
    single = _save(Image.new("RGB", (5, 4)), tmp_path / "single.tif")
    png = _save(Image.new("RGB", (5, 4)), tmp_path / "a.png")
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00garbage")  # a TIFF header, no pages: read (and reported) whole
    items = list(iter_input_pages([tif, single, png, broken, tmp_path / "missing.tif"]))
    assert [(i.name.rsplit("/", 1)[-1], i.stem) for i in items] == [
        ("fax.tif#1", "fax_p1"), ("fax.tif#2", "fax_p2"), ("single.tif", "single"),
        ("a.png", "a"), ("broken.tif", "broken"), ("missing.tif", "missing")]  # fmt: skip


def _two_halves() -> np.ndarray:
    """(80, 300, 3): white left half, black right half."""
    halves = np.zeros((80, 300, 3), np.uint8)
    halves[:, :150] = 255
    return halves


def test_scanned_pdf_pages_come_back_as_scanned(tmp_path):
    """A scan's page is rendered at the scan's own resolution, pixel for pixel (PDFium would
    repeat pixels at any other); another resolution is a resize of those pixels."""
    pytest.importorskip("pypdfium2")
    from pdfs import scanned_pdf

    from ocrkit import page_count

    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (61, 97, 3), dtype=np.uint8)  # odd sizes: no rounding slack
    path = tmp_path / "doc.pdf"
    path.write_bytes(scanned_pdf([_two_halves(), noise], dpi=150))
    assert page_count(path) == 2 and page_count(path.read_bytes()) == 2
    np.testing.assert_array_equal(read_image(path), _two_halves())  # auto: 150 dpi, as scanned
    np.testing.assert_array_equal(read_image(path.read_bytes(), page=1), noise)
    up = read_image(path, page=1, dpi=300)
    np.testing.assert_array_equal(up, cv2.resize(noise, (194, 122), interpolation=cv2.INTER_CUBIC))
    down = read_image(path, page=1, dpi=75)  # 48.5 × 30.5 px: either rounding
    assert abs(down.shape[1] - 48.5) == abs(down.shape[0] - 30.5) == 0.5
    size = (down.shape[1], down.shape[0])
    np.testing.assert_array_equal(down, cv2.resize(noise, size, interpolation=cv2.INTER_AREA))
    with pytest.raises(ImageError, match=r"doc\.pdf: no page 3 \(the file has 2\)$"):
        read_image(path, page=2)
    fine = read_image(scanned_pdf([noise], dpi=600))  # auto: finer scans at 300 dpi
    assert abs(fine.shape[1] - 48.5) == abs(fine.shape[0] - 30.5) == 0.5
    logo = read_image(scanned_pdf([noise], dpi=150, page_scale=2.0))  # a quarter of the page
    assert logo.shape == (163, 259, 3)  # not a scan: the page at 200 dpi (its image resampled)
    with pytest.raises(ImageError, match=r"doc\.pdf: PDF resolution must be in \[18, 1200\]"):
        read_image(path, dpi=5)


def test_born_digital_pdf_pages_are_drawn_at_200_dpi(tmp_path):
    pytest.importorskip("pypdfium2")
    from pdfs import text_pdf

    path = tmp_path / "letter.pdf"
    path.write_bytes(text_pdf([("Hello", 20.0)], size=(144.0, 72.0)))  # 2 × 1 inch
    page = read_image(path)
    assert page.shape == (200, 400, 3) and page.min() < 50 and np.median(page) == 255
    assert read_image(path, dpi=72).shape == (72, 144, 3)


def test_bad_pdfs_fail_in_one_line(tmp_path):
    pytest.importorskip("pypdfium2")
    from pdfs import text_pdf

    from ocrkit import page_count

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really a pdf\n")
    for call in (lambda: read_image(bad), lambda: page_count(bad)):
        with pytest.raises(ImageError, match=r"bad\.pdf: cannot open PDF \(.*\)$"):
            call()
    good = tmp_path / "good.pdf"
    good.write_bytes(text_pdf([("Hi", 12.0)], size=(72.0, 72.0)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(__import__("sys").modules, "pypdfium2", None)  # not installed
        with pytest.raises(ImageError, match=r"good\.pdf: reading PDFs needs pypdfium2: pip "):
            read_image(good)


def test_pdf_pages_are_listed_from_folders(tmp_path):
    pytest.importorskip("pypdfium2")
    from pdfs import scanned_pdf

    from ocrkit.io import iter_input_pages

    (tmp_path / "doc.pdf").write_bytes(scanned_pdf([_two_halves()] * 2, dpi=100))
    items = list(iter_input_pages(iter_image_paths([tmp_path])))
    assert [(i.path.name, i.page, i.name.endswith(f"doc.pdf#{i.page + 1}")) for i in items] == [
        ("doc.pdf", 0, True), ("doc.pdf", 1, True)]  # fmt: skip
