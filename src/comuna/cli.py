"""The `comuna` console command.

Library commands (`pb`, `stv`, `sortition`, `opinion`) never import Django, so they start fast and run anywhere;
platform commands (`serve`, `demo`, `audit`, `manage`, ...) set Django up first.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes `register(subparsers)`, adding its own command whose handler is stored as `func`.
COMMAND_MODULES: list[str] = [
    "comuna.platform_cli",
    "comuna.cooperation.cli",
    "comuna.choice.cli_sortition",
    "comuna.opinion.cli",
    "comuna.choice.cli_stv",
    "comuna.choice.cli_pb",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="comuna", description="Comuna: municipalist governance.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:  # hand everything after it to Django untouched, options included
        from comuna.platform_cli import manage

        return manage(argparse.Namespace(arguments=argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
