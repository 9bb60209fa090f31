"""The CRNN's lexicon correction (``--rec-opt lexicon=FILE``) on word crops, per margin, in one run.

    python benchmarks/bench_lexicon.py --lexicon ../shared/data/icdar2015/test/GenericVocabulary.txt \\
        --set funsd_words:../shared/data/funsd/dataset/training_data --limit 4000 \\
        --margins 2,4,6,8,10

Each crop is cut as ``ocrkit eval`` cuts it and read once (greedy, fp32); the reading is then
put right against the lexicon at each margin (:func:`ocrkit_crnn.lexicon.corrected`, what the
recogniser does with ``lexicon_margin``). Prints per dataset and margin the words read exactly
(tidied as the pipeline tidies a word, case ignored as the IC15 protocol ignores it) without and
with the lexicon, the words made right and made wrong, examples of both, the correction's time
per word, and the machine. The margins were chosen on FUNSD train crops 1–4000.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.commands.eval import load_crop  # noqa: E402
from ocrkit.datasets.specs import load_dataset_specs  # noqa: E402
from ocrkit.tidy import tidy_word  # noqa: E402
from ocrkit_crnn.decode import collapse  # noqa: E402
from ocrkit_crnn.lexicon import Lexicon, corrected  # noqa: E402
from ocrkit_crnn.preprocess import HEIGHT, resize_to_height, to_grey  # noqa: E402


def right(reading: str, truth: str) -> bool:
    return tidy_word(reading).casefold() == truth.casefold()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lexicon", type=Path, required=True, help="word list, one word per line")
    p.add_argument("--set", action="append", required=True, metavar="DATASET:PATH",
                   help="a recognition dataset, e.g. funsd_words:PATH, iiit5k:PATH (repeatable)")
    p.add_argument("--limit", type=int, default=0, help="first N crops per set (0 = all)")
    p.add_argument("--margins", default="2,4,6,8", help="lexicon_margin values (nats)")
    p.add_argument("--show", type=int, default=8, help="examples made right / wrong per set")
    args = p.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    lexicon = Lexicon.from_file(args.lexicon)
    rec = ocrkit.load_recognizer("crnn")
    print(f"lexicon {args.lexicon}: {len(lexicon)} words of 3+ letters\n")
    print("| crops | words | exact, no lexicon | margin | exact, lexicon | made right | made wrong "
          "| ms per word |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    examples = []
    for spec in args.set:
        samples = load_dataset_specs([spec], "recognition")
        samples = samples[: args.limit] if args.limit else samples
        greys = [resize_to_height(to_grey(np.asarray(load_crop(s, HEIGHT))), HEIGHT) for s in samples]
        probs = rec.probabilities(greys)  # (T, C) per crop
        reads = [rec.alphabet.decode(collapse(q.argmax(axis=1))) for q in probs]
        before = sum(right(r, s.text) for r, s in zip(reads, samples))
        for margin in margins:
            start = time.perf_counter()
            fixed, broken, exact = [], [], 0
            for r, q, s in zip(reads, probs, samples):
                c = corrected(r, q, rec.alphabet.try_encode, lexicon, margin)
                exact += right(c, s.text)
                if right(c, s.text) and not right(r, s.text):
                    fixed.append((s.text, r, c))
                elif right(r, s.text) and not right(c, s.text):
                    broken.append((s.text, r, c))
            ms = 1000 * (time.perf_counter() - start) / max(1, len(samples))
            print(f"| {spec} | {len(samples)} | {before} | {margin:g} | **{exact}** | {len(fixed)} "
                  f"| {len(broken)} | {ms:.1f} |")
            if margin == margins[-1]:
                examples.append(f"{spec}, margin {margin:g}: made right (truth, read, put right) "
                                f"{fixed[: args.show]}; made wrong {broken[: args.show]}")
    print("\n" + "\n".join(examples))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
