"""Lexicon correction: candidates, the CTC likelihood, and when a reading is replaced."""

import numpy as np
import pytest
from helpers import ctc_frames, need_plugin

need_plugin("ocrkit_crnn")

from ocrkit_crnn.alphabet import load_alphabet  # noqa: E402
from ocrkit_crnn.lexicon import GLYPH_SPLITS, Lexicon, corrected, ctc_log_likelihood  # noqa: E402
from ocrkit_crnn.lexicon import LONE_UNSURE, ctc_log_likelihoods, weakest_peak  # noqa: E402
from ocrkit_crnn.lexicon import TWO_LETTER_EN, load_lexicon, two_letter_corrected  # noqa: E402

ALPHA = load_alphabet()
_encode = ALPHA.try_encode  # class ids, None for a text the charset cannot write


def _frames(path: list[tuple[str, dict[str, float]]]) -> np.ndarray:
    return ctc_frames(ALPHA, path)


def _brute_force(log_probs: np.ndarray, labels: list[int]) -> float:
    """log P(labels | frames): every frame path that collapses to ``labels``, summed."""
    import itertools

    total = -np.inf
    for path in itertools.product(range(log_probs.shape[1]), repeat=log_probs.shape[0]):
        collapsed = [c for k, c in enumerate(path) if c != 0 and (k == 0 or c != path[k - 1])]
        if collapsed == labels:
            total = np.logaddexp(total, sum(log_probs[t, c] for t, c in enumerate(path)))
    return float(total)


def test_ctc_log_likelihoods_sum_every_alignment():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4)) * 2  # 6 frames, the blank (0) and 3 letters: 4^6 paths
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    labels = [[1], [1, 2], [1, 1], [2, 3, 1], [3, 3, 3]]  # repeats need a blank between them
    got = ctc_log_likelihoods(log_probs, labels)
    assert got.shape == (5,)
    for value, lab in zip(got, labels):
        assert value == pytest.approx(_brute_force(log_probs, lab), rel=1e-12)
    assert ctc_log_likelihood(log_probs, [1, 2]) == pytest.approx(got[1], rel=1e-12)
    # Too few frames for the labels (a repeat needs a blank between): impossible.
    assert ctc_log_likelihood(log_probs[:2], [3, 3]) == -np.inf
    assert ctc_log_likelihoods(log_probs[:4], [[3, 3, 3], [1]])[0] == -np.inf


def test_near_finds_substitutions_insertions_deletions():
    lex = Lexicon(["the", "then", "they", "special", "specials", "service", "an", "Thé"])
    assert "an" not in lex and "THE" in lex and len(lex) == 7
    assert lex.near("thc") == ["the", "thé"]
    assert lex.near("SPECLAL") == ["special"]
    assert lex.near("specal") == ["special"]  # a letter lost
    assert lex.near("speciall") == ["special", "specials"]  # one too many; one changed
    assert lex.near("the") == ["then", "they", "thé"]  # itself excluded
    assert lex.near("xyzzy") == []


