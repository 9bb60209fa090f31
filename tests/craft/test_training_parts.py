"""CRAFT training pieces: Gaussian labels, affinity, OHEM, weak supervision (SPEC §2)."""

import cv2
import numpy as np
import pytest
import torch
from helpers import need_plugin

need_plugin("ocrkit_craft")

from ocrkit.testing import synthetic_text_image  # noqa: E402
from ocrkit_craft.gaussian import diagonal_centre, enlarge  # noqa: E402
from ocrkit_craft.labels import affinity_map, affinity_quads, region_map  # noqa: E402
from ocrkit_craft.loss import ohem_map_loss  # noqa: E402
from ocrkit_craft.weak_supervision import (  # noqa: E402
    cell_boxes, confidence_map, pseudo_word, rectify, s_conf, watershed_boxes, word_length,
)


def quad(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)


def test_gaussian_calibration():
    r = region_map(quad(40, 40, 40, 60)[None], (160, 160))
    assert r.max() == pytest.approx(1.0) and r[70, 60] == pytest.approx(1.0, abs=0.02)  # centre
    # Original box edge midpoints: exp(−(100/1.5)² / (2·40²)) = 0.249
    for y, x in ((40, 60), (100, 60), (70, 40), (70, 80)):
        assert r[y, x] == pytest.approx(0.25, abs=0.02)
    assert r[5, 5] == 0.0  # outside the 1.5× box


def test_enlarge_about_the_diagonal_intersection():
    q = np.array([[0, 0], [10, 0], [12, 8], [0, 6]], np.float64)
    c = diagonal_centre(q)
    big = enlarge(q)
    np.testing.assert_allclose(big - c, 1.5 * (q - c))


def test_affinity_quads_and_map():
    chars = np.stack([quad(10 + 30 * k, 20, 20, 30) for k in range(3)])
    aff = affinity_quads(chars)
    assert aff.shape == (2, 4, 2)
    # Upper triangle centroid of char 0: mean of (10,20), (30,20), centre (20,35) = (20, 25).
    np.testing.assert_allclose(aff[0, 0], [20, 25])
    np.testing.assert_allclose(aff[0, 3], [20, 45])  # lower triangle centroid of char 0
    assert affinity_quads(chars[:1]).shape == (0, 4, 2)  # one character: no affinity
    a = affinity_map([chars], (80, 120))
    assert a[35, 35] > 0.9 and a[35, 20] < 0.5  # peaks halfway between character centres


def test_enlarge_along_the_quads_width_only():
    q = np.array([[0, 0], [10, 0], [10, 6], [0, 6]], np.float64)
    np.testing.assert_allclose(enlarge(q, 0.5, along=0.0), [[0, -1.5], [10, -1.5], [10, 7.5], [0, 7.5]])
    np.testing.assert_allclose(enlarge(q, 0.5, along=0.5), enlarge(q, 0.5))


@pytest.mark.parametrize("vertical", [False, True])
def test_affinity_kept_between_character_centres(vertical):
    """By default each link keeps its length (from one character's centre to the next) and is
    1.5× as wide; ``along=0.5`` (the isotropic 1.5×) draws it past the centres too."""
    chars = np.stack([quad(10 + 30 * k, 20, 20, 30) for k in range(3)])  # centres x = 20, 50, 80
    if vertical:
        chars = chars[..., ::-1].copy()  # transpose: characters follow each other downwards
        chars = chars[:, [0, 3, 2, 1]]  # back to TL, TR, BR, BL order
    shape = (80, 120) if not vertical else (120, 80)
    short, long = affinity_map([chars], shape), affinity_map([chars], shape, along=0.5)
    if vertical:
        short, long = short.T, long.T
    along_short, along_long = np.nonzero(short.max(axis=0) > 0.1)[0], np.nonzero(long.max(axis=0) > 0.1)[0]
    assert along_short[0] >= 20 and along_short[-1] <= 80  # inside the outer characters' centres
    assert along_long[0] < 20 and along_long[-1] > 80
    across = np.nonzero(short.max(axis=1) > 0.1)[0], np.nonzero(long.max(axis=1) > 0.1)[0]
    assert across[0].tolist() == across[1].tolist()  # the same height


