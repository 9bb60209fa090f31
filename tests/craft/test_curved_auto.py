"""``poly=auto`` (the default): a polygon only where the word bends, the reference box elsewhere."""

import numpy as np
import pytest
from helpers import SAMPLE, need_plugin

import ocrkit
from ocrkit.testing import curved_text_image

need_plugin("ocrkit_craft")
from ocrkit_craft import CraftConfig  # noqa: E402
from ocrkit_craft.polygon import CURVED_BOW, along_text, bow  # noqa: E402


def band(centre_line: np.ndarray, normals: np.ndarray, half: float) -> np.ndarray:
    """A 14-point CRAFT-layout polygon: 7 points along the top left → right, 7 along the bottom
    right → left, ``half`` either side of ``centre_line`` (7, 2) along ``normals`` (7, 2)."""
    return np.concatenate([centre_line - half * normals, (centre_line + half * normals)[::-1]])


def test_bow_of_straight_rotated_and_arc_polygons():
    xs = np.linspace(0, 120, 7)
    straight = band(np.stack([xs, np.full(7, 50.0)], 1), np.tile([0.0, 1.0], (7, 1)), 10)
    assert bow(straight) == pytest.approx(0.0, abs=1e-9)
    turn = np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]])
    assert bow(straight @ turn.T + 300) == pytest.approx(0.0, abs=1e-9)  # rotation-invariant
    # Centre line on a circle of radius 3 word heights spanning 1.5 rad, as on a stamp: it bows
    # by R(1 − cos 0.75) = 0.80 heights.
    h, radius = 20.0, 60.0
    angles = np.linspace(-0.75, 0.75, 7)
    outward = np.stack([np.sin(angles), -np.cos(angles)], 1)  # unit, away from the circle's centre
    arc = band(radius * outward, -outward, h / 2)  # left → right over the top; top edge outermost
    assert bow(arc) == pytest.approx(radius * (1 - np.cos(0.75)) / h, rel=1e-6)
    assert bow(arc) > CURVED_BOW > bow(straight) + 0.3
    assert bow(np.zeros((14, 2))) == 0.0  # degenerate: no height, no length


def test_steep_boxes_are_turned_to_run_along_the_text():
    # A 100×20 word reading up and to the right at 60°: u along the text, n towards its bottom.
    u, n = np.array([0.5, -np.sqrt(3) / 2]), np.array([np.sqrt(3) / 2, 0.5])
    tl, tr, br, bl = -50 * u - 10 * n, 50 * u - 10 * n, 50 * u + 10 * n, -50 * u + 10 * n
    text_frame = np.array([tl, tr, br, bl])
    for start in range(4):  # whichever corner the clockwise box starts at
        box = np.roll(text_frame, -start, axis=0)
        got = along_text(box)
        first = got[1] - got[0]
        assert np.linalg.norm(first) == pytest.approx(100) and first[0] > 0
        np.testing.assert_array_equal(got, text_frame)
    assert along_text(text_frame) is text_frame  # already along the text: untouched


def test_poly_accepts_true_false_auto_only():
    assert CraftConfig().poly == "auto"
    assert ocrkit.build_config(CraftConfig, {"poly": "false"}).poly is False
    assert ocrkit.build_config(CraftConfig, {"poly": "yes"}).poly is True
    with pytest.raises(ocrkit.ConfigError, match="poly must be true, false or auto"):
        ocrkit.build_config(CraftConfig, {"poly": "curved"})


@pytest.mark.slow
def test_straight_words_keep_the_reference_boxes(craft_detector):
    page = ocrkit.read_image(SAMPLE)
    auto = craft_detector.detect([page])[0]
    boxes = ocrkit.load_detector("craft", poly=False).detect([page])[0]
    every = ocrkit.load_detector("craft", poly=True).detect([page])[0]
    assert sum(len(d.polygon) == 14 for d in every) > 10  # the polygon step follows many words…
    assert len(auto) == len(boxes) > 30  # …but none of them bends
    for a, b in zip(auto, boxes):
        np.testing.assert_array_equal(a.polygon, b.polygon)


@pytest.mark.slow
def test_curved_words_get_polygons_and_read_by_default(craft_detector, crnn_recognizer):
    words = ["CURVED", "STAMPED", "CIRCLE"]
    images = [curved_text_image(w, "arc") for w in words]  # radius 3 text heights
    detections = craft_detector.detect(images)
    assert [[len(d.polygon) for d in ds] for ds in detections] == [[14]] * 3
    got = [" ".join(w.text for w in ws) for ws in ocrkit.Pipeline(craft_detector, crnn_recognizer).read(images)]
    assert got == words  # with poly=false 0 of the 3 (measured); quad crops: see test_tps_crop


