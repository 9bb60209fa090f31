"""The separable Lanczos crop samples exactly as OpenCV's Lanczos warp (ocrkit.resample)."""

import cv2
import numpy as np
import pytest

import ocrkit.geometry as geometry
from ocrkit.resample import lanczos_axis_crop


def page(channels: int = 3, seed: int = 0) -> np.ndarray:
    """(100, 120[, C]) uint8 with edges of every strength: blurred noise."""
    shape = (100, 120, channels) if channels > 1 else (100, 120)
    noise = np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)
    return cv2.GaussianBlur(noise, (3, 3), 0)


def warp(image: np.ndarray, x0: float, y0: float, x1: float, y1: float, w: int, h: int):
    """OpenCV's Lanczos warp of the rectangle (x0, y0)-(x1, y1) to (h, w), as crop_quad did."""
    src = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    matrix = cv2.getPerspectiveTransform(src, np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_LANCZOS4,
                               borderMode=cv2.BORDER_REPLICATE)  # fmt: skip


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("x0, y0", [(10.25, 7.125), (-6.5, -3.0), (90.0, 80.5)])
def test_matches_opencv_on_its_own_grid(channels, x0, y0):
    # Positions on OpenCV's 1/32-pixel grid, so only its 15-bit weights differ: ≤ 1 level.
    # (-6.5, -3) and (90, 80.5) run over the page's edges: the border is replicated alike.
    image = page(channels)
    ref = warp(image, x0, y0, x0 + 40, y0 + 16, 160, 64)
    got = lanczos_axis_crop(image, x0, 0.25, y0, 0.25, 160, 64)
    assert got.shape == ref.shape and got.dtype == np.uint8
    diff = np.abs(got.astype(int) - ref.astype(int))
    assert diff.max() <= 1 and diff.mean() < 0.01


def test_half_a_pixel_off_is_far_off():
    # The check above can fail: the same crop moved by half a source pixel differs widely.
    image = page()
    ref = warp(image, 10.25, 7.125, 50.25, 23.125, 160, 64)
    got = lanczos_axis_crop(image, 10.75, 0.25, 7.125, 0.25, 160, 64)
    assert np.abs(got.astype(int) - ref.astype(int)).mean() > 5


def test_negative_step_mirrors():
    image = page()
    right = lanczos_axis_crop(image, 10.0, 0.5, 20.0, 0.5, 80, 32)
    # Sample i of the mirrored crop reads x = 49.5 - 0.5 i: the upright crop's sample 79 - i.
    mirrored = lanczos_axis_crop(image, 49.5, -0.5, 20.0, 0.5, 80, 32)
    np.testing.assert_array_equal(mirrored, right[:, ::-1])


def test_on_pixels_copies_them_and_keeps_a_float_dtype():
    image = page().astype(np.float32)
    got = lanczos_axis_crop(image, 5.0, 1.0, 8.0, 1.0, 30, 20)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, image[8:28, 5:35], atol=1e-3)


def test_crop_quad_takes_the_separable_path_with_the_same_result(monkeypatch):
    # Off-grid corners (as a detector's are): OpenCV rounds each position to 1/32 pixel, this
    # does not, so a steep edge may differ by a few levels, the crop as a whole hardly at all.
    image = page()
    quad = np.float32([[12.3, 9.7], [71.9, 9.7], [71.9, 24.2], [12.3, 24.2]])
    calls, separable = [], geometry.lanczos_axis_crop
    monkeypatch.setattr(geometry, "lanczos_axis_crop", lambda *a: calls.append(a) or separable(*a))
    fast = geometry.crop_quad(image, quad, 64)
    monkeypatch.setattr(geometry, "_axis_aligned", lambda quad: False)
    slow = geometry.crop_quad(image, quad, 64)
    assert len(calls) == 1 and fast.shape == slow.shape
    diff = np.abs(fast.astype(int) - slow.astype(int))
    assert diff.max() <= 8 and diff.mean() < 1.0


@pytest.mark.parametrize("quad, aligned", [
    ([[0, 0], [9, 0], [9, 3], [0, 3]], True),
    ([[9, 3], [0, 3], [0, 0], [9, 0]], True),  # rolled by 180°: read upside down
    ([[0, 3], [0, 0], [9, 0], [9, 3]], False),  # rolled by 90°: u runs up the page, so the warp
    ([[0, 0], [9, 0.5], [9, 3.5], [0, 3]], False),  # tilted
])  # fmt: skip
def test_axis_aligned(quad, aligned):
    assert geometry._axis_aligned(np.float32(quad)) is aligned


def test_a_crop_too_long_for_the_weight_matrices_takes_the_warp(monkeypatch):
    calls, separable = [], geometry.lanczos_axis_crop
    monkeypatch.setattr(geometry, "lanczos_axis_crop", lambda *a: calls.append(a) or separable(*a))
    image = np.zeros((80, 1400, 3), np.uint8)
    line = np.float32([[5, 10], [1395, 10], [1395, 70], [5, 70]])  # 64 rows, ~1500 columns
    crop = geometry.crop_quad(image, line, 64)
    assert not calls and crop.shape[0] == 64 and crop.shape[1] > geometry.SEPARABLE_MAX


def ink_centre(crop: np.ndarray) -> np.ndarray:
    """(x, y) of a crop's dark ink, weighted by darkness (pixels)."""
    dark = 255.0 - crop.reshape(*crop.shape[:2], -1).mean(axis=2)
    ys, xs = np.mgrid[: dark.shape[0], : dark.shape[1]]
    return np.array([(dark * xs).sum(), (dark * ys).sum()]) / dark.sum()


@pytest.mark.parametrize("angle", [3.0, -7.0, 20.0])
def test_a_small_tilted_word_is_warped_small_then_enlarged_in_place(monkeypatch, angle):
    # A 14 px high word tilted by a few degrees: the warp runs at twice its scale (28 rows,
    # not 64) and the resize enlarges it; the crop is the direct warp's, its ink where the
    # direct warp puts it (a grid set half a small pixel off moves it by over a crop pixel).
    image = np.full((120, 200, 3), 235, np.uint8)
    cv2.putText(image, "Tilted", (40, 70), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (20, 20, 20), 1,
                cv2.LINE_AA)  # fmt: skip
    turn = cv2.getRotationMatrix2D((100, 60), angle, 1.0)
    image = cv2.warpAffine(image, turn, (200, 120), borderValue=(235, 235, 235))
    corners = np.float32([[36, 56], [96, 56], [96, 72], [36, 72]])
    quad = cv2.transform(corners[None], turn)[0].astype(np.float32)
    sizes, warp = [], geometry._warp
    monkeypatch.setattr(geometry, "_warp", lambda im, c, size, *a: sizes.append(size)
                        or warp(im, c, size, *a))  # fmt: skip
    small = geometry.crop_quad(image, quad, 64)
    monkeypatch.setattr(geometry, "WARP_SCALE", 1e9)  # the direct warp
    direct = geometry.crop_quad(image, quad, 64)
    assert sizes[0][1] == round(2 * geometry.quad_size(geometry.expand_quad(quad, 0.1))[1])
    assert sizes[1] == direct.shape[1::-1] == small.shape[1::-1]
    diff = np.abs(small.astype(int) - direct.astype(int))
    assert diff.mean() < 2.0
    assert np.abs(ink_centre(small) - ink_centre(direct)).max() < 0.2
