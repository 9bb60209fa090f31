import numpy as np
import pytest
from helpers import FakeDetector

from ocrkit import Detection, Pipeline, Recognition, Word
from ocrkit.lines import merge_line, to_lines
from ocrkit.output import text_lines
from ocrkit.orientation import MIN_VOTERS, candidate_angles, check_rotations, is_squarish, is_vertical, rotated, vote
from ocrkit.orientation import probes, upside_down


def box(x, y, w, h):
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)


def test_vertical_rule_and_candidates():
    tall, wide = Detection(box(0, 0, 10, 40), 1), Detection(box(0, 0, 40, 10), 1)
    assert is_vertical(tall.polygon) and not is_vertical(wide.polygon)
    assert candidate_angles(wide, ()) == [0]
    assert candidate_angles(tall, ()) == [0, 90, 270]
    assert candidate_angles(wide, (180, 90)) == [0, 180, 90]
    with pytest.raises(ValueError, match="multiples of 90"):
        check_rotations([45])


def test_squarish_regions_are_neither_wide_nor_tall():
    assert is_squarish(box(0, 0, 20, 16)) and is_squarish(box(0, 0, 16, 20))
    assert not is_squarish(box(0, 0, 40, 10)) and not is_squarish(box(0, 0, 10, 40))


def test_vertical_regions_vote_for_one_direction():
    # Two words read best at 90°; one, taken for a tall glyph, reads best upright (0.99).
    turned = [{0: 0.2, 90: 0.8, 270: 0.3}, {0: 0.1, 90: 0.7, 270: 0.2}, {0: 0.99, 90: 0.6, 270: 0.1}]
    assert MIN_VOTERS == 3 and vote(turned) == 90  # totals: 0 → 1.29, 90 → 2.1, 270 → 0.6
    assert vote(turned[:2]) is None  # too few to tell a page from a stray tall letter
    letters = [{0: 0.95, 90: 0.3, 270: 0.2}] * 3  # upright tall letters ("I", "l", "1")
    assert vote(letters) == 0
    assert vote([{0: 0.5, 90: 0.9}, {0: 0.5, 270: 0.9}, {0: 0.5, 90: 0.1}]) == 0  # only angles all tried


def test_rotation_rolls_the_quad():
    det = Detection(box(0, 0, 10, 40), 1)
    turned = rotated(det, 90).polygon
    np.testing.assert_array_equal(turned[0], det.polygon[1])  # TR becomes the crop's TL
    curved = Detection(np.zeros((14, 2), np.float32), 1)
    assert rotated(curved, 90) is None and rotated(curved, 0) is curved


class Oriented:
    """A recogniser that reads well only crops wider than tall (i.e. cut along the text)."""

    height = 16

    def recognize(self, crops):
        return [Recognition("ok" if c.shape[1] > c.shape[0] else "bad",
                            0.9 if c.shape[1] > c.shape[0] else 0.1) for c in crops]  # fmt: skip


def test_most_confident_reading_wins(fake_pm):
    img = np.full((120, 60, 3), 255, np.uint8)
    img[10:110, 20:35] = 0  # a tall dark bar: a vertical "word"
    words = Pipeline(FakeDetector(), Oriented(), plugin_manager=fake_pm).read([img])[0]
    assert [(w.text, w.recognition_score) for w in words] == [("ok", 0.9)]


def test_a_turned_page_is_detected_again_upright(fake_pm):
    img = np.full((120, 150, 3), 255, np.uint8)
    for x in (20, 60, 100):
        img[10:110, x : x + 15] = 0  # three tall dark bars: the words of a page turned by 90°
    det = FakeDetector()
    words = Pipeline(det, Oriented(), plugin_manager=fake_pm).read([img])[0]
    assert det.calls == [1, 1]  # detected as given, then turned upright
    assert [w.text for w in words] == ["ok"] * 3
    for w, x in zip(sorted(words, key=lambda w: w.polygon[:, 0].min()), (20, 60, 100)):
        lo, hi = w.polygon.min(axis=0), w.polygon.max(axis=0)  # on the image as given
        np.testing.assert_allclose([lo[0], hi[0]], [x, x + 15], atol=5)
        np.testing.assert_allclose([lo[1], hi[1]], [10, 110], atol=5)
        first = w.polygon[1] - w.polygon[0]
        assert abs(first[1]) > 4 * abs(first[0])  # its first edge runs along the bar
    off = FakeDetector()
    Pipeline(off, Oriented(), upside_down="off", plugin_manager=fake_pm).read([img])
    assert off.calls == [1]


class Counted(Oriented):
    """Oriented, noting how many crops each call reads."""

    def __init__(self):
        self.sizes = []

    def recognize(self, crops):
        self.sizes.append(len(crops))
        return super().recognize(crops)