def test_ohem_counts_positives_and_three_times_negatives():
    target = torch.zeros(1, 10, 10)
    target[0, :2, :5] = 1.0  # 10 positive pixels
    pred = torch.zeros(1, 10, 10)
    pred[0, 5:, :] = torch.arange(50, dtype=torch.float32).reshape(5, 10) / 100  # graded negatives
    conf = torch.ones(1, 10, 10)
    loss = ohem_map_loss(pred, target, conf, neg_ratio=3.0)
    # positives: mean (0 − 1)² = 1; negatives: the 30 largest of (i/100)², i = 20..49
    hardest = (torch.arange(20, 50, dtype=torch.float32) / 100) ** 2
    assert loss.item() == pytest.approx(1.0 + hardest.mean().item(), rel=1e-5)
    zero_conf = ohem_map_loss(pred, target, torch.zeros_like(conf))
    assert zero_conf.item() == 0.0


def test_s_conf_and_fallback_are_exact():
    assert s_conf(5, 5) == 1.0 and s_conf(5, 4) == 0.8 and s_conf(5, 7) == 0.6
    assert s_conf(4, 1) == 0.25 and s_conf(3, 9) == 0.0
    assert word_length("New York") == 7  # spaces are not characters (backtime92 bug)

    def nothing(crop):  # an interim model that finds no character at all
        return np.zeros((crop.shape[0] // 2, crop.shape[1] // 2), np.float32)

    image = np.full((60, 200, 3), 255, np.uint8)
    pw = pseudo_word(image, quad(20, 10, 160, 40), "ABCD", nothing)
    assert pw.split and pw.confidence == 0.5 and pw.found == 0 and len(pw.chars) == 4
    widths = pw.chars[:, 1, 0] - pw.chars[:, 0, 0]
    np.testing.assert_allclose(widths, 40, atol=0.5)  # equal split of the 160-px word


def test_watershed_uses_the_interim_models_map():
    region = np.zeros((20, 60), np.float32)
    for x in (10, 30, 50):
        cv2.circle(region, (x, 10), 5, 0.9, -1)
    assert len(watershed_boxes(region)) == 3
    region[:, 24:37] = 0
    assert len(watershed_boxes(region)) == 2  # a different model output, different boxes

    def fake_model(crop):  # three blobs in whatever crop it is given
        h, w = crop.shape[0] // 2, crop.shape[1] // 2
        out = np.zeros((h, w), np.float32)
        for k in range(3):
            cv2.circle(out, (int(w * (k + 0.5) / 3), h // 2), max(2, h // 4), 0.9, -1)
        return out

    pw = pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 150, 40), "ABC", fake_model)
    assert not pw.split and pw.found == 3 and pw.confidence == 1.0
    xs = pw.chars.mean(axis=1)[:, 0]  # not an equal split: follows the blobs
    assert np.all(np.diff(xs) > 0) and 20 <= xs.min() and xs.max() <= 170
    # "cell" (default): each box is the character's cell between its neighbours and twice its
    # basin's height (blob radius h/4 of the map: ~half the word) — here the word's height.
    ys = pw.chars[:, :, 1]
    np.testing.assert_allclose([ys.min(), ys.max()], [10, 50], atol=0.5)
    widths = pw.chars[:, 1, 0] - pw.chars[:, 0, 0]
    assert np.all(widths > 30)  # a cell (~43 px), wider than the blob's basin
    full = pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 150, 40), "ABC", fake_model, boxes="full")
    np.testing.assert_allclose([full.chars[:, :, 1].min(), full.chars[:, :, 1].max()], [10, 50], atol=0.5)
    tight = pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 150, 40), "ABC", fake_model,
                        boxes="basin")  # fmt: skip
    assert tight.found == 3 and 15 < tight.chars[:, :, 1].min() and tight.chars[:, :, 1].max() < 45
    np.testing.assert_allclose(tight.chars[:, :, 0], full.chars[:, :, 0], atol=1e-3)  # same split
    assert np.all(tight.chars[:, 1, 0] - tight.chars[:, 0, 0] < widths)
    # By default the affinity is drawn between the region boxes (one set of boxes for both
    # maps); basin_links=True draws it between the basins' own boxes whatever the region boxes.
    assert pw.link_chars is pw.chars
    basin = pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 150, 40), "ABC", fake_model,
                        basin_links=True)  # fmt: skip
    np.testing.assert_allclose(basin.link_chars, tight.chars, atol=1e-3)
    np.testing.assert_allclose(basin.chars, pw.chars, atol=1e-3)  # the region boxes are still cells
    with pytest.raises(ValueError, match="cell, full, basin"):
        pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 150, 40), "ABC", fake_model, boxes="tall")


