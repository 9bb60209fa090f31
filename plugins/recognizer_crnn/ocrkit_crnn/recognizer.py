"""CrnnRecognizer: crops → grey, height 64, width buckets → CRNN → CTC text + confidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ocrkit import Recognition, build_config
from ocrkit.precision import autocast, export_onnx, resolve_precision
from ocrkit.weights import load_state_dict, packaged_weights

from .alphabet import Alphabet, load_alphabet
from .config import CrnnConfig
from .decode import beam_search, collapse, confidence, outside_word, path_confidence
from .lexicon import corrected, load_lexicon, two_letter_corrected
from .word_breaks import spaced_reading
from .look_alikes import read_as_look_alikes
from .look_alikes import spellings as look_alike_spellings
from .model import CRNN
from .preprocess import HEIGHT, resize_to_height, stretch_contrast, to_batch, to_grey, widen_contrast
from .word_case import one_case, spellings

WEIGHTS_FILE = "english_g2.pth"


def load_crnn(weights: str | Path | None, alphabet: Alphabet) -> CRNN:
    """The CRNN in eval mode; a class-count mismatch with the charset is a clear error."""
    path = Path(weights) if weights else packaged_weights(WEIGHTS_FILE)
    state = load_state_dict(path)
    head = state.get("Prediction.weight")
    if head is not None and head.shape[0] != alphabet.num_classes:
        raise ValueError(
            f"{path}: the weights predict {head.shape[0]} classes but charset "
            f"{alphabet.name!r} has {alphabet.num_classes} (blank + {len(alphabet.characters)}); "
            "pass the matching charset=PATH"
        )
    model = CRNN(num_classes=alphabet.num_classes)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise RuntimeError(f"{path}: not CRNN weights ({str(exc).splitlines()[0]})") from None
    return model.eval()


def _checkpoint_alphabet(weights: str) -> Alphabet | None:
    """The charset an ``ocrkit train crnn`` checkpoint was trained with (None for plain weights)."""
    from ocrkit.weights import load_checkpoint_meta

    try:
        options = load_checkpoint_meta(weights).get("options", {})
    except Exception:  # unreadable files are reported by load_crnn with the file name
        return None
    chars = options.get("charset_characters")
    return Alphabet(options.get("charset_name", "checkpoint"), chars) if chars else None


class CrnnRecognizer:
    """Reads word crops (RGB or grey uint8, any size) into text; ``characters`` holds what a
    reading may contain (the charset, or the allowlist/blocklist's choice of it).

    Example:
        >>> rec = CrnnRecognizer.from_options({})  # doctest: +SKIP
        >>> rec.recognize([crop])[0].text  # doctest: +SKIP
    """

    height = HEIGHT

    def __init__(self, config: CrnnConfig, model: CRNN, alphabet: Alphabet, device: str = "cpu"):
        dev = torch.device(device)
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(f"device {device!r} requested but CUDA is not available here")
        self.config, self.alphabet, self.device = config, alphabet, dev
        self.precision = resolve_precision(config.precision, dev.type)
        self.model = model.to(dev).eval()
        # What a reading may hold (the pipeline's tidy steps add no other character), and the
        # (C,) 0/1 class mask that zeroes the rest, blank kept; None when nothing is masked.
        self.characters = alphabet.allowed(config.allowlist, config.blocklist)
        # `_marks`: the same for frames outside the word (`outside_word`), with letters and
        # digits masked too.
        self._keep: torch.Tensor | None = None
        if self.characters != alphabet.characters:
            kept = set(self.characters)
            mask = [1.0] + [float(ch in kept) for ch in alphabet.characters]
            self._keep = torch.tensor(mask, device=dev)
            marks = [1.0] + [float(ch in kept and not ch.isalnum()) for ch in alphabet.characters]
            self._marks = torch.tensor(marks, device=dev)
        self.lexicon = load_lexicon(config.lexicon) if config.lexicon else None
        # A lexicon word or a respelling in one case may hold these only.
        self._allowed = frozenset(self.characters)

    def export(self, path: str | Path, format: str = "onnx") -> Path:
        """Write the CRNN as ONNX (fp32): input ``image`` N×1×64×W in [−1, 1] (W dynamic, a
        multiple of 4 ≥ 8), output ``logits`` N×T×C with T = W/4 − 1 dynamic."""
        if format != "onnx":
            raise ValueError(f"unknown export format {format!r} (supported: onnx)")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        dynamic = {"image": {0: "batch", 3: "width"}, "logits": {0: "batch", 1: "steps"}}
        export_onnx(self.model, torch.zeros(2, 1, HEIGHT, 256), str(path), "image", ["logits"], dynamic)
        self.model.to(self.device)
        return path

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None, device: str = "cpu") -> CrnnRecognizer:
        config = build_config(CrnnConfig, options, what="crnn")
        alphabet = _checkpoint_alphabet(config.weights) if config.weights else None
        if alphabet is None or config.charset:
            explicit = load_alphabet(config.charset)
            if alphabet is not None and explicit.characters != alphabet.characters:
                raise ValueError(
                    f"{config.weights}: trained with charset {alphabet.name!r} "
                    f"({len(alphabet.characters)} characters), not {explicit.name!r}"
                )
            alphabet = explicit
        return cls(config, load_crnn(config.weights, alphabet), alphabet, device)

    def options(self) -> dict[str, Any]:
        return asdict(self.config)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        """Text and confidence per crop, in input order."""
        greys = [resize_to_height(to_grey(np.asarray(c)), HEIGHT) for c in crops]
        results = self._run(greys)
        retry = [i for i, r in enumerate(results) if r.score < self.config.contrast_retry]
        if retry:
            stretch = widen_contrast if self.config.contrast == "wide" else stretch_contrast
            second = self._run([(stretch(greys[i][0]), greys[i][1]) for i in retry])
            for i, r in zip(retry, second):
                if r.score > results[i].score:  # the reference keeps the first on ties
                    results[i] = r
        return results

    def probabilities(self, greys: Sequence[tuple[np.ndarray, int]]) -> list[np.ndarray]:
        """Per crop a (T, C) softmax matrix; crops are batched by bucket width."""
        out: list[np.ndarray] = [None] * len(greys)  # type: ignore[list-item]
        for chunk, probs in self._softmax_batches(greys):
            probs = probs.cpu().numpy()
            for k, i in enumerate(chunk):
                out[i] = probs[k]
        return out

    def best_paths(
        self, greys: Sequence[tuple[np.ndarray, int]]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per crop its CTC best path: (T,) int64 class ids and their (T,) float32 probabilities.

        All that greedy decoding and the confidence need, reduced on the model's device: the
        T×C matrices (C = 97 classes) would be ~50× more to copy back from a GPU. The reduced
        paths are copied back after the last batch is queued, so on a GPU the host prepares
        batch k+1 while batch k runs instead of waiting for each."""
        out: list[tuple[np.ndarray, np.ndarray]] = [None] * len(greys)  # type: ignore[list-item]
        paths = []
        for chunk, probs in self._softmax_batches(greys):
            paths.append((chunk, *probs.max(dim=2)))  # ties: the first index, as numpy's argmax
        for chunk, maxima, best in paths:
            maxima, best = maxima.cpu().numpy(), best.cpu().numpy()
            for k, i in enumerate(chunk):
                out[i] = (best[k], maxima[k])
        return out

    @torch.inference_mode()
    def _softmax_batches(
        self, greys: Sequence[tuple[np.ndarray, int]]
    ) -> Iterator[tuple[list[int], torch.Tensor]]:
        """(crop indices, N×T×C float32 softmax on the device) per batch of one bucket width."""
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, (_, width) in enumerate(greys):
            buckets[width].append(i)
        bs = self.config.batch_size
        for width, members in sorted(buckets.items()):
            for start in range(0, len(members), bs):
                chunk = members[start : start + bs]
                batch = to_batch([greys[i][0] for i in chunk], width)  # N×1×64×W
                with autocast(self.precision, self.device.type):
                    logits = self.model(torch.from_numpy(batch).to(self.device))  # N×T×C
                probs = torch.softmax(logits.float(), dim=2)
                if self._keep is not None:
                    probs = self._masked(probs)
                yield chunk, probs

    def _masked(self, probs: torch.Tensor) -> torch.Tensor:
        """N×T×C softmax → the same with only the allowed classes: the others zeroed, each
        frame renormalised (EasyOCR's recipe).

        With ``drop_edge_marks``, a crop's frames outside its word on the free best path (a
        mark the crop caught beyond it, after a space: "17 =", :func:`outside_word`) may read
        as blank or an allowed mark only, not as a letter or digit. Under EasyOCR's recipe an
        allowlist of digits reads "17 =" as "173" and "11.89 _" as "11.898"; a mark may still
        become an allowed one ("82 =" → "82-", as a form's "82-" often is)."""
        keep = self._keep
        if self.config.drop_edge_marks:
            best = probs.argmax(dim=2).cpu().numpy()  # N×T class ids
            outside = np.stack([outside_word(b, self.alphabet.characters) for b in best])
            if outside.any():
                where = torch.from_numpy(outside).to(probs.device).unsqueeze(2)  # N×T×1
                keep = torch.where(where, self._marks, self._keep)  # N×T×C
        probs = probs * keep
        return probs / probs.sum(dim=2, keepdim=True).clamp_min(1e-30)

    def _run(self, greys: Sequence[tuple[np.ndarray, int]]) -> list[Recognition]:
        cfg = self.config
        steps = cfg.case_margin is not None or cfg.look_alike_margin is not None
        # A lexicon (the default) looks up any reading that is no word of it, so then every
        # crop's frames are read (on a GPU they come back to the host, ~24 KB a crop).
        frames_needed = cfg.decoder == "beam" or self.lexicon is not None
        if not frames_needed and (not steps or self.device.type != "cpu"):
            out = [Recognition(self.alphabet.decode(collapse(best)), path_confidence(best, maxima))
                   for best, maxima in self.best_paths(greys)]  # fmt: skip
            if not steps:
                return out
            # On a GPU only the best paths come back; the few crops read in mixed case or with
            # a look-alike to try (~6 % of FUNSD's, ~13 % of ICDAR 2015's word crops) are run
            # again for their frames.
            mixed = [i for i, r in enumerate(out) if self._respelt(r.text)]
            for i, probs in zip(mixed, self.probabilities([greys[i] for i in mixed])):
                out[i] = Recognition(self._corrected(out[i].text, probs), out[i].score)
            return out
        # Each batch's frames are read where they are (on the CPU its softmax is host memory
        # already) and none is kept past its batch.
        out: list[Recognition] = [None] * len(greys)  # type: ignore[list-item]
        for chunk, batch in self._softmax_batches(greys):
            probs = batch.cpu().numpy()  # N×T×C
            for k, i in enumerate(chunk):
                out[i] = self._read(probs[k])
        return out

    def _read(self, probs: np.ndarray) -> Recognition:
        """One crop's (T, C) frames decoded, then its case and its word put right."""
        if self.config.decoder == "beam":
            text = self.alphabet.decode(beam_search(probs, self.config.beam_width))
            score = confidence(probs)
        else:
            best = probs.argmax(axis=1)  # (T,) class ids; ties: the first, as best_paths
            text = self.alphabet.decode(collapse(best))
            score = path_confidence(best, probs[np.arange(len(best)), best])
        # The confidence stays the reading's: it says how sure the network was.
        text = self._corrected(text, probs)
        return Recognition(text, score, self._spaced(text, probs))

    def _spaced(self, text: str, probs: np.ndarray) -> str | None:
        """The reading as two lexicon words with a space (``lexicon_split_margin``), or None."""
        margin = self.config.lexicon_split_margin
        if self.lexicon is None or margin is None:
            return None
        return spaced_reading(text, probs, self.alphabet.try_encode, self.lexicon, margin,
                              self._allowed)  # fmt: skip

    def _respelt(self, text: str) -> bool:
        """Whether the look-alike or the one-case step may respell ``text`` (needs its frames)."""
        cfg = self.config
        return bool((cfg.look_alike_margin is not None and look_alike_spellings(text))
                    or (cfg.case_margin is not None and spellings(text)))  # fmt: skip

    def _corrected(self, text: str, probs: np.ndarray) -> str:
        """``text`` with its stray digits and unpaired brackets as their look-alikes
        (``look_alike_margin``), in one case (``case_margin``), then put right to a lexicon
        word (a two-letter reading against the list's two-letter words,
        ``lexicon_two_letter_margin``)."""
        if self.config.look_alike_margin is not None:
            text = read_as_look_alikes(text, probs, self.alphabet.try_encode,
                                      self.config.look_alike_margin, self._allowed)  # fmt: skip
        if self.config.case_margin is not None:
            text = one_case(text, probs, self.alphabet.try_encode, self.config.case_margin,
                            self._allowed)  # fmt: skip
        if self.lexicon is not None:
            text = corrected(text, probs, self.alphabet.try_encode, self.lexicon,
                             self.config.lexicon_margin, self._allowed,
                             self.config.lexicon_lone_margin)  # fmt: skip
            two = self.config.lexicon_two_letter_margin
            if two is not None:
                text = two_letter_corrected(text, probs, self.alphabet.try_encode, self.lexicon,
                                            two, self._allowed)  # fmt: skip
        return text