def _bars(n):
    img = np.full((120, 30 * n + 20, 3), 255, np.uint8)
    for k in range(n):
        img[10:110, 20 + 30 * k : 32 + 30 * k] = 0  # tall dark bars: a page turned by 90°
    return img


def test_a_turned_page_is_found_on_a_sample_before_its_regions_are_read(fake_pm):
    from ocrkit.turned import SAMPLE, SIDE_ANGLES

    det, rec = FakeDetector(), Counted()
    words = Pipeline(det, rec, plugin_manager=fake_pm).read([_bars(SAMPLE + 4)])[0]
    assert det.calls == [1, 1]
    assert rec.sizes[0] == SAMPLE * len(SIDE_ANGLES)  # not every region at every angle
    assert [w.text for w in words] == ["ok"] * (SAMPLE + 4)


def test_a_batch_keeps_its_order_when_one_page_is_turned(fake_pm):
    level = np.full((60, 200, 3), 255, np.uint8)
    level[20:35, 20:180] = 0  # one wide bar: an upright word
    det, rec = FakeDetector(), Counted()
    words = Pipeline(det, rec, plugin_manager=fake_pm).read([level, _bars(4), level])
    assert det.calls == [3, 1]  # only the turned page is detected again
    assert [[w.text for w in ws] for ws in words] == [["ok"], ["ok"] * 4, ["ok"]]
    assert words[1][0].polygon[:, 1].max() > 100  # mapped back onto the turned page as given


def test_a_turned_page_the_sample_misses_is_still_found_by_all_its_regions(fake_pm, monkeypatch):
    import ocrkit.pipeline

    monkeypatch.setattr(ocrkit.pipeline, "sideways_pages", lambda *args: {})
    det, rec = FakeDetector(), Counted()
    words = Pipeline(det, rec, plugin_manager=fake_pm).read([_bars(5)])[0]
    assert det.calls == [1, 1]
    assert rec.sizes[0] == 3 * 5  # every vertical region at 0°, 90° and 270°
    assert [w.text for w in words] == ["ok"] * 5


def test_turned_polygons_map_back_exactly():
    from ocrkit.turned import to_original, upright

    img = np.zeros((30, 50), np.uint8)
    img[5, 40] = 255
    for angle in (90, 270):
        (y, x), = np.argwhere(upright(img, angle) == 255)
        centre = to_original(np.array([[x + 0.5, y + 0.5]], np.float32), angle, img.shape)
        np.testing.assert_allclose(centre, [[40.5, 5.5]])  # the pixel's centre, where it was
    with pytest.raises(ValueError, match="90 or 270"):
        to_original(np.zeros((4, 2), np.float32), 180, img.shape)


def test_probes_are_the_widest_flat_quads():
    regions = [Detection(box(0, 0, 40, 10), 1), Detection(box(0, 0, 15, 10), 1),  # wide; squarish
               Detection(box(0, 0, 10, 40), 1), Detection(box(0, 0, 90, 10), 1),  # tall; widest
               Detection(np.zeros((14, 2), np.float32), 1), Detection(box(0, 0, 25, 10), 1)]  # fmt: skip
    assert probes(regions) == [3, 0, 5]
    assert probes(regions, limit=2) == [3, 0]


def test_upside_down_needs_three_in_four_probes_to_read_clearly_better_turned():
    assert upside_down([0.6, 0.5, 0.4, 0.9], [0.95, 0.9, 0.99, 0.8])  # 3 of 4, +0.31 on average
    assert not upside_down([0.6, 0.5, 0.4, 0.9], [0.95, 0.9, 0.3, 0.8])  # 2 of 4
    assert not upside_down([0.6, 0.7, 0.8, 0.9], [0.7, 0.8, 0.9, 0.8])  # 3 of 4, +0.05 only
    assert not upside_down([0.1, 0.1], [0.9, 0.9])  # too few to tell


