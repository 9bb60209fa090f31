"""Words on a circle: the TPS crop's chains rebuilt square to the circle (``ocrkit_craft.arc``)."""

import numpy as np
import pytest
from helpers import need_plugin

import ocrkit
from ocrkit.testing import curved_text_image

need_plugin("ocrkit_craft")
from ocrkit_craft import arc  # noqa: E402
from ocrkit_craft import tps_crop as T  # noqa: E402
from ocrkit_craft.polygon import split_chains  # noqa: E402


def craft_like_arc(radius: float, half: float, span: float, outward_top: bool, cap_slant: float):
    """Top and bottom chains (7, 2) of a word on a circle about (200, 200) as CRAFT draws it: 5
    pivots square to the circle and two end caps slanted ``cap_slant`` rad off the radius (the
    last pivot's segment slid outward)."""
    o = np.array([200.0, 200.0])
    angles = np.linspace(-np.pi / 2 - span / 2, -np.pi / 2 + span / 2, 7)  # over the top, left → right
    radial = np.stack([np.cos(angles), np.sin(angles)], 1)
    slant = np.zeros(7)
    slant[0], slant[-1] = cap_slant, -cap_slant  # the caps turned back towards the middle
    c, s = np.cos(slant), np.sin(slant)
    down = np.stack([c * radial[:, 0] - s * radial[:, 1], s * radial[:, 0] + c * radial[:, 1]], 1)
    down = -down if outward_top else down  # top → bottom direction
    middle = o + radius * radial
    return middle - half * down, middle + half * down, o


def radial_misalignment(top: np.ndarray, bottom: np.ndarray, o: np.ndarray) -> np.ndarray:
    """|sin| of the angle between each cross-line and the radius through its midpoint."""
    across = bottom - top
    rel = (top + bottom) / 2 - o
    cross = across[:, 0] * rel[:, 1] - across[:, 1] * rel[:, 0]
    return np.abs(cross) / (np.linalg.norm(across, axis=1) * np.linalg.norm(rel, axis=1))


def test_fit_circle_recovers_a_circle_and_none_through_a_line():
    angles = np.linspace(0.3, 2.0, 7)
    points = np.stack([50 + 80 * np.cos(angles), -20 + 80 * np.sin(angles)], 1)
    centre, radius = arc.fit_circle(points)
    np.testing.assert_allclose(centre, [50, -20], atol=1e-6)
    assert radius == pytest.approx(80, abs=1e-6)
    xs = np.linspace(0, 200, 7)
    assert arc.fit_circle(np.stack([xs, np.full(7, 55.0)], 1)) is None
    assert arc.fit_circle(np.stack([xs, 0.3 * xs + 4], 1)) is None


@pytest.mark.parametrize("outward_top", [True, False])
def test_slanted_end_caps_are_turned_square_to_the_circle(outward_top):
    top, bottom, o = craft_like_arc(90.0, 15.0, 1.6, outward_top, cap_slant=0.35)
    assert radial_misalignment(top, bottom, o)[[0, -1]].min() > 0.3  # the caps slant
    new_top, new_bottom = arc.arc_chains(top, bottom)
    assert new_top.shape == (arc.SAMPLES, 2) == new_bottom.shape
    assert radial_misalignment(new_top, new_bottom, o).max() < 1e-6  # every cross-line radial
    # Same ends (the caps' midpoints), same height, and the top stays the top.
    np.testing.assert_allclose((new_top + new_bottom)[[0, -1]] / 2, ((top + bottom) / 2)[[0, -1]], atol=1.0)
    np.testing.assert_allclose(np.linalg.norm(new_bottom - new_top, axis=1), 30.0, atol=1e-6)
    outward = np.linalg.norm(new_top - o, axis=1) > np.linalg.norm(new_bottom - o, axis=1)
    assert outward.all() if outward_top else not outward.any()


def test_straight_and_wavy_words_keep_their_chains():
    xs = np.linspace(0, 200, 7)
    flat_top, flat_bottom = np.stack([xs, np.full(7, 40.0)], 1), np.stack([xs, np.full(7, 70.0)], 1)
    assert arc.arc_chains(flat_top, flat_bottom)[0] is flat_top
    wave = 25 * np.sin(xs / 200 * 2 * np.pi)  # a full period: no circle through its centre line
    wave_top = np.stack([xs, 40 + wave], 1)
    assert arc.arc_chains(wave_top, wave_top + [0, 30])[0] is wave_top
    two = flat_top[:2]
    assert arc.arc_chains(two, flat_bottom[:2])[0] is two  # too few points


@pytest.mark.slow
def test_end_letters_on_a_tight_arc_read_upright(fonts, monkeypatch):
    """Words on a circle of radius 2 text heights: the caps CRAFT draws leave the end letters
    tilted in the crop, read "preao", "karm", "grewery" (measured, without the lexicon, which
    puts some of them right too); square to the circle they read right. Of 60 such renders (5 words, 3 faces, radius 2 and 3, over and under the rim)
    the chains changed 11 readings, 10 to the truth and none away from it."""
    face = next((f for f in fonts if f.name == "DejaVuSans.ttf"), None)
    if face is None:
        pytest.skip("DejaVu Sans not on this machine")
    det = ocrkit.load_detector("craft", poly=True)
    reader = ocrkit.load_recognizer("crnn", lexicon=None)
    words = ["bread", "farm", "Brewery"]
    images = [curved_text_image(w, "arc", size=(420, 560), scale=1.4, radius_ratio=2.0, font=face)
              for w in words]
    polygons = [d[0].polygon for d in det.detect(images)]
    assert all(len(p) == 14 for p in polygons)

    for polygon in polygons:  # these centre lines are arcs
        top, bottom = split_chains(np.asarray(polygon, np.float64))
        assert arc.arc_chains(top, bottom)[0] is not top

    def read() -> list[str]:
        crops = [T.tps_crop(image, polygon, 64) for image, polygon in zip(images, polygons)]
        return [r.text for r in reader.recognize(crops)]

    assert read() == words
    monkeypatch.setattr(T, "arc_chains", lambda top, bottom: (top, bottom))  # the caps as drawn
    assert all(a != b for a, b in zip(read(), words))