def test_near_counts_letters_beyond_the_lists_own_codes():
    # A list whose letters are all under 256 keeps its codes in bytes: a reading's letter
    # beyond that is a changed letter, never another one's equal (ord("Ā") = 256 wraps to 0).
    latin = Lexicon(["cafe", "café", "straße"])
    assert latin._dtype == np.uint8
    assert latin.near("cafж") == ["cafe", "café"] == latin.near("cafĀ")
    assert latin.near("ĀĀĀe") == []  # three letters changed
    wide = Lexicon(["жизнь", "жизни", "cafe"])
    assert wide._dtype == np.uint32
    assert wide.near("ЖИЗНЪ") == ["жизни", "жизнь"] and wide.near("cafж") == ["cafe"]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, the plain way: what near's shortcuts must agree with."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def test_near_equals_its_definition_on_random_misreadings():
    # One letter more or less (looked up as spellings), up to two changed, or a glyph pair
    # swapped: every word so near and no other, on similar words mangled at random.
    rng = np.random.default_rng(0)
    words = ["form", "from", "farm", "forms", "fort", "for", "norm", "warm", "storm", "firm",
             "foam", "roam", "fro", "forum", "former", "formed", "sort", "north", "short"]
    lex = Lexicon(words)
    letters = "aefimnorst"
    for _ in range(300):
        w = list(words[rng.integers(len(words))])
        k = int(rng.integers(len(w) + 1))
        match int(rng.integers(3)):
            case 0:
                w[min(k, len(w) - 1)] = letters[rng.integers(len(letters))]
            case 1:
                del w[min(k, len(w) - 1)]
            case 2:
                w.insert(k, letters[rng.integers(len(letters))])
        w = "".join(w)
        want = sorted(x for x in lex.words if x != w and (
            (len(x) == len(w) and sum(a != b for a, b in zip(x, w)) <= 2)
            or (abs(len(x) - len(w)) == 1 and _edits(x, w) == 1)))  # fmt: skip
        swaps = {w[:i] + b + w[i + len(a) :] for pair in GLYPH_SPLITS for a, b in (pair, pair[::-1])
                 for i in range(len(w)) if w.startswith(a, i)}  # fmt: skip
        assert lex.near(w) == sorted((set(want) | (swaps & lex.words)) - {w}), w


def test_a_close_second_letter_is_put_right_and_a_clear_reading_is_not():
    lex = Lexicon(["the", "that", "special"])
    blank = ("", {"": 0.9})
    # "thc": the third letter's frame says c 0.55, e 0.40.
    doubt = _frames([("t", {"t": 0.95}), blank, ("h", {"h": 0.95}), blank,
                     ("c", {"c": 0.55, "e": 0.40}), blank])
    assert corrected("thc", doubt, _encode, lex, margin=2.0) == "the"
    assert corrected("thc", doubt, _encode, lex, margin=0.1) == "thc"  # 0.55 vs 0.40: 0.32 nats
    # The same reading with c at 0.95 and e at 0.001: 6.9 nats apart, kept.
    sure = _frames([("t", {"t": 0.95}), blank, ("h", {"h": 0.95}), blank,
                    ("c", {"c": 0.95, "e": 0.001}), blank])
    assert corrected("thc", sure, _encode, lex, margin=2.0) == "thc"
    # Marks around the word and its case are kept; a word of the lexicon, a short word and a
    # reading with digits are left alone.
    caps = _frames([("(", {"(": 0.9}), ("T", {"T": 0.95}), ("H", {"H": 0.95}),
                    ("C", {"C": 0.5, "E": 0.45}), (".", {".": 0.9})])
    assert corrected("(THC.", caps, _encode, lex, margin=2.0) == "(THE."
    assert corrected("that", doubt, _encode, lex, margin=50.0) == "that"
    assert corrected("tc", doubt, _encode, lex, margin=50.0) == "tc"
    assert corrected("th3", doubt, _encode, lex, margin=50.0) == "th3"
    # An allowlist without "e" forbids the candidate.
    assert corrected("thc", doubt, _encode, lex, margin=2.0, allowed=frozenset("thc")) == "thc"


