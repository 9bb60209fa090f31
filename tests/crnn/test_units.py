"""CRNN network, alphabet, preprocessing and CTC decoding (no weight files)."""

import numpy as np
import pytest
from helpers import need_plugin

need_plugin("ocrkit_crnn")

import torch  # noqa: E402
from ocrkit_crnn.alphabet import load_alphabet  # noqa: E402
from ocrkit_crnn.decode import beam_search, confidence, greedy  # noqa: E402
from ocrkit_crnn.model import CRNN  # noqa: E402
from ocrkit_crnn.preprocess import (  # noqa: E402
    resize_to_height,
    stretch_contrast,
    to_input,
    widen_contrast,
)


def test_parameters_and_sequence_length():
    model = CRNN().eval()
    assert sum(p.numel() for p in model.parameters()) == 3_781_345
    with torch.no_grad():
        for width, steps in ((64, 15), (128, 31), (600, 149)):
            assert model(torch.zeros(1, 1, 64, width)).shape == (1, steps, 97)


def test_english_g2_alphabet():
    alpha = load_alphabet()
    assert alpha.num_classes == 97
    assert alpha.decode([1, 10, 11, 43, 44, 45, 96]) == "09! €Az"
    assert alpha.encode("Az") == [45, 96]
    assert alpha.try_encode("Az") == [45, 96] and alpha.try_encode("Aé") is None
    with pytest.raises(ValueError, match="not in charset"):
        alpha.encode("é")


def _probs(path, classes=5):
    """One-hot-ish (T, C) matrix following a class path."""
    p = np.full((len(path), classes), 0.01, np.float32)
    for t, c in enumerate(path):
        p[t, c] = 1.0 - 0.01 * (classes - 1)
    return p


def test_greedy_merges_repeats_and_keeps_blank_separated_doubles():
    assert greedy(_probs([0, 1, 1, 0, 1, 2, 2, 0])) == [1, 1, 2]
    assert greedy(_probs([0, 0, 0])) == []


def test_confidence_formula():
    probs = _probs([0, 1, 1, 2])  # three non-blank frames of p = 0.96
    assert confidence(probs) == pytest.approx((0.96**3) ** (2 / np.sqrt(3)), rel=1e-6)
    assert confidence(_probs([0, 0])) == 0.0


def test_beam_search_agrees_on_peaked_and_beats_greedy_on_split_mass():
    peaked = _probs([0, 3, 3, 0, 4])
    assert beam_search(peaked, 5) == greedy(peaked) == [3, 4]
    # Frame-wise argmax says blank, blank, but "1" has more total path mass (0.4·0.6·…).
    split = np.array([[0.4, 0.35, 0.25], [0.4, 0.35, 0.25]], np.float32)
    assert greedy(split) == []
    assert beam_search(split, 5) == [1]  # P("1") = .35·.4+.4·.35+.35·.35 = .4025 > P("") = .16


def test_bucket_widths_and_padding():
    wide, bucket = resize_to_height(np.zeros((32, 100), np.uint8))
    assert wide.shape == (64, 200) and bucket == 256  # 64 · ceil(100/32)
    tall, bucket = resize_to_height(np.zeros((100, 20), np.uint8))
    assert tall.shape == (320, 64) and bucket == 64 * 5  # reference: padded to 64 · ceil(h/w)
    grey = np.tile(np.arange(200, dtype=np.uint8), (64, 1))
    x = to_input(grey, 256)
    assert x.shape == (1, 64, 256) and np.all(x[0, :, 200:] == x[0, :, 199:200])  # last column
    assert x.min() >= -1 and x.max() <= 1


def test_contrast_stretch_only_on_low_contrast():
    flat = np.full((10, 10), 120, np.uint8)
    flat[0, 0] = 130
    assert stretch_contrast(flat).max() > 130
    strong = np.zeros((10, 10), np.uint8)
    strong[:5] = 255
    assert np.array_equal(stretch_contrast(strong), strong)


