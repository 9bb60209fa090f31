"""``ocrkit train RECIPE --config FILE.toml [--set KEY=VALUE]...``.

TOML layout: top-level keys are trainer settings (``ocrkit.training.TrainConfig``), the
``[options]`` table holds the recipe's own options. ``--set KEY=VALUE`` overrides a trainer
setting, ``--set options.KEY=VALUE`` a recipe option. Unknown keys are rejected with the list of
valid ones; the resolved configuration is printed before training and stored in checkpoints.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

try:  # Python ≥ 3.11
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package
    import tomli as tomllib

from ..config import ConfigError, build_config, parse_assignments
from ..errors import UsageError
from ..plugins import evaluators, trainings


def add_parser(sub: Any) -> None:
    p = sub.add_parser("train", help="train a model with a recipe (see configs/ in each plugin)")
    p.add_argument("recipe", help="training recipe name, e.g. crnn")
    p.add_argument("--config", type=Path, default=None, help="TOML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides")


def resolve(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """(TrainConfig, recipe options) from the TOML file and --set overrides."""
    from ..training import TrainConfig

    data: dict[str, Any] = {}
    if args.config is not None:
        try:
            data = tomllib.loads(args.config.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"{args.config}: cannot read ({exc.strerror})") from None
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{args.config}: invalid TOML ({exc})") from None
    options = dict(data.pop("options", {}) or {})
    for key, value in parse_assignments(args.overrides, "--set").items():
        if key.startswith("options."):
            options[key[len("options."):]] = value
        else:
            data[key] = value
    valid = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(data) - valid)
    if unknown:
        raise ConfigError(
            f"unknown training key {unknown[0]!r}; valid: {', '.join(sorted(valid))} "
            "(recipe options go under [options] or --set options.KEY=VALUE)"
        )
    if args.config is not None and "out_dir" not in data:
        data["out_dir"] = str(Path("runs") / args.config.stem)
    return build_config(TrainConfig, data, what="training"), options


def cmd_train(args: argparse.Namespace, pm: Any) -> int:
    from ..training import TrainingError, fit

    config, options = resolve(args)
    factory = trainings(pm).get(args.recipe)
    spec = factory(options=options, config=config)
    registry = evaluators(pm)
    evals = {name: registry.get(name)(options={}) for name in spec.evaluators}
    print(json.dumps({"recipe": args.recipe, "config": asdict(config), "options": spec.options}),
          file=sys.stderr)  # fmt: skip
    try:
        result = fit(spec, config, evals, recipe=args.recipe)
    except TrainingError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"steps": result.steps, "last_loss": result.last_loss,
                      "best_metric": result.best_metric, "checkpoint": result.checkpoint,
                      "best_checkpoint": result.best_checkpoint}))  # fmt: skip
    return 0