def test_two_letter_readings_are_put_right_against_the_two_letter_words_only():
    lex = Lexicon(["the", "oil"], two_letter=TWO_LETTER_EN)
    blank = ("", {"": 0.9})

    def frames(second: dict[str, float], first: str = "o") -> np.ndarray:
        return _frames([(first, {first: 0.95}), blank, ("", second), blank])

    # "ol" with f a close second (0.55 vs 0.35: 0.45 nats) is "of"; a clear "l" (0.95 vs
    # 0.002: 6.2 nats) stays "ol" at margin 4.
    doubt = frames({"l": 0.55, "f": 0.35})
    assert two_letter_corrected("ol", doubt, _encode, lex, margin=1.0) == "of"
    assert two_letter_corrected("ol", doubt, _encode, lex, margin=0.2) == "ol"
    sure = frames({"l": 0.95, "f": 0.002})
    assert two_letter_corrected("ol", sure, _encode, lex, margin=4.0) == "ol"
    # A first capital is kept, marks round the word too; capitals (a code, a state) are left,
    # as are two-letter words of the list, readings of other lengths (the lexicon's 3+-letter
    # step: "oli" is not made "oil" here) and readings with digits.
    cap = _frames([("I", {"I": 0.5, "T": 0.45}), blank, ("o", {"o": 0.95}), blank])
    assert two_letter_corrected("Io", cap, _encode, lex, margin=1.0) == "To"
    marked = _frames([("(", {"(": 0.9}), ("I", {"I": 0.5, "T": 0.45}), ("o", {"o": 0.95}),
                      (":", {":": 0.9})])  # fmt: skip
    assert two_letter_corrected("(Io:", marked, _encode, lex, margin=1.0) == "(To:"
    assert two_letter_corrected("IO", cap, _encode, lex, margin=50.0) == "IO"
    assert two_letter_corrected("of", doubt, _encode, lex, margin=50.0) == "of"
    assert two_letter_corrected("oli", doubt, _encode, lex, margin=50.0) == "oli"
    assert two_letter_corrected("o1", doubt, _encode, lex, margin=50.0) == "o1"
    # Abbreviations and units stay in the case they are written in: "mg" is no "me", but a
    # lower-case "co" is "to" (a company's "Co" stays).
    unit = _frames([("m", {"m": 0.95}), blank, ("g", {"g": 0.5, "e": 0.45}), blank])
    assert two_letter_corrected("mg", unit, _encode, lex, margin=50.0) == "mg"
    co = _frames([("c", {"c": 0.5, "t": 0.45}), blank, ("o", {"o": 0.95}), blank])
    assert two_letter_corrected("co", co, _encode, lex, margin=1.0) == "to"
    assert two_letter_corrected("Co", co, _encode, lex, margin=50.0) == "Co"
    # Only words one letter away are candidates ("xq" is two from every word), and a list with
    # no two-letter words changes nothing; an allowlist without "f" forbids "of".
    assert two_letter_corrected("xq", doubt, _encode, lex, margin=50.0) == "xq"
    assert two_letter_corrected("ol", doubt, _encode, Lexicon(["the"]), margin=50.0) == "ol"
    assert two_letter_corrected("ol", doubt, _encode, lex, margin=1.0,
                                allowed=frozenset("ol")) == "ol"  # fmt: skip


