"""A region read as several words, split at the gaps its ink shows (ocrkit.spaces)."""

import numpy as np

from ocrkit.spaces import ink_runs, part_of, split_spaced
from ocrkit.types import Word

X = 12  # px: the drawn letters' height
TOP, BOTTOM = 20, 20 + X


def _line(groups: list[int], letter_gap: int = 3, word_gap: int = 12):
    """A white strip with groups of letters (6 px wide bars, ``letter_gap`` apart) separated
    by ``word_gap``; RGB image, the region's quad around all of them (3 px margin, as CRAFT's),
    and each group's bars' [x0, x1) span."""
    image = np.full((50, 260, 3), 255, np.uint8)
    x, spans = 20, []
    for n in groups:
        start = x
        for _ in range(n):
            image[TOP:BOTTOM, x : x + 6] = 0
            x += 6 + letter_gap
        spans.append((start, x - letter_gap))
        x += word_gap - letter_gap
    left, right = 17, spans[-1][1] + 3
    quad = np.float32([[left, TOP - 3], [right, TOP - 3], [right, BOTTOM + 3], [left, BOTTOM + 3]])
    return image, quad, spans


def test_a_region_read_as_two_words_is_boxed_as_two():
    image, quad, spans = _line([3, 2])
    words = split_spaced(image[..., 0], [Word(quad, "abc de", 0.8, 0.7)])
    assert [w.text for w in words] == ["abc", "de"]
    assert all(w.detection_score == 0.8 and w.recognition_score == 0.7 for w in words)
    for w, (x0, x1) in zip(words, spans):
        xs = w.polygon[:, 0]
        # Each box holds its own bars and none of the other word's, with the region's margin.
        assert xs.min() <= x0 and xs.max() >= x1 and xs.max() - xs.min() <= x1 - x0 + 6.5
        assert np.allclose(w.polygon[:, 1], quad[:, 1], atol=0.5)
    assert words[0].polygon[:, 0].max() < words[1].polygon[:, 0].min()
    assert words[0].polygon[0, 0] == quad[0, 0] and words[1].polygon[1, 0] == quad[1, 0]


def test_an_underline_touching_the_letters_does_not_hide_the_gap():
    image, quad, spans = _line([3, 2])
    image[BOTTOM : BOTTOM + 2, spans[0][0] : spans[-1][1]] = 0  # joins every bar into one part
    words = split_spaced(image[..., 0], [Word(quad, "abc de", 0.8, 0.7)])
    assert [w.text for w in words] == ["abc", "de"]


def test_three_words_and_the_words_around_them_keep_their_order():
    image, quad, _ = _line([1, 2, 2])
    other = Word(np.float32([[200, 10], [240, 10], [240, 30], [200, 30]]), "next", 0.9, 0.9)
    words = split_spaced(image[..., 0], [Word(quad, "a bc de", 0.8, 0.7), other])
    assert [w.text for w in words] == ["a", "bc", "de", "next"]
    assert words[-1] is other


def test_a_space_the_ink_does_not_show_leaves_the_region_whole():
    image, quad, _ = _line([5], letter_gap=3)
    word = Word(quad, "ab cde", 0.8, 0.7)
    assert split_spaced(image[..., 0], [word]) == [word]  # no gap wider than the letters'
    # Gaps between letters as wide as the space: none is the space.
    image, quad, _ = _line([2, 2], letter_gap=12, word_gap=12)
    word = Word(quad, "ab cd", 0.8, 0.7)
    assert split_spaced(image[..., 0], [word]) == [word]


def test_pieces_whose_widths_disagree_with_their_letters_leave_the_region_whole():
    image, quad, _ = _line([3, 3])
    word = Word(quad, "a bcdefgh", 0.8, 0.7)  # 3 bars for one letter, 3 for seven
    assert split_spaced(image[..., 0], [word]) == [word]


