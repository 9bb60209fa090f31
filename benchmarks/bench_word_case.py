"""One case per word (the CRNN's ``case_margin``) on word crops, per margin, in one run.

    python benchmarks/bench_word_case.py \\
        --set funsd_words:../shared/data/funsd/dataset/training_data --margins 3,4,6,8,10

Each crop is cut as ``ocrkit eval`` cuts it and read once (greedy, fp32); a reading whose
letters switch case mid-word is then spelt in one case at each margin
(:func:`ocrkit_crnn.word_case.one_case`, what the recogniser does by default). Prints per
dataset and margin the readings in mixed case, those changed, the words read exactly *with
their case* (tidied as the pipeline tidies a word, with its text-only case step
:func:`ocrkit.letter_case.raised`, so only what that step does not already mend counts) without
and with the step, the words made right and wrong, examples of both, the step's time per
word, the recogniser's whole time per word with the step and without it (read in turn, ``--repeat``
times), and the machine. The default margin (6) was chosen on all FUNSD train crops.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_crop_sets, corrections, crop_frames, examples, machine  # noqa: E402
from common import exact_as_the_pipeline_reads as right  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit_crnn.word_case import one_case, spellings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_crop_sets(p, "3,4,6,8,10", "case_margin")
    p.add_argument("--repeat", type=int, default=1, help="times each set is read both ways, timed")
    args = p.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    rec = ocrkit.load_recognizer("crnn")
    as_decoded = ocrkit.load_recognizer("crnn", case_margin=None)
    print("| crops | words | mixed case | exact, as read | margin | changed | exact, one case "
          "| made right | made wrong | ms per word |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown, timings = [], []
    for spec in args.set:
        samples, crops, probs, reads = crop_frames(rec, spec, args.limit)  # probs: (T, C) per crop
        # The recogniser's whole cost, both ways, in turn: the step re-runs the network on
        # the crops read in mixed case.
        seconds = {"none": 0.0, "default": 0.0}
        as_decoded.recognize(crops[:8])  # warm-up, untimed
        for _ in range(args.repeat):
            for name, r in (("none", as_decoded), ("default", rec)):
                start = time.perf_counter()
                r.recognize(crops)
                seconds[name] += time.perf_counter() - start
        read_ms = {k: 1000 * v / args.repeat / max(1, len(crops)) for k, v in seconds.items()}
        timings.append(f"{spec}: recognize() {read_ms['none']:.2f} ms per word with "
                       f"case_margin=none, {read_ms['default']:.2f} by default "
                       f"(x{read_ms['default'] / read_ms['none']:.3f})")
        mixed = sum(bool(spellings(r)) for r in reads)
        before = sum(right(r, s.text) for r, s in zip(reads, samples))
        for margin in margins:
            def fix(r: str, q: np.ndarray, m: float = margin) -> str:
                return one_case(r, q, rec.alphabet.try_encode, m)

            done = corrections(samples, probs, reads, fix, right)
            print(f"| {spec} | {len(samples)} | {mixed} | {before} | {margin:g} | {done.changed} "
                  f"| **{done.exact}** | {len(done.fixed)} | {len(done.broken)} | {done.ms:.2f} |")
        shown.append(examples(spec, margins[-1], done, args.show))
    print("\n" + "\n".join(shown + timings))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
