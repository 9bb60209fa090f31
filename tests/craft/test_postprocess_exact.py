"""The vectorised box step gives exactly the official getDetBoxes_core boxes (reference.py)."""

import cv2
import numpy as np
import pytest
from helpers import REFERENCE, need_plugin

need_plugin("ocrkit_craft")

from ocrkit_craft.postprocess import detect_boxes  # noqa: E402
from ocrkit_craft.reference import official_boxes  # noqa: E402


def _random_maps(seed: int, shape=(96, 160)):
    """Score maps with rotated 'words' (blobs along a line joined by links), some cut by the map
    border, near-square blobs, link-only strokes, specks, and low-level noise."""
    rng = np.random.default_rng(seed)
    h, w = shape
    region = (rng.random(shape) * 0.45).astype(np.float32)  # noise straddling low_text (0.4)
    affinity = (rng.random(shape) * 0.45).astype(np.float32)
    for _ in range(rng.integers(3, 9)):
        x, y = rng.uniform(-10, w + 10), rng.uniform(-10, h + 10)  # may start off the map
        angle, step = rng.uniform(0, np.pi), rng.uniform(5, 14)
        radius, count = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        prev = None
        for _ in range(count):
            c = (int(round(x)), int(round(y)))
            cv2.ellipse(region, c, (radius + int(rng.integers(0, 4)), radius), float(rng.uniform(0, 180)),
                        0, 360, float(rng.uniform(0.5, 1.0)), -1)  # fmt: skip
            if prev is not None and rng.random() < 0.8:
                cv2.line(affinity, prev, c, float(rng.uniform(0.3, 0.9)), int(rng.integers(1, 4)))
            prev = c
            x, y = x + step * np.cos(angle), y + step * np.sin(angle)
    for _ in range(3):  # link-only strokes and isolated specks
        p, q = rng.integers(0, [w, h]), rng.integers(0, [w, h])
        cv2.line(affinity, tuple(map(int, p)), tuple(map(int, q)), 0.7, 1)
        region[rng.integers(0, h), rng.integers(0, w)] = 0.95
    return region, affinity


def _assert_same(region, affinity, thresholds=(0.7, 0.4, 0.4)):
    ours = detect_boxes(region, affinity, *thresholds)
    boxes, labels, mapper = official_boxes(region, affinity, *thresholds)
    # A component without text pixels gets a degenerate box at the origin there; ocrkit drops it.
    kept = [i for i, b in enumerate(boxes) if b.any()]
    boxes, mapper = [boxes[i] for i in kept], [mapper[i] for i in kept]
    assert ours.label_ids == mapper
    assert np.array_equal(ours.labels, labels)
    assert len(ours.boxes) == len(boxes)
    for a, b in zip(ours.boxes, boxes):
        assert a.dtype == np.float32 and np.array_equal(a, b), (a, b)
    return ours


@pytest.mark.parametrize("seed", range(40))
def test_same_boxes_as_the_official_loop_on_random_maps(seed):
    region, affinity = _random_maps(seed)
    ours = _assert_same(region, affinity)
    # Scores: the mean region score over each component, clipped to [0, 1].
    for k, s in zip(ours.label_ids, ours.scores):
        assert s == pytest.approx(min(1.0, float(region[ours.labels == k].mean())), abs=1e-6)


@pytest.mark.parametrize("thresholds", [(0.5, 0.3, 0.3), (0.9, 0.6, 0.2), (0.3, 0.4, 0.5)])
def test_same_boxes_at_other_thresholds(thresholds):
    # (0.3, 0.4, 0.5): text_threshold below low_text, so peaks can sit on non-text pixels.
    for seed in range(5):
        _assert_same(*_random_maps(100 + seed), thresholds)


def test_empty_and_full_maps():
    zeros = np.zeros((40, 64), np.float32)
    assert detect_boxes(zeros, zeros, 0.7, 0.4, 0.4).boxes == []
    _assert_same(np.full((40, 64), 0.9, np.float32), zeros)  # one component covering the map
    links = zeros.copy()
    links[10:12, 5:50] = 0.9
    assert detect_boxes(zeros, links, 0.7, 0.4, 0.4).boxes == []  # links alone never peak


def test_component_without_text_pixels_is_dropped():
    region = np.zeros((40, 64), np.float32)
    affinity = np.zeros_like(region)
    affinity[10:13, 5:40] = 0.9
    region[10:13, 5:40] = 0.35  # above text_threshold 0.3 but not low_text 0.4: links only
    region[25:30, 10:20] = 0.9  # one real word
    comps = _assert_same(region, affinity, (0.3, 0.4, 0.4))
    assert len(comps.boxes) == 1 and official_boxes(region, affinity, 0.3, 0.4, 0.4)[0][0].any() == 0


@pytest.mark.skipif(not (REFERENCE / "craft").is_dir(), reason="../shared/reference is not available")
@pytest.mark.parametrize("stem", ["img_108", "82092117"])
def test_same_boxes_on_real_score_maps(stem):
    maps = np.load(REFERENCE / "craft" / f"{stem}.npz")
    _assert_same(maps["region"], maps["affinity"])


def test_lone_characters_under_text_threshold_come_flagged_unsure():
    region = np.zeros((60, 120), np.float32)
    affinity = np.zeros_like(region)
    cv2.circle(region, (15, 30), 5, 0.6, -1)  # a lone character, peak 0.6
    cv2.ellipse(region, (60, 30), (18, 5), 0, 0, 360, 0.6, -1)  # as faint but 3.6:1: not one
    for x in (90, 100, 110):  # a word of three linked characters, peak 0.9
        cv2.circle(region, (x, 30), 4, 0.9, -1)
    cv2.line(affinity, (90, 30), (110, 30), 0.8, 3)
    comps = detect_boxes(region, affinity, 0.7, 0.4, 0.4, 0.5)
    centres = [float(b[:, 0].mean()) for b in comps.boxes]
    assert [u for _, u in sorted(zip(centres, comps.unsure))] == [True, False]
    assert abs(min(centres) - 15) <= 1.5 and abs(max(centres) - 100) <= 1.5  # dilation: ±1
    for off in (None, 0.7, 0.9):  # no band below text_threshold: the reference's words only
        comps = detect_boxes(region, affinity, 0.7, 0.4, 0.4, off)
        assert len(comps.boxes) == 1 and comps.unsure == [False]


@pytest.mark.parametrize("seed", range(10))
def test_with_the_unsure_band_the_sure_boxes_stay_the_officials(seed):
    region, affinity = _random_maps(seed)
    ours = detect_boxes(region, affinity, 0.7, 0.4, 0.4, 0.5)
    sure = [(k, b) for k, b, u in zip(ours.label_ids, ours.boxes, ours.unsure) if not u]
    boxes, _, mapper = official_boxes(region, affinity, 0.7, 0.4, 0.4)
    official = [(k, b) for k, b in zip(mapper, boxes) if b.any()]
    assert [k for k, _ in sure] == [k for k, _ in official]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(sure, official))
    for b, u in zip(ours.boxes, ours.unsure):
        if u:  # a lone character: peaks in [0.5, 0.7), under 2:1
            sides = np.linalg.norm(b - np.roll(b, 1, axis=0), axis=1)
            assert sides.max() < 2.0 * sides.min() + 1e-3
