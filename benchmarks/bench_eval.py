"""Accuracy, speed and memory of detectors/recognisers on a benchmark, as a markdown table.

Each model runs in its own process (``ocrkit eval ... --json``) so its peak memory is its own.
Seconds per image cover decoding and prediction, not model loading or scoring.

Example (the commands behind benchmarks/RESULTS.md):
    python benchmarks/bench_eval.py --dataset icdar2015 --data ../shared/data/icdar2015/test \\
        --model craft --model craft+crnn --model mser --output benchmarks/results/ic15.md
    python benchmarks/bench_eval.py --dataset iiit5k --data ../shared/data/iiit5k --model crnn
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import last_json, machine, run_measured  # noqa: E402

RECOGNITION = {"iiit5k", "icdar2015_words", "crops"}


def command(spec: str, args: argparse.Namespace) -> list[str]:
    """``craft``, ``craft+crnn`` or (recognition datasets) ``crnn`` → an ``ocrkit eval`` argv."""
    argv = [sys.executable, "-m", "ocrkit", "eval", "--dataset", args.dataset, "--data",
            str(args.data), "--json", "--device", args.device, "--batch-size", str(args.batch_size)]  # fmt: skip
    if args.limit:
        argv += ["--limit", str(args.limit)]
    for opt in args.dataset_opt:
        argv += ["--dataset-opt", opt]
    parts = spec.split("+")
    if args.dataset in RECOGNITION:
        argv += ["--recognizer", parts[-1]]
    else:
        argv += ["--detector", parts[0]]
        if len(parts) > 1:
            argv += ["--recognizer", parts[1]]
        if args.save_predictions:
            argv += ["--save-predictions", str(Path(args.save_predictions) / spec.replace("+", "_"))]
    for opt in args.det_opt:
        argv += ["--det-opt", opt]
    return argv


def row(spec: str, result: dict, peak: float) -> str:
    def f(metric: str, key: str) -> str:
        return f"{result[metric][key]:.4f}" if metric in result else "–"

    if "recognition" in result:
        return (f"| {spec} | {f('recognition', 'accuracy_alnum')} | {f('recognition', 'accuracy')} "
                f"| {f('recognition', 'cer')} | {result['seconds_per_image']:.4f} | {peak:.0f} |")  # fmt: skip
    return (f"| {spec} | {f('icdar2015', 'precision')} | {f('icdar2015', 'recall')} "
            f"| {f('icdar2015', 'hmean')} | {f('end_to_end', 'hmean')} "
            f"| {result['seconds_per_image']:.3f} | {peak:.0f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", required=True)
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--model", action="append", required=True, help="craft, craft+crnn, mser, crnn")
    p.add_argument("--dataset-opt", action="append", default=[])
    p.add_argument("--det-opt", action="append", default=[])
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--save-predictions", default=None, metavar="DIR")
    p.add_argument("--output", type=Path, default=None, help="also write the table here")
    args = p.parse_args(argv)

    env = machine()
    if args.dataset in RECOGNITION:
        header = ["| model | accuracy (alnum, case-insens.) | accuracy (exact) | CER | s/crop | peak MiB |",
                  "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    else:
        header = ["| model | P | R | H-mean | end-to-end H | s/image | peak MiB |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    lines = [f"### {args.dataset} ({args.data})", ""] + header
    for spec in args.model:
        argv_ = command(spec, args)
        run = run_measured(argv_)
        if run.returncode not in (0, 1):
            print(f"{spec}: ocrkit eval failed with status {run.returncode}", file=sys.stderr)
            return 1
        result = last_json(run.output)
        lines.append(row(spec, result, run.peak_rss_mib))
        print(lines[-1], flush=True)
    n = result["images"]
    lines += ["", f"{n} samples; machine: {json.dumps(env)}", "",
              "Command: `python benchmarks/bench_eval.py " + " ".join(sys.argv[1:] if argv is None else argv) + "`", ""]  # fmt: skip
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"machine": env, "dataset": args.dataset, "samples": n}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
