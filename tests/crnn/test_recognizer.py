"""The CRNN recogniser with the real english_g2 weights."""

import json

import cv2
import numpy as np
import pytest
import torch
from helpers import DATA, REFERENCE, funsd_crops, need_plugin, need_shared

import ocrkit
from ocrkit.testing import check_recognizer, synthetic_text_image

need_plugin("ocrkit_crnn")

CROPS = DATA / "icdar2015" / "word_recognition" / "test" / "ch4_test_word_images_gt"
# EasyOCR's contrast retry, without the default English lexicon: the tests of a later step
# (allowlist, edge marks, lexicon, one case) read their crops with it, so the misreadings each
# step exists for stay as EasyOCR reads them (the default wide retry already puts some right:
# "To" -> "10", "sePT" -> "sept"; the lexicon "SPECLAL" -> "SPECIAL").
EASYOCR_CONTRAST = {"contrast_retry": 0.1, "contrast": "easyocr", "lexicon": None}


def easyocr_recognizer(**options):
    return ocrkit.load_recognizer("crnn", **{**EASYOCR_CONTRAST, **options})


@pytest.fixture(scope="module")
def easyocr_contrast():
    return easyocr_recognizer()


@pytest.mark.slow
def test_parity_with_reference_on_300_ic15_crops(easyocr_contrast):
    """≥ 97 % identical texts to EasyOCR's recognize() on word_1–300 (measured: 300/300) with
    EasyOCR's contrast retry (``contrast_retry=0.1 contrast=easyocr``) and without the one-case,
    look-alike and lexicon steps (``case_margin=none look_alike_margin=none lexicon=none``);
    with the one-case step only the case of mixed-case readings
    differs (measured: 12 of 300, "SaLE" → "SALE", "DBs" → "DBS"), confidences kept.

    The reference read each crop with cv2.imread(IMREAD_GRAYSCALE); we feed the same grey input.
    """
    need_shared()
    lines = (REFERENCE / "crnn" / "ic15_word_crops_first300.jsonl").read_text().splitlines()
    refs = [json.loads(line) for line in lines]
    crops = [cv2.imread(str(CROPS / r["image"]), cv2.IMREAD_GRAYSCALE) for r in refs]
    out = easyocr_recognizer(case_margin=None, look_alike_margin=None).recognize(crops)
    same = sum(o.text == r["text"] for o, r in zip(out, refs))
    assert same / len(refs) >= 0.97, same
    close = [abs(o.score - r["confidence"]) < 1e-3 for o, r in zip(out, refs) if o.text == r["text"]]
    assert np.mean(close) > 0.95
    cased = easyocr_recognizer(look_alike_margin=None).recognize(crops)
    assert all(c.text.lower() == o.text.lower() for c, o in zip(cased, out))
    assert 0 < sum(c.text != o.text for c, o in zip(cased, out)) <= 20
    np.testing.assert_allclose([c.score for c in cased], [o.score for o in out], atol=1e-6)


@pytest.mark.slow
def test_wide_contrast_retry_reads_faded_crops(crnn_recognizer, easyocr_contrast):
    """ICDAR 2015 test crops read wrong and doubtful (confidence 0.23–0.44) as they are and by
    EasyOCR's retry, right once stretched p10..p90 onto 0..255 (the default below 0.5)."""
    need_shared()
    truth = {"word_30.png": "lower", "word_33.png": "when", "word_36.png": "residential",
             "word_271.png": "this", "word_279.png": "FRUIT"}  # fmt: skip
    crops = [cv2.imread(str(CROPS / name), cv2.IMREAD_GRAYSCALE) for name in truth]
    reference = easyocr_contrast.recognize(crops)
    assert all(r.text != t and r.score < 0.5 for r, t in zip(reference, truth.values())), reference
    assert [r.text for r in crnn_recognizer.recognize(crops)] == list(truth.values())
    # Off, the first reading stands.
    off = ocrkit.load_recognizer("crnn", contrast_retry=0, lexicon=None).recognize(crops)
    assert [r.text for r in off] == [r.text for r in reference]


def test_contract_and_synthetic_words(crnn_recognizer):
    crops = []
    for word in ("HELLO", "ocrkit", "2024"):
        image, quads = synthetic_text_image([word], size=(80, 260), scale=1.2)
        x0, y0 = quads[0].min(axis=0).astype(int) - 4
        x1, y1 = quads[0].max(axis=0).astype(int) + 4
        crops.append(image[max(y0, 0) : y1, max(x0, 0) : x1])
    out = check_recognizer(crnn_recognizer, crops)
    assert [r.text for r in out] == ["HELLO", "ocrkit", "2024"]


