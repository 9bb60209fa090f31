"""The ``ocrkit`` command line (argparse). ``main(argv, plugins)`` runs in-process, like pytest."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .config import ConfigError
from .errors import UsageError
from .evaluation import EvaluationError
from .plugins import PluginError, make_plugin_manager, plugin_info
from .registry import UnknownNameError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocrkit", description="Text detection and recognition.")
    parser.add_argument("--version", action="version", version=f"ocrkit {__version__}")
    parser.add_argument(
        "-p", "--plugin", action="append", default=[], metavar="MODULE",
        help="also load MODULE (importable) as a plugin; repeatable",
    )  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from .commands import eval as eval_cmd
    from .commands import export as export_cmd
    from .commands import run as run_cmd
    from .commands import synth as synth_cmd
    from .commands import train as train_cmd

    run_cmd.add_parser(sub)
    synth_cmd.add_parser(sub)
    eval_cmd.add_parser(sub)
    train_cmd.add_parser(sub)
    export_cmd.add_parser(sub)
    sub.add_parser("plugins", help="list plugins, versions and the names they register (JSON)")
    return parser


def cmd_plugins(args: argparse.Namespace, pm) -> int:
    print(json.dumps(plugin_info(pm), indent=2))
    return 0


def main(argv: Sequence[str] | None = None, plugins: Sequence[object] = ()) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 some inputs failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        pm = make_plugin_manager(extra=[*plugins, *args.plugin])
        if args.command == "plugins":
            return cmd_plugins(args, pm)
        if args.command == "synth":
            from .commands import synth as synth_cmd

            return synth_cmd.cmd_synth(args, pm)
        if args.command == "train":
            from .commands import train as train_cmd

            return train_cmd.cmd_train(args, pm)
        if args.command == "export":
            from .commands import export as export_cmd

            return export_cmd.cmd_export(args, pm)
        if args.command == "eval":
            from .commands import eval as eval_cmd

            return eval_cmd.cmd_eval(args, pm)
        from .commands import run as run_cmd

        return run_cmd.cmd_run(args, pm)
    except (UsageError, UnknownNameError, ConfigError, PluginError, EvaluationError) as exc:
        print(f"ocrkit: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `ocrkit run ... | head`: the reader left, stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("ocrkit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a model that cannot be built (weights, device): one line, no trace
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"ocrkit: error: {message}", file=sys.stderr)
        return 2
