"""Detector → crop → recogniser, returning words in reading order."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pluggy

from .bilevel import check_bilevel, softened
from .builtin.crop import MARGIN
from .builtin.crop import ocrkit_crop_region as quad_crop
from .geometry import sampling_flag
from .ink import grey_of
from .joins import comma_spaced, join_tokens
from .lines import LEVELS, to_lines
from .io import check_image
from .margins import RETRY_BELOW, RETRY_MARGINS, check_margins, read_again
from .neighbours import NEIGHBOURS, trim_to_neighbours
from .orientation import UPSIDE_DOWN, best_angle, candidate_angles, check_rotations, rotated
from .points import pointed
from .plugins import get_plugin_manager
from .protocols import Detector, Recognizer
from .reading_order import group_lines
from .rules import RULES, erase_rules, erased_reads_better
from .spaces import split_spaced
from .text_steps import TEXT_STEPS
from .tidy import TEXT_MODES, kept_within, sure_words, tidy_word
from .turned import Job, mapped_back, read_sideways, read_upside_down, sideways_pages, turned_job
from .turned import upright
from .types import Detection, Image, Recognition, Word
from .unsure import confirmed

DEFAULT_CROP_HEIGHT = 64
# "auto": the ocrkit_crop_region hook chain (plugins first, e.g. CRAFT's TPS for curved polygons,
# then the core's quad crop); "quad": always the core's perspective crop of the region's quad.
CROP_MODES = ("auto", "quad")


class Pipeline:
    """End-to-end reader. ``recognizer=None`` gives detection only (``Word.text`` is None).

    ``crop="auto"`` crops through the ``ocrkit_crop_region`` hooks (curved polygons rectified by
    the detector plugin's TPS when it provides one); ``crop="quad"`` forces the core's
    perspective crop of each region's quadrilateral. ``crop_sampling`` is how crops resample
    the page (``"lanczos"``, ``"cubic"`` or ``"linear"``; ``ocrkit.geometry.SAMPLINGS``:
    Lanczos reads small words best, bilinear costs less: ~2× per axis-aligned box, ~10× per
    tilted one). ``level="line"`` merges the words of each text line (cut at wide gaps) into
    one region with the texts joined by spaces.
    ``rotations`` (e.g. ``[90, 180, 270]``) also reads every region turned by those angles and
    keeps the most confident reading; tall regions are always tried at 90° and 270° as well
    (see :mod:`ocrkit.orientation`). ``upside_down="check"`` reads each image's widest words
    turned by 180° too, and when most read better so, the whole image is read turned, its
    words in reverse order, and an image found turned by 90° (most of its regions vertical,
    voting one way) is turned upright and detected and read again, its words mapped back
    (:mod:`ocrkit.turned`) (``"off"``: neither; ``rotations`` with 180 decides per region
    instead). ``neighbours="trim"`` cuts a word's crop halfway to the word next to it on its
    line when it would reach into it (see :mod:`ocrkit.neighbours`); ``"keep"`` crops every
    region on its own. ``rules="erase"`` also reads each region whose crop holds a ruling line
    (a box's side, an underline, a table line) with the line erased, and keeps the more
    confident reading (:mod:`ocrkit.rules`); ``"keep"`` reads the crop as cut.
    ``bilevel="smooth"`` cuts the words of a bi-level image (a fax, a 1-bit scan) from it
    blurred by 0.7 px, read better (:mod:`ocrkit.bilevel`); ``"keep"``: as given. A region
    read with confidence below ``retry_below`` is cut again with each of ``retry_margins``
    (× its shorter side; ``()`` = never) and the most confident reading is kept (see
    :mod:`ocrkit.margins`). ``text="tidy"`` drops edge spaces and lone marks after a space
    from each reading (:mod:`ocrkit.tidy`), joins the pieces of a token the detector split (an
    MRZ line at its ``<`` fillers, a number at its dot) where the joined box reads as one token
    (:mod:`ocrkit.joins`), gives each word of a region read as several its own box where the
    ink shows their gaps (:mod:`ocrkit.spaces`), puts an MRZ line's reading to its format
    (:mod:`ocrkit.mrz`), and puts back from the ink a number's decimal point
    (:mod:`ocrkit.points`), the case of capitals read among x-height letters ("uS" → "us",
    :mod:`ocrkit.letter_case`), a final period or colon (:mod:`ocrkit.periods`) and a bracket
    (:mod:`ocrkit.brackets`) the recogniser dropped or misread (the steps:
    :mod:`ocrkit.text_steps`); ``"split"`` does the same but leaves numbers split (the tokens of
    FUNSD's ground truth: "12.08." "1974"); ``"raw"`` keeps the recogniser's texts and the
    regions as they are. ``min_score`` drops the words read with a recognition score below it
    (0 keeps all; it needs a recogniser), the rest read more reliably (README, "Dropping
    unsure words"). ``crop_threads`` crops a batch's regions in that many threads (0 = min(4,
    CPUs); 1 = in the caller's thread): ``ocrkit_crop_region`` hooks must be thread-safe, as
    pure functions of their arguments are.

    Example:
        >>> import ocrkit
        >>> pipe = ocrkit.Pipeline(ocrkit.load_detector("craft"), ocrkit.load_recognizer("crnn"))
        >>> words = pipe.read([ocrkit.read_image("samples/page.png")])[0]  # doctest: +SKIP
        >>> print(" ".join(w.text for w in words))  # doctest: +SKIP
    """

    def __init__(
        self,
        detector: Detector,
        recognizer: Recognizer | None = None,
        *,
        crop: str = "auto",
        level: str = "word",
        rotations: Sequence[int] = (),
        plugin_manager: pluggy.PluginManager | None = None,
        crop_threads: int = 0,
        neighbours: str = "trim",
        retry_margins: Sequence[float] = RETRY_MARGINS,
        retry_below: float = RETRY_BELOW,
        upside_down: str = "check",
        text: str = "tidy",
        min_score: float = 0.0,
        rules: str = "erase",
        crop_sampling: str = "lanczos",
        bilevel: str = "smooth",
    ) -> None:
        if crop not in CROP_MODES:
            raise ValueError(f"crop must be one of {', '.join(CROP_MODES)}, got {crop!r}")
        sampling_flag(crop_sampling)  # a ValueError naming the choices
        self.crop_sampling = crop_sampling
        if neighbours not in NEIGHBOURS:
            raise ValueError(
                f"neighbours must be one of {', '.join(NEIGHBOURS)}, got {neighbours!r}"
            )
        if rules not in RULES:
            raise ValueError(f"rules must be one of {', '.join(RULES)}, got {rules!r}")
        self.rules = rules
        self.bilevel = check_bilevel(bilevel)
        if upside_down not in UPSIDE_DOWN:
            raise ValueError(f"upside_down must be one of {', '.join(UPSIDE_DOWN)}, got {upside_down!r}")
        self.upside_down = upside_down
        if text not in TEXT_MODES:
            raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, got {text!r}")
        self.tidy = text != "raw"
        self.join_numbers = text == "tidy"
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        self.detector = detector
        self.recognizer = recognizer
        # What the recogniser may read (its allowlist, when it says): no tidy step adds more.
        chars = getattr(recognizer, "characters", None)
        self._characters = frozenset(chars) if chars else None
        self.crop_mode = crop
        self.neighbours = neighbours
        self.retry_margins = check_margins(retry_margins)
        if not 0.0 <= retry_below <= 1.0:
            raise ValueError(f"retry_below must be in [0, 1], got {retry_below}")
        self.retry_below = float(retry_below)
        if not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], got {min_score}")
        if min_score > 0 and recognizer is None:
            raise ValueError("min_score needs a recogniser: without one no word has a score")
        self.min_score = float(min_score)
        self.level = level
        self.rotations = check_rotations(rotations)
        self._pm = plugin_manager
        if crop_threads < 0:
            raise ValueError(f"crop_threads must be ≥ 0, got {crop_threads}")
        # A crop's resampling (OpenCV's warp, or numpy's products for an axis-aligned box)
        # releases the GIL for most of its time, so a dense page's crops (~180 × 0.1-0.5 ms)
        # spread over threads; 0 = min(4, CPUs).
        self.crop_threads = crop_threads or max(1, min(4, os.cpu_count() or 1))
        self._pool: ThreadPoolExecutor | None = None

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        if self._pm is None:
            self._pm = get_plugin_manager()
        return self._pm

    def crop(self, image: Image, detection: Detection) -> Image:
        """The recogniser's input for one region, via the ``ocrkit_crop_region`` hook."""
        height = int(getattr(self.recognizer, "height", DEFAULT_CROP_HEIGHT))
        sampling = self.crop_sampling
        if self.crop_mode == "quad":
            return quad_crop(image=image, detection=detection, height=height, sampling=sampling)
        return self.plugin_manager.hook.ocrkit_crop_region(
            image=image, detection=detection, height=height, sampling=sampling
        )

    def read(self, images: Sequence[Image]) -> list[list[Word]]:
        """Read a batch of RGB uint8 images; one list of words per image, in reading order."""
        images = [check_image(img, i) for i, img in enumerate(images)]
        return self._words(self._cut_from(images), self.detector.detect(images))

    def read_stream(self, batches: Iterable[Sequence[Image]]) -> Iterator[list[list[Word]]]:
        """``read()`` over a stream of batches: one result (a list per image) per batch, in
        order, the same as ``read()`` of each batch.

        With a detector that has ``detect_stream`` (CRAFT), detection runs ahead: later batches'
        network passes are queued (on a GPU) while this batch's regions are cropped and read,
        so the host's cropping overlaps the device's detection."""
        taken: deque[list[Image]] = deque()  # batches handed to detection, not yet finished

        def checked() -> Iterator[list[Image]]:
            for batch in batches:
                images = [check_image(img, i) for i, img in enumerate(batch)]
                taken.append(images)
                yield images

        stream = getattr(self.detector, "detect_stream", None)
        detections = stream(checked()) if stream else (self.detector.detect(b) for b in checked())
        for per_image in detections:
            yield self._words(self._cut_from(taken.popleft()), per_image)

    def _cut_from(self, images: Sequence[Image]) -> list[Image]:
        """The images words are cut from (and read in): bi-level ones softened."""
        return [softened(im) for im in images] if self.bilevel == "smooth" else list(images)

    def _words(
        self, images: Sequence[Image], detections: Sequence[Sequence[Detection]], again: bool = True
    ) -> list[list[Word]]:
        """Regions in reading order, cropped and recognised (or detection only); with ``again``
        (and ``upside_down="check"``), images found turned by 90° are detected and read again
        turned upright (:mod:`ocrkit.turned`): found on a sample of their regions before the
        rest are read, or else by the vote of all their vertical regions."""
        read = None if self.recognizer is None else (
            lambda pairs: self._read([(image, det, False) for image, det in pairs]))  # fmt: skip
        detections = confirmed(images, detections, read)
        again = again and self.upside_down == "check" and self.recognizer is not None
        turned = sideways_pages(images, detections, self._read) if again else {}
        rest = [i for i in range(len(images)) if i not in turned]
        out: list[list[Word]] = [[] for _ in images]
        if rest:
            subset = [images[i] for i in rest], [detections[i] for i in rest]
            words, late = self._read_regions(*subset)
            for k, i in enumerate(rest):
                out[i] = words[k]
            if again:
                turned.update({rest[k]: angle for k, angle in late.items()})
        if turned:
            todo = sorted(turned)
            ups = [upright(images[i], turned[i]) for i in todo]
            for i, words in zip(todo, self._words(ups, self.detector.detect(ups), again=False)):
                out[i] = mapped_back(words, turned[i], images[i].shape)
        return out

    def _read_regions(
        self, images: Sequence[Image], detections: Sequence[Sequence[Detection]]
    ) -> tuple[list[list[Word]], dict[int, int]]:
        """Each image's regions in reading order, cropped and recognised (or detection only),
        and the angle of each image whose vertical regions found it turned by 90°."""
        ordered: list[list[Detection]] = []
        lines: list[list[list[int]]] = []  # per image: positions in `ordered`, line by line
        for dets in detections:
            groups = group_lines([d.polygon for d in dets])
            ordered.append([dets[k] for line in groups for k in line])
            sizes = np.cumsum([0] + [len(line) for line in groups])
            lines.append([list(range(a, b)) for a, b in zip(sizes[:-1], sizes[1:])])
        flipped: set[int] = set()
        turned: dict[int, int] = {}  # image → the angle its text is turned by (90 or 270)
        if self.recognizer is None:
            out = [[Word(d.polygon, None, d.score, None) for d in dets] for dets in ordered]
        else:
            out, flipped, turned, spaced = self._recognize(images, ordered, lines)
            if self.tidy:  # an MRZ line or a number the detector split: one word again
                # The steps that measure the ink use each image's grey, converted once here.
                greys = [grey_of(img) for img in images]
                out = self._join_tokens(images, greys, out, lines, flipped)
                # A region read as several words (or offered so), one word each. Not on an
                # image read upside down: its regions' corners run against its text.
                out = [ws if i in flipped else split_spaced(g, ws, spaced)
                       for i, (g, ws) in enumerate(zip(greys, out))]  # fmt: skip
                for step in TEXT_STEPS:
                    out = [kept_within(ws, step(g, ws), self._characters)
                           for g, ws in zip(greys, out)]  # fmt: skip
            if self.min_score > 0:  # after the joins: a token is judged whole, as it is output
                out = [sure_words(ws, self.min_score) for ws in out]
        # An upside-down image's words, in the order of its text: the image's order reversed.
        out = [words[::-1] if i in flipped else words for i, words in enumerate(out)]
        if self.level == "line":
            out = [to_lines(words, reverse=i in flipped) for i, words in enumerate(out)]
        return out, turned

    def _recognize(
        self,
        images: Sequence[Image],
        ordered: Sequence[Sequence[Detection]],
        lines: Sequence[Sequence[Sequence[int]]],
    ) -> tuple[list[list[Word]], set[int], dict[int, int], dict[Word, str]]:
        """Crop every region at each candidate angle, read all crops in one batch, keep the
        most confident reading per region; also the indices of the images read upside down,
        the angle of each image turned by 90° (most regions vertical, voting one way), and
        the words whose reading offers a spaced alternative (``Recognition.spaced``), tidied."""
        jobs: list[Job] = []  # (image, region, turn the crop by 180°)
        owners: list[tuple[int, int, int]] = []  # (image index, region index, angle) of each crop
        cuts: dict[tuple[int, int], Detection] = {}  # each region as cropped
        for i, (img, dets) in enumerate(zip(images, ordered)):
            for j, (det, cut) in enumerate(zip(dets, self._crop_regions(dets, lines[i]))):
                cuts[(i, j)] = cut
                for angle in candidate_angles(det, self.rotations):
                    turned = rotated(cut, angle)
                    if turned is not None:
                        jobs.append((img, turned, False))
                    elif angle == 180:  # curved region: rotate its rectified crop
                        jobs.append((img, cut, True))
                    else:
                        continue
                    owners.append((i, j, angle))
        texts = self._read(jobs) if jobs else []
        readings: dict[tuple[int, int], dict[int, tuple[Recognition, int]]] = {}  # angle → (reading, job)
        for k, ((i, j, angle), rec) in enumerate(zip(owners, texts)):
            readings.setdefault((i, j), {})[angle] = (rec, k)
        best = {owner: r[best_angle({a: (rec, jobs[k][1]) for a, (rec, k) in r.items()})]
                for owner, r in readings.items()}  # fmt: skip
        turned = read_sideways(images, ordered, cuts, readings, jobs, best, self._read)
        flipped: set[int] = set()
        if self._check_flips():
            flipped = read_upside_down(ordered, jobs, best, self._read)
        read_again(jobs, best, self.retry_margins, self.retry_below, self._read)
        read = {owner: rec for owner, (rec, _) in best.items()}
        words = [[Word(d.polygon, self._tidied(read[(i, j)].text), d.score, read[(i, j)].score)
                  for j, d in enumerate(dets)] for i, dets in enumerate(ordered)]  # fmt: skip
        spaced = {words[i][j]: self._tidied(r.spaced) for (i, j), r in read.items() if r.spaced}
        return words, flipped, turned, spaced

    def _tidied(self, text: str) -> str:
        """``text`` tidied (:func:`tidy_word`, no colon the recogniser may not read), or as
        read under ``text="raw"``."""
        return tidy_word(text, self._characters) if self.tidy else text

    def _join_tokens(
        self,
        images: Sequence[Image],
        greys: Sequence[np.ndarray],
        words: Sequence[Sequence[Word]],
        lines: Sequence[Sequence[Sequence[int]]],
        flipped: set[int],
    ) -> list[list[Word]]:
        """Each image's words with the pieces of one token joined (:mod:`ocrkit.joins`); joined
        boxes are read as one crop, turned by 180° on an image read turned. ``greys``: the
        images' uint8 (H, W) greys, where a thousands comma's space is looked for."""

        def read(regions: Sequence[tuple[int, Word]]) -> list[Recognition]:
            jobs = []
            for i, word in regions:
                job = (images[i], Detection(word.polygon, word.detection_score), False)
                jobs.append(turned_job(job) if i in flipped else job)
            # Joined boxes read as digits get their ink's mark back (:mod:`ocrkit.points`).
            return [r if i in flipped
                    else Recognition(pointed(greys[i], w.polygon, r.text), r.score, r.spaced)
                    for (i, w), r in zip(regions, self._read(jobs))]  # fmt: skip

        # The ink is measured as the image stands: on an image read turned by 180° a comma
        # hangs from the digits' tops, none is found, and its thousands commas stay apart.
        def spaced(i: int, left: Word, right: Word) -> bool:
            return comma_spaced(greys[i], left, right)

        return join_tokens(words, lines, flipped, read, numbers=self.join_numbers, spaced=spaced)

    def _read(self, jobs: Sequence[Job]) -> list[Recognition]:
        """Each job's reading; with ``rules="erase"`` the more confident of its crop's as cut and
        with its ruling lines erased, where it has any (a rule crossing the letters takes their
        ink where they overlap it, and then the crop as cut may read surer)."""
        rec = self.recognizer
        if self.rules == "keep":
            return rec.recognize(self._crops(jobs))  # type: ignore[union-attr]
        pairs = self._crops(jobs, erase=True)
        out = rec.recognize([crop for crop, _ in pairs])  # type: ignore[union-attr]
        ruled = [k for k, (_, clean) in enumerate(pairs) if clean is not None]
        if ruled:
            again = rec.recognize([pairs[k][1] for k in ruled])  # type: ignore[union-attr]
            for k, reading in zip(ruled, again):
                if erased_reads_better(out[k], reading):
                    out[k] = reading
        return list(out)

    def _check_flips(self) -> bool:
        return self.upside_down == "check" and 180 not in self.rotations

    def _crop_regions(
        self, dets: Sequence[Detection], lines: Sequence[Sequence[int]]
    ) -> list[Detection]:
        """The regions as cropped: cut at touching neighbours on their line unless ``keep``."""
        if self.neighbours == "keep":
            return list(dets)
        cut = trim_to_neighbours([d.polygon for d in dets], MARGIN, lines)
        return [Detection(p, d.score) for p, d in zip(cut, dets)]

    def _crops(self, jobs: Sequence[Job], erase: bool = False) -> list[Any]:
        """The crop of each (image, region, turn 180°) job, in order (threads for many); with
        ``erase``, (crop, the crop with its ruling lines erased or None where it has none)."""

        def one(job: Job) -> Any:
            image, det, turn = job
            crop = self.crop(image, det)
            crop = np.ascontiguousarray(np.rot90(crop, 2)) if turn else crop
            if not erase:
                return crop
            clean = erase_rules(crop)
            return crop, (None if clean is crop else clean)

        if self.crop_threads == 1 or len(jobs) < 2 * self.crop_threads:
            return [one(job) for job in jobs]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.crop_threads, thread_name_prefix="ocrkit-crop")
        # A few chunks per thread: one future per crop would cost about what a small crop does.
        size = -(-len(jobs) // (4 * self.crop_threads))
        chunks = [jobs[k : k + size] for k in range(0, len(jobs), size)]
        parts = self._pool.map(lambda chunk: [one(job) for job in chunk], chunks)
        return [crop for part in parts for crop in part]