def test_batching_does_not_change_results(crnn_recognizer):
    rng = np.random.default_rng(0)
    crops = [rng.integers(0, 255, (30, w, 3), dtype=np.uint8) for w in (20, 90, 95, 200, 31)]
    together = crnn_recognizer.recognize(crops)
    alone = [crnn_recognizer.recognize([c])[0] for c in crops]
    assert [r.text for r in together] == [r.text for r in alone]
    np.testing.assert_allclose([r.score for r in together], [r.score for r in alone], atol=1e-5)


def test_best_paths_equal_the_full_softmax_decoding(crnn_recognizer):
    from ocrkit_crnn.decode import collapse, confidence, greedy, path_confidence
    from ocrkit_crnn.preprocess import resize_to_height, to_grey

    rng = np.random.default_rng(1)
    image, _ = synthetic_text_image(["Reading", "42"], size=(120, 260), scale=1.1)
    crops = [image[5:60, 5:250], image[60:115, 5:120]] + [rng.integers(0, 255, (30, w, 3), np.uint8) for w in (40, 150)]
    greys = [resize_to_height(to_grey(c)) for c in crops]
    for probs, (best, maxima) in zip(crnn_recognizer.probabilities(greys), crnn_recognizer.best_paths(greys)):
        assert collapse(best) == greedy(probs)
        assert path_confidence(best, maxima) == confidence(probs)


def test_beam_decoder_option():
    rec = ocrkit.load_recognizer("crnn", decoder="beam", beam_width=3)
    image, quads = synthetic_text_image(["World"], size=(80, 240), scale=1.2)
    assert rec.recognize([image[10:70, 10:200]])[0].text == "World"
    with pytest.raises(ocrkit.ConfigError, match="decoder must be one of greedy, beam"):
        ocrkit.load_recognizer("crnn", decoder="viterbi")


def test_charset_mismatch_is_a_clear_error(tmp_path):
    from ocrkit_crnn.model import CRNN

    path = tmp_path / "ten.pth"
    torch.save(CRNN(num_classes=11).state_dict(), path)
    with pytest.raises(ValueError, match="predict 11 classes but charset 'english_g2' has 97"):
        ocrkit.load_recognizer("crnn", weights=str(path))
    charset = tmp_path / "digits.json"
    charset.write_text(json.dumps({"name": "digits", "characters": "0123456789"}))
    rec = ocrkit.load_recognizer("crnn", weights=str(path), charset=str(charset))
    assert isinstance(rec.recognize([np.zeros((20, 40, 3), np.uint8)])[0].text, str)


def test_allowlist_reads_digits_the_free_reading_took_for_marks_and_letters(easyocr_contrast):
    """Two IIIT5K crops of numbers read as a mark and as letters ('#' for "4", 'To' for "10");
    with allowlist=0123456789 each reads right, and text and confidence are the greedy decoding
    of the free softmax with the other classes zeroed and each frame renormalised (EasyOCR's
    recipe, SPEC §4.4)."""
    need_shared()
    from ocrkit_crnn.decode import confidence, greedy
    from ocrkit_crnn.preprocess import resize_to_height, to_grey

    crops = [cv2.imread(str(DATA / "iiit5k" / "test" / n), cv2.IMREAD_GRAYSCALE)
             for n in ("122_1.png", "5220_2.png")]  # fmt: skip
    digits = easyocr_recognizer(allowlist="0123456789", drop_edge_marks=False)
    assert [r.text for r in easyocr_contrast.recognize(crops)] == ["#", "To"]
    out = digits.recognize(crops)
    assert [r.text for r in out] == ["4", "10"]
    keep = np.array([1.0] + [float(ch.isdigit()) for ch in digits.alphabet.characters])
    greys = [resize_to_height(to_grey(c)) for c in crops]
    for probs, r in zip(easyocr_contrast.probabilities(greys), out):
        masked = probs * keep
        masked /= masked.sum(axis=1, keepdims=True)
        assert digits.alphabet.decode(greedy(masked)) == r.text
        assert abs(confidence(masked) - r.score) < 1e-5


