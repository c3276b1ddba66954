"""`comuna opinion map DIR --json`: the opinion map of a Pol.is export folder."""

from __future__ import annotations

import argparse
import json
import sys

from comuna.opinion.incremental import MapOptions, OpinionMap
from comuna.opinion.polis_export import PolisExportError, read_polis_export


def register(subparsers) -> None:
    opinion = subparsers.add_parser("opinion", help="Opinion maps (Pol.is-style) from a Pol.is export.")
    commands = opinion.add_subparsers(dest="opinion_command", required=True)
    map_parser = commands.add_parser("map", help="Opinion groups, consensus and representative statements.")
    map_parser.add_argument("directory", help="folder with comments.csv and votes.csv (Pol.is export)")
    map_parser.add_argument("--json", action="store_true", help="print JSON (the only output format for now)")
    map_parser.add_argument("--seed", type=int, default=0, help="random seed (k-means seeding, PCA start)")
    map_parser.add_argument("--min-votes", type=int, default=7, help="votes needed to enter the map (Pol.is: 7)")
    map_parser.set_defaults(func=run_map)


def run_map(args: argparse.Namespace) -> int:
    try:
        export = read_polis_export(args.directory)
    except PolisExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    opinion_map = OpinionMap.build(export.votes, export.statements,
                                   MapOptions(seed=args.seed, min_votes=args.min_votes))
    json.dump(opinion_map.summary(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