def test_wide_contrast_maps_p10_p90_onto_the_full_range():
    # A faded word: grey 150 strokes on a 170 page, one dark speck and one glint in the tails.
    grey = np.full((20, 50), 170, np.uint8)
    grey[5:15, 10:40] = 150
    grey[0, 0], grey[0, 1] = 0, 255
    out = widen_contrast(grey)
    assert out.dtype == np.uint8 and out.shape == grey.shape
    assert out[10, 20] == 0 and out[19, 49] == 255  # strokes black, page white
    assert out[0, 0] == 0 and out[0, 1] == 255  # the tails clipped, not wrapped
    strong = np.zeros((10, 10), np.uint8)
    strong[:5] = 255
    assert np.array_equal(widen_contrast(strong), strong)  # already 0..255: unchanged
    flat = np.full((10, 10), 120, np.uint8)
    assert widen_contrast(flat).shape == flat.shape  # no division by a zero range


def test_wide_contrast_is_numpys_percentile_mapping_to_the_byte():
    # The counted percentiles and the per-level table must give what numpy's percentiles and
    # per-pixel arithmetic give: crops of any size, spread, narrow, flat and two-level.
    rng = np.random.default_rng(0)
    for i in range(400):
        shape = (int(rng.integers(1, 70)), int(rng.integers(1, 400)))
        grey = [rng.integers(0, 256, shape), rng.integers(100, 104, shape),
                np.full(shape, rng.integers(0, 256)),
                (rng.random(shape) < 0.2) * 200 + 20][i % 4].astype(np.uint8)  # fmt: skip
        low, high = np.percentile(grey, (10, 90))
        scale = 255.0 / max(float(high - low), 1.0)
        want = np.clip((grey.astype(np.float32) - low) * scale, 0, 255).astype(np.uint8)
        assert np.array_equal(widen_contrast(grey), want), shape


def test_contrast_option_checked():
    from ocrkit_crnn.config import CrnnConfig

    assert CrnnConfig().contrast == "wide" and CrnnConfig().contrast_retry == 0.5
    with pytest.raises(ValueError, match="contrast must be one of wide, easyocr, got 'max'"):
        CrnnConfig(contrast="max")


def test_batch_input_pads_each_crop_with_its_own_last_column():
    from ocrkit_crnn.preprocess import to_batch

    a = np.tile(np.arange(100, dtype=np.uint8), (64, 1))
    b = np.full((64, 128), 7, np.uint8)
    batch = to_batch([a, b], 128)
    assert batch.shape == (2, 1, 64, 128) and batch.dtype == np.float32
    expected_a = (np.concatenate([a, np.repeat(a[:, -1:], 28, axis=1)], 1).astype(np.float32) / 255.0 - 0.5) / 0.5
    assert np.array_equal(batch[0, 0], expected_a)
    assert np.array_equal(batch[1, 0], np.full((64, 128), (np.float32(7) / 255.0 - 0.5) / 0.5, np.float32))


def _path(text: str, characters: str) -> np.ndarray:
    """A best path spelling ``text``: each character on 2 frames, a blank between (class ids)."""
    out = [0]
    for ch in text:
        out += [characters.index(ch) + 1] * 2 + [0]
    return np.array(out)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("17 =", "17"),  # a rule line's edge after a space
        ("11.89 _", "11.89"),
        ("(202) ~", "(202)"),  # marks touching the word stay
        (", 12", "12"),
        ("11 - 20 - 09", "11 - 20 - 09"),  # inner tokens stay: the allowlist merges them
        ("FURTHER ", "FURTHER"),
        ("1999", "1999"),
        ("- _", "- _"),  # marks only: no word to keep
    ],
)
def test_outside_word_finds_the_marks_tidy_drops(text, kept):
    from ocrkit_crnn.decode import outside_word

    chars = load_alphabet().characters
    best = _path(text, chars)
    outside = outside_word(best, chars)
    inside = np.where(outside, 0, best)
    assert load_alphabet().decode(greedy(np.eye(97)[inside])) == kept