def test_blocklist_and_bad_lists_are_clear():
    image, _ = synthetic_text_image(["HELLO"], size=(80, 260), scale=1.2)
    rec = ocrkit.load_recognizer("crnn", blocklist="L", decoder="beam")
    assert "L" not in rec.characters and len(rec.characters) == 95
    text = rec.recognize([image[5:75, 5:255]])[0].text
    assert text.startswith("HE") and "L" not in text
    with pytest.raises(ValueError, match="allowlist: characters not in charset 'english_g2': 'ä'"):
        ocrkit.load_recognizer("crnn", allowlist="0123ä")
    with pytest.raises(ocrkit.ConfigError, match="give allowlist or blocklist, not both"):
        ocrkit.load_recognizer("crnn", allowlist="01", blocklist="x")
    with pytest.raises(ocrkit.ConfigError, match="allowlist is empty"):
        ocrkit.load_recognizer("crnn", allowlist="")
    everything = ocrkit.load_recognizer("crnn").characters
    with pytest.raises(ValueError, match="leave no character to read"):
        ocrkit.load_recognizer("crnn", blocklist=everything)


def test_a_mark_beyond_the_word_is_not_read_as_a_digit(easyocr_contrast):
    """A FUNSD form's "11.89" and "212" crops catch a rule line's edge ("11.89 _", "212 =").
    Under EasyOCR's allowlist recipe those frames read as the nearest allowed character
    ("11.898", "2125"); with drop_edge_marks (default) never as a letter or digit: blank, or
    an allowed mark."""
    need_shared()
    crops = funsd_crops([("82253058_3059", (235, 376, 269, 389)),
                         ("83594639", (98, 892, 115, 902))])  # fmt: skip
    assert [r.text for r in easyocr_contrast.recognize(crops)] == ["11.89 _", "212 ="]
    marks = "0123456789.,/:-$%()"
    easyocr = easyocr_recognizer(allowlist=marks, drop_edge_marks=False)
    assert [r.text for r in easyocr.recognize(crops)] == ["11.898", "2125"]
    amount, number = (r.text for r in easyocr_recognizer(allowlist=marks).recognize(crops))
    assert amount.startswith("11.89") and not any(ch.isdigit() for ch in amount[5:])
    assert number.startswith("212") and not any(ch.isdigit() for ch in number[3:])
    digits = easyocr_recognizer(allowlist="0123456789").recognize(crops)
    assert [r.text for r in digits] == ["1189", "212"]


def test_two_letter_readings_are_put_right_on_real_crops():
    """FUNSD test words the CRNN misreads by a letter ("oi" for "of", "lo" for "to", "Jf" for
    "If", after the recogniser's other steps): the two-letter step (on by default) reads them
    right, in the reading's case; with it off they stay as misread."""
    need_shared()
    words = [("82092117", (275, 760, 286, 771)), ("83772145", (468, 683, 481, 697)),
             ("83772145", (149, 876, 157, 887))]  # fmt: skip
    crops = funsd_crops(words, sampling="lanczos")  # as ocrkit eval cuts them
    off = ocrkit.load_recognizer("crnn", lexicon_two_letter_margin="none").recognize(crops)
    assert [r.text for r in off] == ["oi", "lo", "Jf"]
    on = ocrkit.load_recognizer("crnn").recognize(crops)
    assert [r.text for r in on] == ["of", "to", "If"]
    np.testing.assert_allclose([r.score for r in on], [r.score for r in off], atol=1e-6)


def test_a_lexicon_puts_right_words_misread_by_a_letter(easyocr_contrast, tmp_path):
    """Five words of a FUNSD form the CRNN misreads by a letter (``lexicon=none``); with a word
    list holding them, or the built-in English list, each is put right (in the reading's case, its marks kept) and its confidence kept.
    A margin below their likelihood gaps (0.6-4.9 nats) changes nothing."""
    need_shared()
    boxes = [(103, 503, 163, 520), (610, 721, 624, 731), (310, 735, 349, 746),
             (506, 774, 551, 787), (478, 788, 516, 798)]  # fmt: skip
    crops = funsd_crops([("82092117", box) for box in boxes])
    free = easyocr_contrast.recognize(crops)
    assert [r.text for r in free] == ["SPECLAL", "thc", "intcnded", "telcphone", "Servicc."]
    words = tmp_path / "words.txt"
    words.write_text("# known words\nspecial\nthe\nthen\nintended\ntelephone\nservice\n")
    for decoder in ("greedy", "beam"):
        known = easyocr_recognizer(lexicon=str(words), decoder=decoder).recognize(crops)
        assert [r.text for r in known] == ["SPECIAL", "the", "intended", "telephone", "Service."]
    np.testing.assert_allclose([r.score for r in known], [r.score for r in free], atol=1e-6)
    strict = easyocr_recognizer(lexicon=str(words), lexicon_margin=0.5,
                                lexicon_lone_margin=None).recognize(crops)
    assert [r.text for r in strict] == [r.text for r in free]
    # The built-in English list (the default) holds all five.
    english = easyocr_recognizer(lexicon="en").recognize(crops)
    assert [r.text for r in english] == ["SPECIAL", "the", "intended", "telephone", "Service."]
    with pytest.raises(ocrkit.ConfigError, match="lexicon_margin must be >= 0"):
        easyocr_recognizer(lexicon=str(words), lexicon_margin=-1)
    # Each is the lone word of the list near its reading: taken at margin 0.5 too where the
    # reading was unsure, but not "thc" (three letters are too few) nor "SPECLAL" (its least
    # sure letter at 0.97: read surely).
    lone = easyocr_recognizer(lexicon=str(words), lexicon_margin=0.5).recognize(crops)
    assert [r.text for r in lone] == ["SPECLAL", "thc", "intended", "telephone", "Service."]
    with pytest.raises(ocrkit.ConfigError, match="lexicon_lone_margin must be >= lexicon_margin"):
        easyocr_recognizer(lexicon=str(words), lexicon_lone_margin=2)
    with pytest.raises(ocrkit.ConfigError, match="lexicon is empty"):
        easyocr_recognizer(lexicon="")
    with pytest.raises(ocrkit.ConfigError, match="lexicon_two_letter_margin must be >= 0"):
        easyocr_recognizer(lexicon_two_letter_margin=-1)