def test_curved_tall_unread_and_one_token_regions_are_left_alone():
    image, quad, _ = _line([3, 2])
    five = np.concatenate([quad[:2], quad[1:3].mean(0, keepdims=True), quad[2:]])
    curved = Word(five, "ab cd", 1, 1)
    tall = Word(quad[[1, 2, 3, 0]], "abc de", 1, 1)  # first edge along the short side
    words = [curved, tall, Word(quad, None, 1, None), Word(quad, "abcde", 1, 1)]
    assert split_spaced(image[..., 0], words) == words


def test_parts_of_a_quad_follow_its_perspective():
    quad = np.float32([[10, 10], [110, 20], [105, 60], [12, 50]])
    assert np.allclose(part_of(quad, 0.0, 1.0), quad, atol=1e-3)
    left, right = part_of(quad, 0.0, 0.4), part_of(quad, 0.4, 1.0)
    assert np.allclose(left[1], right[0], atol=1e-3) and np.allclose(left[2], right[3], atol=1e-3)


def test_ink_runs_merge_overlapping_components():
    stats = np.array([[0, 0, 5, 9, 20], [3, 0, 4, 9, 20], [10, 0, 2, 9, 9], [12, 0, 3, 9, 9]])
    assert ink_runs(stats) == [(0, 7), (10, 15)]


def test_bench_case_scores_the_split_boxes(tmp_path, capsys):
    import sys
    from pathlib import Path

    import cv2

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_case import main

    image, quad, spans = _line([3, 2])
    for d in ("images", "gt", "pred"):
        (tmp_path / d).mkdir()
    cv2.imwrite(str(tmp_path / "images" / "line.png"), image)

    def row(x0, x1, text):
        return f"{x0},{TOP - 3},{x1},{TOP - 3},{x1},{BOTTOM + 3},{x0},{BOTTOM + 3},{text}\n"

    gt = "".join(row(a - 2, b + 2, t) for (a, b), t in zip(spans, ["abc", "de"]))
    (tmp_path / "gt" / "gt_line.txt").write_text(gt)
    (tmp_path / "pred" / "res_line.txt").write_text(row(int(quad[0, 0]), int(quad[1, 0]), "abc de"))
    argv = ["--dataset", "icdar2015", "--data", str(tmp_path),
            "--predictions", str(tmp_path / "pred")]  # fmt: skip
    assert main([*argv, "--step", "spaces"]) == 0
    out = capsys.readouterr().out
    assert '"regions split": 1, "words they became": 2' in out
    assert "| saved readings | icdar2015 | 0.0000 | 0.0000 | 0.0000 |" in out
    assert "| mended | icdar2015 | 1.0000 | 1.0000 | 1.0000 |" in out
    assert "| mended | end_to_end_cased | 1.0000 | 1.0000 | 1.0000 |" in out


def test_a_space_the_recogniser_offers_is_taken_where_the_ink_shows_the_gap():
    image, quad, spans = _line([3, 2])
    word = Word(quad, "abcde", 0.8, 0.7)
    words = split_spaced(image[..., 0], [word], {word: "abc de"})
    assert [w.text for w in words] == ["abc", "de"]
    assert words[0].polygon[:, 0].max() < words[1].polygon[:, 0].min()
    # Offered at the wrong place ("ab cde": the pitches disagree 3x), for other letters, or
    # for a word already read with its space: the region is left as read.
    assert split_spaced(image[..., 0], [word], {word: "a bcde"}) == [word]
    assert split_spaced(image[..., 0], [word], {word: "abc dx"}) == [word]
    other = Word(quad, "abc de", 0.8, 0.7)
    words = split_spaced(image[..., 0], [other], {other: "ab cde"})
    assert [w.text for w in words] == ["abc", "de"]


def test_an_offered_space_the_ink_does_not_show_leaves_the_word_as_read():
    image, quad, _ = _line([5], letter_gap=3)  # five letters evenly set: no word gap
    word = Word(quad, "abcde", 0.8, 0.7)
    assert split_spaced(image[..., 0], [word], {word: "abc de"}) == [word]
