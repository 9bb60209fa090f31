"""CRNN inference options (defaults reproduce EasyOCR's ``recognize`` with english_g2, but for
the one-case, look-alike and lexicon steps and the contrast retry: ``case_margin=None
look_alike_margin=None lexicon=None contrast_retry=0.1 contrast=easyocr`` is EasyOCR's recipe
exactly)."""

from __future__ import annotations

from dataclasses import dataclass

DECODERS = ("greedy", "beam")
CONTRASTS = ("wide", "easyocr")


@dataclass(frozen=True)
class CrnnConfig:
    """Recogniser options, settable with ``--rec-opt KEY=VALUE`` or ``load_recognizer(...)``."""

    decoder: str = "greedy"  # "greedy" (best path) or "beam" (CTC prefix beam search)
    beam_width: int = 5  # beams kept by the beam decoder
    batch_size: int = 32  # crops per forward pass (crops of one width bucket only)
    # Crops read with confidence below `contrast_retry` are read again after a contrast stretch
    # and the more confident reading kept (0 = off). "wide": grey levels p10..p90 of the crop
    # onto 0..255 (ocrkit_crnn.preprocess.widen_contrast); "easyocr": the reference's milder
    # stretch, only of crops whose contrast is below 0.5 (with contrast_retry=0.1, EasyOCR's).
    contrast_retry: float = 0.5
    contrast: str = "wide"
    weights: str | None = None  # path to a state dict / ocrkit checkpoint; None = english_g2
    charset: str | None = None  # charset JSON for custom weights; None = english_g2's
    precision: str = "fp32"  # fp32 (exact reference) | bf16 | fp16 (CUDA) | auto (ocrkit.precision)
    # Characters a reading may hold (EasyOCR's allowlist/blocklist): the others' probabilities
    # are zeroed and each frame renormalised before decoding; None = no restriction.
    allowlist: str | None = None
    blocklist: str | None = None
    # With either list: a mark the crop caught beyond the word, after a space ("17 ="), may read
    # as blank or an allowed mark, not as a letter or digit ("173"); false = EasyOCR's recipe.
    drop_edge_marks: bool = True
    # A word list: a reading of 3+ letters that is no word of it is replaced by the word a few
    # letters away (ocrkit_crnn.lexicon) whose CTC likelihood over the crop's frames is at most
    # `lexicon_margin` nats below the reading's. "en" = the built-in English list, else a file
    # (one word per line); None = off.
    lexicon: str | None = "en"
    lexicon_margin: float = 6.0
    # A word of the lexicon up to this many nats below a reading of 4+ letters replaces it too
    # when no other word comes within 12 nats of it (a lone candidate) and the reading was
    # unsure (a letter's peak probability under 0.9) or is the word with a glyph pair read as
    # one ("Sumame" for "Surname"). None = off (ocrkit_crnn.lexicon).
    lexicon_lone_margin: float | None = 12.0
    # A two-letter reading in lower case or with a first capital that is no two-letter word of
    # the list ("ol", "Io") is replaced by one of those one letter away ("of", "To") at most
    # this many nats less likely; capitals ("NY") stay. None = off (ocrkit_crnn.lexicon).
    lexicon_two_letter_margin: float | None = 4.0
    # A reading that is no word of the lexicon but two of its words run together ("FAXNO:")
    # gets the spelling with the space as its alternative (Recognition.spaced) when that is at
    # most this many nats below the reading's; a pipeline takes it where the crop's ink shows
    # the gap (ocrkit_crnn.word_breaks). None = off.
    lexicon_split_margin: float | None = 6.0
    # A reading whose letters switch case mid-word ("seX") is spelt in one case when that
    # spelling's CTC likelihood is at most this many nats below the reading's
    # (ocrkit_crnn.word_case); None = readings as decoded.
    case_margin: float | None = 6.0
    # A digit read among the letters of a word ("0f", "S1GNED") or a bracket without its
    # partner ("Origina]", "[828") becomes the character it looks like when that spelling's
    # CTC likelihood is at most this many nats below the reading's (ocrkit_crnn.look_alikes);
    # None = readings as decoded.
    look_alike_margin: float | None = 6.0

    def __post_init__(self) -> None:
        if self.decoder not in DECODERS:
            raise ValueError(f"decoder must be one of {', '.join(DECODERS)}, got {self.decoder!r}")
        if self.contrast not in CONTRASTS:
            choices = ", ".join(CONTRASTS)
            raise ValueError(f"contrast must be one of {choices}, got {self.contrast!r}")
        from ocrkit.precision import check_precision

        check_precision(self.precision)
        if self.beam_width < 1 or self.batch_size < 1:
            raise ValueError("beam_width and batch_size must be >= 1")
        if self.allowlist is not None and self.blocklist is not None:
            raise ValueError("give allowlist or blocklist, not both")
        if self.allowlist == "":
            raise ValueError("allowlist is empty: give the characters to read, or leave it unset")
        if self.lexicon == "":
            raise ValueError("lexicon is empty: give a word-list file, en, or none")
        if not self.lexicon_margin >= 0.0:
            raise ValueError(f"lexicon_margin must be >= 0 (nats), got {self.lexicon_margin}")
        lone = self.lexicon_lone_margin
        if lone is not None and not lone >= self.lexicon_margin:
            raise ValueError(f"lexicon_lone_margin must be >= lexicon_margin "
                             f"({self.lexicon_margin}) or none, got {lone}")  # fmt: skip
        two = self.lexicon_two_letter_margin
        if two is not None and not two >= 0.0:
            raise ValueError(f"lexicon_two_letter_margin must be >= 0 (nats) or none, got {two}")
        split = self.lexicon_split_margin
        if split is not None and not split >= 0.0:
            raise ValueError(f"lexicon_split_margin must be >= 0 (nats) or none, got {split}")
        if self.case_margin is not None and not self.case_margin >= 0.0:
            raise ValueError(f"case_margin must be >= 0 (nats) or none, got {self.case_margin}")
        if self.look_alike_margin is not None and not self.look_alike_margin >= 0.0:
            raise ValueError(
                f"look_alike_margin must be >= 0 (nats) or none, got {self.look_alike_margin}"
            )
        if not 0.0 <= self.contrast_retry <= 1.0:
            raise ValueError(f"contrast_retry must be in [0, 1], got {self.contrast_retry}")