def test_cell_boxes_span_between_neighbours_at_twice_the_basin_height():
    basins = np.array([[10, 40, 20, 80], [30, 50, 40, 70], [50, 40, 62, 80]], np.float64)
    cells = cell_boxes(basins, width=100)
    # centres 15, 35, 56; midpoints 25, 45.5; outer sides the basins' own edges (10, 62)
    np.testing.assert_allclose(cells[:, 0], [7.5, 24.75, 47.75])
    np.testing.assert_allclose(cells[:, 2], [22.5, 45.25, 64.25])
    np.testing.assert_allclose(cells[:, [1, 3]], [[20, 100], [40, 80], [20, 100]])  # 2× about the centre
    clipped = cell_boxes(np.array([[0, 10, 30, 120]], np.float64), width=25)  # one basin: its own width
    np.testing.assert_allclose(clipped, [[0, 0, 25, 128]])  # inside the 128-px crop


def test_equal_split_basin_links_follow_the_maps_text_band():
    def faint_band(crop):  # text seen in the middle half of the rows, no character peak
        h, w = crop.shape[0] // 2, crop.shape[1] // 2
        out = np.zeros((h, w), np.float32)
        out[h // 4 : 3 * h // 4] = 0.3
        return out

    pw = pseudo_word(np.zeros((60, 200, 3), np.uint8), quad(20, 10, 160, 40), "ABCD", faint_band,
                     basin_links=True)  # fmt: skip
    assert pw.split and pw.found == 0 and len(pw.link_chars) == 4
    np.testing.assert_allclose(pw.chars[:, :, 1].min(), 10, atol=0.5)  # region boxes: twice the band,
    np.testing.assert_allclose(pw.chars[:, :, 1].max(), 50, atol=0.5)  # here the word's height
    ys = pw.link_chars[:, :, 1]  # links: the band, rows 1/4..3/4 of the word
    np.testing.assert_allclose([ys.min(), ys.max()], [20, 40], atol=0.6)
    np.testing.assert_allclose(pw.link_chars[:, :, 0], pw.chars[:, :, 0], atol=1e-3)


def test_inverse_mapping_uses_the_homogeneous_divide():
    image = np.zeros((200, 300, 3), np.uint8)
    persp = np.array([[50, 40], [250, 70], [240, 150], [60, 120]], np.float64)  # a real perspective
    crop, inv, vertical = rectify(image, persp)
    assert not vertical
    corners = np.float32([[0, 0], [crop.shape[1], 0], [crop.shape[1], crop.shape[0]], [0, crop.shape[0]]])
    back = cv2.perspectiveTransform(corners[None], inv)[0]
    np.testing.assert_allclose(back, persp, atol=1e-3)  # without the divide this is far off


@pytest.mark.slow
def test_pseudo_boxes_recover_the_characters_of_a_rendered_word():
    from ocrkit_craft.detector import load_craft
    from ocrkit_craft.preprocess import Resized, make_batch

    model = load_craft()

    def region_fn(crop):
        pad = Resized(crop.astype(np.float32), 1.0, (crop.shape[0] + -crop.shape[0] % 32,
                                                     crop.shape[1] + -crop.shape[1] % 32))  # fmt: skip
        with torch.no_grad():
            scores, _ = model(torch.from_numpy(make_batch([pad])))
        return scores[0, : crop.shape[0] // 2, : crop.shape[1] // 2, 0].numpy()

    image, quads = synthetic_text_image(["HELLO"], size=(100, 300), scale=1.5)
    pw = pseudo_word(image, quads[0], "HELLO", region_fn)
    assert pw.found == 5 and pw.confidence == 1.0 and not pw.split
    centres = pw.chars.mean(axis=1)
    assert np.all(np.diff(centres[:, 0]) > 15)  # left to right, one per letter
    lo, hi = quads[0].min(axis=0), quads[0].max(axis=0)
    assert np.all((centres >= lo - 2) & (centres <= hi + 2))


def test_confidence_map_fills_polygons_not_bounds():
    tilted = np.array([[10, 10], [50, 30], [40, 50], [0, 30]], np.float32)
    conf = confidence_map((60, 60), [(tilted, 0.6)], dont_care=[quad(45, 0, 10, 10)])
    assert conf[30, 25] == pytest.approx(0.6) and conf[12, 45] == 1.0  # inside bbox, outside polygon
    assert conf[5, 50] == 0.0 and conf[55, 55] == 1.0


def test_real_page_crop_makes_cut_words_dont_care(tmp_path):
    from ocrkit.datasets.base import DetectionSample
    from ocrkit.types import GroundTruth
    from ocrkit_craft.data import RealPages

    image = np.full((100, 100, 3), 255, np.uint8)
    cv2.imwrite(str(tmp_path / "page.png"), image)
    targets = [GroundTruth(quad(10, 10, 30, 10).astype(np.float32), "whole"),   # inside the crop
               GroundTruth(quad(80, 40, 40, 10).astype(np.float32), "cut"),     # crosses x = 100
               GroundTruth(quad(10, 60, 30, 10).astype(np.float32), "", ignore=True)]  # fmt: skip
    pages = RealPages([DetectionSample("page", tmp_path / "page.png", targets)], 100, scale_range=(1.0, 1.0))
    prepared = pages[0]["prepared"]
    assert [text for _, text, _ in prepared.words] == ["whole"]  # only the whole word is supervised
    assert len(prepared.unused) == 2  # the cut word and the don't-care one: confidence 0
    cut = next(q for q in prepared.unused if q[:, 0].max() > 100)
    np.testing.assert_allclose(cut[:, 0].min(), 80, atol=1e-3)


def test_page_targets_links_from_the_basins_are_thinner_than_from_the_cells():
    from ocrkit_craft.pseudo_labels import page_targets, prepare_page

    page = np.zeros((96, 256, 3), np.uint8)
    prepared = prepare_page(page, [(quad(40, 30, 150, 40).astype(np.float32), "ABC", False)], 64,
                            np.random.default_rng(0))  # fmt: skip
    h, w = prepared.crops[0].shape[0] // 2, prepared.crops[0].shape[1] // 2
    blobs = np.zeros((h, w), np.float32)  # the interim model's map: three blobs, half the height
    for k in range(3):
        cv2.circle(blobs, (int(w * (k + 0.5) / 3), h // 2), h // 4, 0.9, -1)
    args = (prepared.shape, prepared.words, [blobs], prepared.unused, 0.6, 0.2, "cell")
    region, affinity, conf = page_targets(*args, basin_links=True)
    region_full, affinity_full, _ = page_targets(*args, basin_links=False)
    np.testing.assert_array_equal(region, region_full)  # the region boxes are the cells either way
    rows = lambda a: np.nonzero((a > 0.4).any(axis=1))[0]  # noqa: E731
    assert len(rows(affinity)) and len(rows(affinity)) < len(rows(affinity_full))  # thinner links
    assert conf[25, 50] == 1.0  # s_conf of the word (3 basins for "ABC")
