"""`comuna stv`: count a single-transferable-vote election from a BLT file.

    comuna stv count FILE.blt [--method scottish|meek] [--tie-seed S] [--json]

With --json it prints {"elected": [candidate numbers from 1, in order of election], "quota": "...",
"stages": [...], ...}: the whole result sheet (see comuna.choice.stv.stages). Without it, a short text summary.
Exit code 2 for a file that cannot be read (the message names the line and the reason).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from comuna.choice.stv.blt import BltFormatError, read_blt
from comuna.choice.stv.meek import count_meek
from comuna.choice.stv.scottish import count_scottish
from comuna.choice.stv.stages import CountResult

METHODS = {"scottish": count_scottish, "meek": count_meek}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stv", help="single transferable vote counts (Scottish rules, Meek)")
    commands = parser.add_subparsers(dest="stv_command", required=True)
    count = commands.add_parser("count", help="count a BLT ballot file and show every stage")
    count.add_argument("file", type=Path, help="ballots in BLT format")
    count.add_argument("--method", choices=sorted(METHODS), default="scottish",
                       help="scottish: SSI 2007/42 rules (default); meek: Meek's method (reference rule)")
    count.add_argument("--tie-seed", default="0", help="seed of the lot, used only for ties at every stage")
    count.add_argument("--json", action="store_true", help="print the full result sheet as JSON")
    count.set_defaults(func=run_count)


def run_count(args: argparse.Namespace) -> int:
    try:
        election = read_blt(args.file)
    except BltFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    result = METHODS[args.method](election, tie_seed=args.tie_seed)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(summary(result))
    return 0


def summary(result: CountResult) -> str:
    lines = [f"{result.title or 'Election'}: {result.seats} seats, {result.valid_votes} valid votes, "
             f"quota {result.quota} ({result.method})"]
    for stage in result.stages:
        lines.append(f"  stage {stage.number}: {stage.description}")
        lines.extend(f"    {result.candidates[event.candidate - 1]} {event.outcome}: {event.reason}"
                     for event in stage.events)
    lines.append("Elected: " + "; ".join(result.candidates[c - 1] for c in result.elected))
    return "\n".join(lines)