class HoleOnTheLeft:
    """Reads a crop confidently only when the white hole punched into each bar is in its left
    third, i.e. the crop is the right way up; the text is the crop's width."""

    height = 16

    def recognize(self, crops):
        out = []
        for c in crops:
            band = c[c.shape[0] // 3 : 2 * c.shape[0] // 3].min(axis=2)
            holes = np.flatnonzero((band > 128).any(axis=0)[2:-2]) + 2  # white columns inside the bar
            inner = holes[(holes > 0.1 * c.shape[1]) & (holes < 0.9 * c.shape[1])]
            left = inner.size and inner.mean() < c.shape[1] / 2
            out.append(Recognition(f"w{c.shape[1]}", 0.9 if left else 0.2))
        return out


def test_an_upside_down_image_is_read_turned_and_in_text_order(fake_pm):
    img = np.full((90, 240, 3), 255, np.uint8)
    for x, y, w in ((10, 10, 80), (110, 10, 110), (10, 50, 140)):  # two lines of bars
        img[y : y + 14, x : x + w] = 0
        img[y + 5 : y + 9, x + 8 : x + 12] = 255  # the hole near each bar's start
    upright = Pipeline(FakeDetector(), HoleOnTheLeft(), plugin_manager=fake_pm).read([img])[0]
    assert [w.recognition_score for w in upright] == [0.9] * 3
    flipped = np.ascontiguousarray(np.rot90(img, 2))
    read = Pipeline(FakeDetector(), HoleOnTheLeft(), plugin_manager=fake_pm).read([flipped])[0]
    assert [(w.text, w.recognition_score) for w in read] == [(w.text, 0.9) for w in upright]
    pairs = [f"{upright[0].text} {upright[1].text}", upright[2].text]  # the two lines, in order
    assert text_lines(read) == text_lines(upright) == pairs
    off = Pipeline(FakeDetector(), HoleOnTheLeft(), upside_down="off", plugin_manager=fake_pm)
    assert [w.recognition_score for w in off.read([flipped])[0]] == [0.2] * 3
    by_line = Pipeline(FakeDetector(), HoleOnTheLeft(), level="line", plugin_manager=fake_pm)
    lines = by_line.read([flipped])[0]
    assert [w.text for w in lines] == pairs
    with pytest.raises(ValueError, match="upside_down must be one of check, off"):
        Pipeline(FakeDetector(), upside_down="auto")


@pytest.mark.parametrize("angle", [90, 270])
def test_text_lines_of_a_page_read_sideways(angle):
    from ocrkit.turned import mapped_back

    # Words as read on the page turned upright, then mapped back onto the sideways image: their
    # polygons' first edges are vertical there, beyond line grouping's ±45° of skew.
    words = [Word(box(10, 10, 60, 12), "Let", 1, 1), Word(box(80, 10, 50, 12), "us", 1, 1),
             Word(box(140, 11, 70, 12), "first", 1, 1), Word(box(10, 40, 80, 12), "determine", 1, 1),
             Word(box(100, 41, 60, 12), "markers", 1, 1)]  # fmt: skip
    sideways = mapped_back(words, angle, (300, 80))  # the upright page is 80 × 300
    assert text_lines(words) == ["Let us first", "determine markers"]
    assert text_lines(sideways) == text_lines(words)


def test_merge_and_split_lines():
    words = [Word(box(0, 0, 40, 10), "Name:", 0.9, 0.8), Word(box(45, 0, 40, 10), "John", 0.7, 0.6),
             Word(box(200, 1, 40, 10), "Date:", 0.8, 1.0), Word(box(0, 30, 50, 10), "Next", 1, 1)]  # fmt: skip
    lines = to_lines(words)
    assert [w.text for w in lines] == ["Name: John", "Date:", "Next"]  # 115-px gap > 1 × height
    first = lines[0]
    np.testing.assert_allclose(first.polygon.min(axis=0), [0, 0], atol=1e-3)
    np.testing.assert_allclose(first.polygon.max(axis=0), [85, 10], atol=1e-3)
    assert first.detection_score == pytest.approx(0.8) and first.recognition_score == pytest.approx(0.7)
    assert merge_line([words[0]]) is words[0]
    # Two words turned by 46° merge into a box that starts at their top-left, not a quarter
    # turn off: past 45° the smallest x + y is the top-right corner.
    c, s = np.cos(np.radians(46)), np.sin(np.radians(46))
    u, v = np.float32([c, -s]), np.float32([s, c])  # along the text (rising), down across it
    word = np.array([0 * u, 40 * u, 40 * u + 10 * v, 10 * v], np.float32) + 100
    pair = [Word(word, "12.", 1, 1), Word(word + 45 * u, "08", 1, 1)]
    merged = merge_line(pair, sep="")
    first = merged.polygon[1] - merged.polygon[0]
    assert merged.text == "12.08" and first[0] > 0 and first[1] < 0  # runs up and to the right
    assert np.linalg.norm(first) > 80  # the long side: both words and the gap
    no_text = merge_line([Word(box(0, 0, 5, 5), None, 1, None), Word(box(6, 0, 5, 5), None, 1, None)])
    assert no_text.text is None and no_text.recognition_score is None


def test_pipeline_line_level(fake_pm, text_image):
    from helpers import FakeRecognizer

    image, _ = text_image
    words = Pipeline(FakeDetector(), FakeRecognizer(), plugin_manager=fake_pm).read([image])[0]
    lines = Pipeline(FakeDetector(), FakeRecognizer(), level="line", plugin_manager=fake_pm).read([image])[0]
    assert len(lines) == 2 < len(words)
    assert lines[0].text == " ".join(w.text for w in words[: len(lines[0].text.split())])
    with pytest.raises(ValueError, match="level must be one of word, line"):
        Pipeline(FakeDetector(), level="page")
