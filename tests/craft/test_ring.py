"""Words bent round a tight circle: the ring fitted to a word's mask (``ocrkit_craft.ring``)."""

import math

import cv2
import numpy as np
import pytest
from helpers import need_plugin

import ocrkit
from ocrkit.testing import curved_text_image

need_plugin("ocrkit_craft")
from ocrkit_craft import ring  # noqa: E402
from ocrkit_craft.polygon import outline, split_chains  # noqa: E402


def sector_labels(centre, radius, thickness, a0, a1, shape=(300, 400), label=3):
    """An int32 label map holding one annular sector (angles a0 → a1, image coordinates, y
    down) of mid radius ``radius`` as component ``label``, and its rotated bounding box."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    rel_x, rel_y = xs - centre[0], ys - centre[1]
    rho, phi = np.hypot(rel_x, rel_y), np.arctan2(rel_y, rel_x)
    inside = (np.abs(rho - radius) <= thickness / 2) & (np.mod(phi - a0, 2 * math.pi) <= a1 - a0)
    labels = np.where(inside, label, 0).astype(np.int32)
    pts = np.stack(np.nonzero(inside)[::-1], 1).astype(np.float32)
    box = cv2.boxPoints(cv2.minAreaRect(pts))
    return labels, box


def test_fit_ring_recovers_a_tight_sector():
    # A word over the top of a circle of radius 1.5 thicknesses, spanning 2.2 rad, as "CITY" on a badge.
    labels, _ = sector_labels((200, 200), 45.0, 30.0, -math.pi / 2 - 1.1, -math.pi / 2 + 1.1)
    pts = np.stack(np.nonzero(labels)[::-1], 1).astype(np.float64)
    centre, radius, h, start, span = ring.fit_ring(pts)
    np.testing.assert_allclose(centre, [200, 200], atol=1.5)
    assert radius == pytest.approx(45, abs=1.5) and h == pytest.approx(30, abs=2)
    assert span == pytest.approx(2.2, abs=0.08)
    assert math.remainder(start - (-math.pi / 2 - 1.1), 2 * math.pi) == pytest.approx(0, abs=0.05)


@pytest.mark.parametrize("over", [True, False])
def test_ring_polygon_runs_left_to_right_with_the_top_up(over):
    mid = -math.pi / 2 if over else math.pi / 2  # over the circle (a stamp's upper rim) or under it
    labels, box = sector_labels((200, 150), 50.0, 24.0, mid - 1.0, mid + 1.0)
    poly = ring.ring_polygon(box, labels, 3)
    assert poly.shape == (14, 2)
    top, bottom = split_chains(poly)
    assert (np.diff(top[:, 0]) > 0).all() and (np.diff(bottom[:, 0]) > 0).all()  # left → right
    assert (top[:, 1] < bottom[:, 1])[2:-2].all()  # the top chain above the bottom one mid-word
    out_top = np.linalg.norm(top - [200, 150], axis=1).mean() > np.linalg.norm(bottom - [200, 150], axis=1).mean()
    assert out_top == over  # over the rim the top faces out, under it towards the centre
    heights = np.linalg.norm(top - bottom, axis=1)
    np.testing.assert_allclose(heights, ring.EXPAND_RATIO * 24, rtol=0.1)
    # The ends reach past the mask's by END_EXTEND thicknesses along the arc.
    centre_line = (top + bottom) / 2
    ends = np.arctan2(centre_line[[0, -1], 1] - 150, centre_line[[0, -1], 0] - 200)
    reach = abs(math.remainder(ends[1] - ends[0], 2 * math.pi))
    assert reach == pytest.approx(2.0 + 2 * ring.END_EXTEND * 24 / 50, abs=0.1)


def test_straight_waved_small_and_wide_masks_keep_their_box():
    labels = np.zeros((200, 300), np.int32)
    labels[80:110, 20:280] = 1  # a straight word: the sag check exits at once
    box = np.float32([[20, 80], [279, 80], [279, 109], [20, 109]])
    pts = np.stack(np.nonzero(labels)[::-1], 1).astype(np.float64)
    assert ring.sag(pts) < 0.01
    assert ring.ring_polygon(box, labels, 1) is None
    xs = np.arange(20, 280)  # a full sine period: bends, but round no one circle
    wave = np.zeros_like(labels)
    for x in xs:
        y = int(100 + 35 * math.sin((x - 20) / 260 * 2 * math.pi))
        wave[y - 12 : y + 12, x] = 2
    pts = np.stack(np.nonzero(wave)[::-1], 1).astype(np.float32)
    assert ring.ring_polygon(cv2.boxPoints(cv2.minAreaRect(pts)), wave, 2) is None
    tiny, tiny_box = sector_labels((50, 50), 9.0, 6.0, -2.8, -0.3, shape=(100, 100))
    assert (tiny > 0).sum() < ring.MIN_PIXELS
    assert ring.ring_polygon(tiny_box, tiny, 3) is None
    # A gentle arc (radius 8 thicknesses): the column-wise step follows it, the ring leaves it.
    wide, wide_box = sector_labels((200, 420), 200.0, 25.0, -math.pi / 2 - 0.45, -math.pi / 2 + 0.45, shape=(300, 400))
    assert ring.sag(np.stack(np.nonzero(wide)[::-1], 1).astype(np.float64)) > ring.MIN_SAG
    assert ring.ring_polygon(wide_box, wide, 3) is None


def test_sag_is_about_a_circle_s_sagitta_over_the_thickness():
    labels, _ = sector_labels((200, 200), 60.0, 20.0, -math.pi / 2 - 0.9, -math.pi / 2 + 0.9)
    pts = np.stack(np.nonzero(labels)[::-1], 1).astype(np.float64)
    assert ring.sag(pts) == pytest.approx(60 * (1 - math.cos(0.9)) / 20, rel=0.3)


def test_a_word_round_most_of_its_circle_is_not_taken(monkeypatch):
    whole, box = sector_labels((200, 150), 50.0, 24.0, -math.pi, math.pi - 0.2)
    assert ring.ring_polygon(box, whole, 3) is None  # a parabola hardly bends round it: sag exits
    pts = np.stack(np.nonzero(whole)[::-1], 1).astype(np.float64)
    assert ring.fit_ring(pts) is None  # and its span is over MAX_SPAN
    monkeypatch.setattr(ring, "MAX_SPAN", 2 * math.pi)
    assert ring.fit_ring(pts) is not None
    three_quarters, box = sector_labels((200, 150), 50.0, 24.0, -math.pi, math.pi / 2)
    assert ring.ring_polygon(box, three_quarters, 3).shape == (14, 2)


def test_outline_takes_the_ring_only_for_poly_auto():
    labels, box = sector_labels((200, 150), 45.0, 30.0, -math.pi / 2 - 1.1, -math.pi / 2 + 1.1)
    assert outline(box, labels, 3, "auto").shape == (14, 2)
    np.testing.assert_array_equal(outline(box, labels, 3, False), box)
    # poly=true is the reference's --poly: its own column-wise step, which gives up on this bend.
    np.testing.assert_array_equal(outline(box, labels, 3, True), box)


@pytest.mark.slow
def test_words_round_a_tight_circle_read_right_by_default(fonts, craft_detector, crnn_recognizer, monkeypatch):
    """Two words on a circle of radius 1.5 text heights (DejaVu Serif): the column-wise step
    boxes "CITY" (read "GIT)") and cuts "market"'s end letters aslant ("~arker"); the ring
    reads both (measured: tight-arc scene of benchmarks/bench_curved.py)."""
    face = next((f for f in fonts if f.name == "DejaVuSerif.ttf"), None)
    if face is None:
        pytest.skip("DejaVu Serif not on this machine")
    from ocrkit_craft import polygon

    words, scales = ["CITY", "market"], [1.4, 1.0]
    images = []
    for word, scale in zip(words, scales):
        th = 0.75 * 30 * scale  # a capital's ink height, px
        size = (int(7.5 * th), int(11 * th))
        images.append(curved_text_image(word, "arc", size=size, radius_ratio=1.5, scale=scale, font=face))
    pipe = ocrkit.Pipeline(craft_detector, crnn_recognizer)
    found = pipe.read(images)
    assert [[len(w.polygon) for w in ws] for ws in found] == [[14], [14]]
    assert [" ".join(w.text for w in ws) for ws in found] == words
    monkeypatch.setattr(polygon, "ring_polygon", lambda *a: None)  # the column-wise step alone
    before = [" ".join(w.text for w in ws) for ws in pipe.read(images)]
    assert all(b != w for b, w in zip(before, words))


def test_ring_constants_mirror_the_polygon_step():
    """ring.py cannot import polygon.py (polygon imports ring), so it repeats two constants."""
    from ocrkit_craft import polygon

    assert ring.EXPAND_RATIO == polygon.EXPAND_RATIO
    assert ring.MIN_SAGITTA == pytest.approx(polygon.CURVED_BOW * polygon.EXPAND_RATIO)
