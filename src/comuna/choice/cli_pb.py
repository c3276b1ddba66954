"""`comuna pb`: tally a participatory-budgeting election from a pabulib `.pb` file.

    comuna pb tally FILE.pb --rule greedy|mes|phragmen [--utility cost|cardinality|points]
                            [--completion add1|add1-comparison] [--no-skip] [--threshold N] [--json] [--explain]

With --json it prints {"winners": [project ids sorted as strings], "spent": n, "budget": n} (numbers: int when
integral, else float), plus "explanations" with --explain. Exit code 2 for a file that cannot be read (the message
names the line and the reason) or options that do not apply.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from comuna.choice.pabulib import PabulibError, read_pabulib
from comuna.choice.pb import COMPLETIONS, RULES, UTILITIES, tally
from comuna.choice.pb.explain import plain_number


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pb", help="participatory budgeting: greedy, Method of Equal Shares, Phragmén")
    commands = parser.add_subparsers(dest="pb_command", required=True)
    count = commands.add_parser("tally", help="compute the funded projects of a pabulib .pb file")
    count.add_argument("file", type=Path, help="election in pabulib .pb format")
    count.add_argument("--rule", choices=RULES, default="mes")
    count.add_argument("--utility", choices=UTILITIES, default=None,
                       help="default: points for cumulative/scoring ballots, else cost")
    count.add_argument("--completion", choices=COMPLETIONS, default=None, help="completion of MES")
    count.add_argument("--no-skip", action="store_true", help="greedy: stop at the first project that does not fit")
    count.add_argument("--threshold", type=int, default=0, help="greedy: minimum number of supporters")
    count.add_argument("--json", action="store_true", help="print JSON")
    count.add_argument("--explain", action="store_true", help="include why each project was funded or not")
    count.set_defaults(func=run_tally)


def run_tally(args: argparse.Namespace) -> int:
    try:
        instance = read_pabulib(args.file)
    except PabulibError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        outcome = tally(instance, rule=args.rule, utility=args.utility, completion=args.completion,
                        skip=not args.no_skip, threshold=args.threshold)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        data: dict[str, object] = {
            "winners": sorted(outcome.winners),
            "spent": plain_number(outcome.spent),
            "budget": plain_number(outcome.budget),
        }
        if args.explain:
            full = outcome.to_dict()
            data.update(order_funded=outcome.winners, rule=outcome.rule, utility=outcome.utility,
                        completion=outcome.completion, details=full["details"], explanations=full["explanations"])
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{args.rule}{' + ' + args.completion if args.completion else ''} ({outcome.utility} utilities): "
          f"{len(outcome.winners)} projects funded, {plain_number(outcome.spent)} of {plain_number(outcome.budget)}")
    for explanation in outcome.explanations:
        if explanation.funded or args.explain:
            print(f"  {explanation.project_id}: {explanation.message}")
    return 0