def test_readings_in_mixed_case_are_spelt_in_one_case(easyocr_contrast):
    """Five FUNSD words the CRNN reads with one letter in the other case ("cOPY", "TRANSMiSsION")
    come out in one case by default, greedy or beam, confidences unchanged; ``case_margin=none``
    gives the network's readings, and a margin below their gaps (1.8-3.0 nats) keeps them."""
    need_shared()
    crops = funsd_crops([("83443897", (344, 461, 375, 475)), ("83443897", (225, 733, 238, 744)),
                         ("82253058_3059", (384, 279, 416, 294)),
                         ("82573104", (267, 380, 347, 390)),
                         ("82252956_2958", (52, 631, 89, 648))])  # fmt: skip
    raw = easyocr_recognizer(case_margin=None).recognize(crops)
    assert [r.text for r in raw] == ["cOPY", "tO", "sePT", "TRANSMiSsION", "NAMe"]
    for rec in (easyocr_contrast, easyocr_recognizer(decoder="beam")):
        texts = [r.text for r in rec.recognize(crops)]
        assert texts == ["COPY", "to", "SEPT", "TRANSMISSION", "NAME"]
    np.testing.assert_allclose([r.score for r in easyocr_contrast.recognize(crops)],
                               [r.score for r in raw], atol=1e-6)  # fmt: skip
    strict = easyocr_recognizer(case_margin=0.5).recognize(crops)
    assert [r.text for r in strict] == [r.text for r in raw]
    with pytest.raises(ocrkit.ConfigError, match="case_margin must be >= 0"):
        easyocr_recognizer(case_margin=-1)


def test_the_one_case_step_reads_the_same_from_kept_frames_and_from_a_second_pass():
    """On the CPU a batch's frames are re-scored where they are; on a GPU the mixed-case crops
    are run again (best paths, then :meth:`probabilities`). Both give the same readings. (With
    a lexicon, the default, every crop's frames are read where they are, on a GPU too.)"""
    need_shared()
    from ocrkit_crnn.decode import collapse, path_confidence
    from ocrkit_crnn.preprocess import resize_to_height, to_grey
    from ocrkit_crnn.look_alikes import read_as_look_alikes
    from ocrkit_crnn.word_case import one_case, spellings

    rec = ocrkit.load_recognizer("crnn", batch_size=7, lexicon=None)
    crops = [cv2.imread(str(CROPS / f"word_{k}.png"), cv2.IMREAD_GRAYSCALE) for k in range(1, 121)]
    greys = [resize_to_height(to_grey(c)) for c in crops]
    kept = rec._run(greys)
    paths = rec.best_paths(greys)
    again = [(rec.alphabet.decode(collapse(b)), path_confidence(b, m)) for b, m in paths]
    mixed = [i for i, (text, _) in enumerate(again) if rec._respelt(text)]
    assert sum(bool(spellings(again[i][0])) for i in mixed) >= 3  # a few IC15 crops 1-120 mixed
    for i, probs in zip(mixed, rec.probabilities([greys[i] for i in mixed])):
        text = read_as_look_alikes(again[i][0], probs, rec.alphabet.try_encode, 6.0, rec._allowed)
        text = one_case(text, probs, rec.alphabet.try_encode, 6.0, rec._allowed)
        again[i] = (text, again[i][1])
    assert [(r.text, r.score) for r in kept] == again