def word_mask(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A label map (int32, component 1) shaped as CRAFT's mask of a word — a blob per
    character, ascenders taller, joined by links — straight, tilted, on a sine or an arc, and
    its clockwise minimum-area box, as the box step gives it."""
    import cv2

    from ocrkit_craft.postprocess import top_left_first

    labels = np.zeros((200, 360), np.uint8)
    size, count = rng.uniform(6, 16), int(rng.integers(2, 12))  # x-height, characters
    xs = (np.arange(count) - (count - 1) / 2) * size * rng.uniform(0.8, 1.2)
    length = max(float(np.ptp(xs)), size)
    shape = rng.choice(3, p=[0.6, 0.2, 0.2])
    ys = [np.zeros_like(xs), rng.uniform(0.2, 1.5) * size * np.sin(xs / length * rng.uniform(2, 6)),
          (xs / length) ** 2 * rng.uniform(0.5, 4) * size][shape]  # fmt: skip
    angle = rng.uniform(-0.6, 0.6)
    c, s = np.cos(angle), np.sin(angle)
    pts = np.stack([180 + c * xs - s * ys, 100 + s * xs + c * ys], 1)
    cv2.polylines(labels, [pts.astype(np.int32)], False, 1, max(1, int(0.4 * size)))  # links
    for (x, y), tall in zip(pts, rng.choice([-1.0, 0.0, 0.0, 1.0], count)):
        rise = 0.35 * size * tall  # an ascender (1) or descender (−1): its centre moved
        centre = (int(x + s * rise), int(y - c * rise))
        axes = (max(1, int(0.4 * size)), max(1, int(0.5 * size + abs(rise))))
        cv2.ellipse(labels, centre, axes, float(np.degrees(angle)), 0, 360, 1, -1)
    found = np.stack(np.nonzero(labels)[::-1], 1).astype(np.float32)
    box = top_left_first(cv2.boxPoints(cv2.minAreaRect(found))[None])[0]
    return labels.astype(np.int32), box


def bound_and_bow(monkeypatch, cases) -> list[tuple[float, float]]:
    """(``_bow_at_most``, bow of the whole step's polygon) for each (labels, box, label) case
    whose word gets a polygon, checking on the way that ``min_bow=CURVED_BOW`` gives that very
    polygon or, only where it bows less, None."""
    from ocrkit_craft import polygon

    bounds = []
    real = polygon._bow_at_most
    monkeypatch.setattr(polygon, "_bow_at_most", lambda *a: bounds.append(real(*a)) or bounds[-1])
    out = []
    for labels, box, label in cases:
        box = along_text(box)
        full = polygon.word_polygon(box, labels, label)
        if full is None:
            continue
        bounds.clear()
        polygon.word_polygon(box, labels, label, min_bow=np.inf)  # records the bound
        out.append((bounds[0], bow(full)))
        quick = polygon.word_polygon(box, labels, label, min_bow=CURVED_BOW)
        assert (quick is None and bow(full) < CURVED_BOW) or np.array_equal(quick, full)
    return out


def test_the_bow_bound_never_undercuts_the_polygons_bow(monkeypatch):
    # poly=auto gives up on a word before its end caps when _bow_at_most says its polygon would
    # bow under CURVED_BOW. That must be a true bound: never below the bow of the polygon the
    # whole step makes, so that auto keeps exactly the polygons it kept before.
    rng = np.random.default_rng(5)
    pairs = bound_and_bow(monkeypatch, [(*word_mask(rng), 1) for _ in range(300)])
    assert len(pairs) > 20 and sum(b >= CURVED_BOW for _, b in pairs) > 10  # bent ones too
    assert all(bound >= b for bound, b in pairs)


def test_the_bow_bound_settles_most_straight_words_of_real_maps(monkeypatch):
    # The official CRAFT's score maps of 7 ICDAR 2015 photos and 2 FUNSD forms: the bound holds
    # on every word with a polygon, and tells most straight ones apart before their end caps.
    from helpers import REFERENCE

    from ocrkit_craft.postprocess import detect_boxes

    maps = sorted((REFERENCE / "craft").glob("*.npz"))
    if not maps:
        pytest.skip("../shared/reference/craft is not available")
    cases = []
    for path in maps:
        with np.load(path) as m:
            comps = detect_boxes(m["region"], m["affinity"], 0.7, 0.4, 0.4)
        cases += [(comps.labels, box, k) for box, k in zip(comps.boxes, comps.label_ids)]
    pairs = bound_and_bow(monkeypatch, cases)
    assert all(bound >= b for bound, b in pairs)
    straight = [bound for bound, b in pairs if b < CURVED_BOW]
    settled = sum(bound < CURVED_BOW for bound in straight)
    assert len(straight) > 30 and settled > 0.6 * len(straight)


def test_ring_search_skips_a_component_under_its_pixel_floor(monkeypatch):
    from ocrkit_craft import polygon, ring

    rng = np.random.default_rng(1)
    labels, box = word_mask(rng)
    while (labels == 1).sum() < ring.MIN_PIXELS:  # one the search would look at
        labels, box = word_mask(rng)
    area = int((labels == 1).sum())
    for poly in ("auto", True, False):
        np.testing.assert_array_equal(polygon.outline(box, labels, 1, poly, area),
                                      polygon.outline(box, labels, 1, poly))  # fmt: skip
    calls = []
    real = ring.sag
    monkeypatch.setattr(ring, "sag", lambda pts: calls.append(1) or real(pts))
    ring.ring_polygon(box, labels, 1, area=area)
    assert calls  # its pixels were listed and measured
    calls.clear()
    assert ring.ring_polygon(box, labels, 1, area=ring.MIN_PIXELS - 1) is None
    assert not calls  # a smaller component: gone before its pixels were even listed