def test_a_lone_candidate_further_off_is_taken_from_an_unsure_reading():
    blank = ("", {"": 0.9})

    def thcm(c: float) -> np.ndarray:  # "thcm", its c at probability c, e at 0.001, x the rest
        return _frames([("t", {"t": 0.95}), blank, ("h", {"h": 0.95}), blank,
                        ("c", {"c": c, "e": 0.001, "x": 0.999 - c}), blank, ("m", {"m": 0.95})])

    unsure = thcm(0.85)  # "them" 6.7 nats below the reading, past margin 2
    assert weakest_peak(unsure) == pytest.approx(0.85, abs=0.01)
    alone = Lexicon(["them"])
    assert corrected("thcm", unsure, _encode, alone, margin=2.0) == "thcm"
    assert corrected("thcm", unsure, _encode, alone, 2.0, lone_margin=10.0) == "them"
    assert corrected("thcm", unsure, _encode, alone, 2.0, lone_margin=5.0) == "thcm"
    # Read surely (every letter's peak over LONE_UNSURE): kept, as a name would be.
    assert corrected("thcm", thcm(0.95), _encode, alone, 2.0, lone_margin=10.0) == "thcm"
    # ... unless it is a glyph pair read as one: "rn" as a clean "m" (every peak 0.93),
    # "surname" 9.1 nats below "sumame".
    m_r, m_n = {"m": 0.93, "r": 0.01, "x": 0.06}, {"m": 0.93, "n": 0.01, "x": 0.06}
    sumame = _frames([("s", {"s": 0.95}), blank, ("u", {"u": 0.95}), blank, ("m", m_r),
                      ("m", m_n), blank, ("a", {"a": 0.95}), blank, ("m", {"m": 0.95}), blank,
                      ("e", {"e": 0.95})])
    assert weakest_peak(sumame) > LONE_UNSURE
    surname = Lexicon(["surname"])
    assert corrected("sumame", sumame, _encode, surname, 6.0) == "sumame"
    assert corrected("sumame", sumame, _encode, surname, 6.0, lone_margin=12.0) == "surname"
    # A rival within LONE_LEAD nats ("thom": o ~1e-4, 2.3 nats below "them"): not lone.
    rivals = Lexicon(["them", "thom"])
    assert corrected("thcm", unsure, _encode, rivals, 2.0, lone_margin=10.0) == "thcm"
    # Three letters are too few for the rule.
    short = _frames([("t", {"t": 0.95}), blank, ("h", {"h": 0.95}), blank,
                     ("c", {"c": 0.85, "e": 0.001, "x": 0.149}), blank])
    assert corrected("thc", short, _encode, Lexicon(["the"]), 2.0, lone_margin=10.0) == "thc"


def test_weakest_peak_is_the_least_sure_characters_best_frame():
    blank = ("", {"": 0.9})
    probs = _frames([("a", {"a": 0.6, "x": 0.4}), ("a", {"a": 0.8, "x": 0.2}), blank,
                     ("b", {"b": 0.7, "x": 0.3}), blank])
    assert weakest_peak(probs) == pytest.approx(0.7, abs=0.01)  # a peaks at 0.8, b at 0.7
    assert weakest_peak(_frames([blank, blank])) == 1.0  # nothing read


def test_lexicon_file_errors(tmp_path):
    empty = tmp_path / "words.txt"
    empty.write_text("# a comment\nab\n\n")
    with pytest.raises(ValueError, match=r"words.txt: no word of 3\+ letters"):
        Lexicon.from_file(empty)
    with pytest.raises(ValueError, match="missing.txt: cannot read it"):
        Lexicon.from_file(tmp_path / "missing.txt")
    good = tmp_path / "good.txt"
    good.write_text("\ufeffTHE\n#THAT\nspecial\n")
    assert sorted(Lexicon.from_file(good).words) == ["special", "the"]


def test_near_finds_one_glyph_read_as_two_and_two_as_one():
    lex = Lexicon(["surname", "return", "invited", "modern", "word"])
    assert lex.near("Sumame") == ["surname"]  # "rn" read "m"
    assert lex.near("retum") == ["return"]
    assert lex.near("irivited") == ["invited"]  # "n" read "ri"
    assert lex.near("modem") == ["modern"]
    assert lex.near("wvord") == ["word"]  # one letter too many, as before


def test_the_built_in_english_list(tmp_path):
    """``en``: pyspellchecker's English words its corpus saw (common words, names, places),
    without the rare dictionary words at its floor count; read once per process. Any other
    value is a file."""
    english = load_lexicon("en")
    assert english is load_lexicon("en") and english.name == "en"
    assert 40_000 < len(english) < 70_000
    for word in ("the", "Surname", "EXPIRY", "telephone", "Berlin", "Liam", "republic"):
        assert word in english
    assert "allopathies" not in english and "thc" not in english and "an" not in english
    words = tmp_path / "words.txt"
    words.write_text("special\n")
    assert load_lexicon(str(words)).words == {"special"}
    with pytest.raises(ValueError, match="cannot read it"):
        load_lexicon(str(tmp_path / "en.txt"))
