"""`comuna sortition`: select a citizens' assembly by lot (LEXIMIN or LEGACY) and verify a published draw.

    comuna sortition select --categories categories.csv --respondents respondents.csv --size K
                            --algorithm leximin|legacy [--seed S] [--json]
    comuna sortition verify --published result.json --seed S [--categories ... --respondents ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from comuna.choice.sortition.checks import distribution_problems
from comuna.choice.sortition.draw import DistributionError, PanelDistribution, draw_panel
from comuna.choice.sortition.feasibility import InfeasibleQuotasError
from comuna.choice.sortition.legacy import LegacyDrawer, LegacyFailure, estimate_legacy, rng_from_seed
from comuna.choice.sortition.leximin import LeximinReport, leximin_distribution
from comuna.choice.sortition.pool import PoolError, read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sortition", help="citizens' assemblies by lot (LEXIMIN, LEGACY, verifiable draw)")
    commands = parser.add_subparsers(dest="sortition_command", required=True)

    select = commands.add_parser("select", help="compute selection probabilities and draw a panel")
    _add_pool_arguments(select, required=True)
    select.add_argument("--algorithm", choices=("leximin", "legacy"), default="leximin")
    select.add_argument("--seed", help="public seed for the draw (announced in advance); no draw without it")
    select.add_argument("--draws", type=int, default=10_000, help="LEGACY: draws used to estimate probabilities")
    select.add_argument("--json", action="store_true", help="print the full result as JSON")
    select.set_defaults(func=run_select)

    verify = commands.add_parser("verify", help="recompute a draw from its seed and the published distribution")
    verify.add_argument("--published", required=True, type=Path,
                        help="JSON printed by `select --json` (or the bare published distribution)")
    verify.add_argument("--seed", required=True)
    _add_pool_arguments(verify, required=False)
    verify.set_defaults(func=run_verify)


def _add_pool_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--categories", type=Path, required=required, help="quotas: category,feature|name,min,max")
    parser.add_argument("--respondents", type=Path, required=required, help="volunteers: one column per category")
    parser.add_argument("--size", type=int, required=required, help="panel size K")
    parser.add_argument("--id-column", help="column holding volunteer ids (default: row numbers 1, 2, ...)")
    parser.add_argument("--address-columns", default="",
                        help="comma-separated columns; volunteers agreeing on all of them share an address, "
                             "and at most one per address is selected")


def _problem(args: argparse.Namespace) -> SelectionProblem:
    quotas = read_quotas(args.categories)
    address_columns = [c.strip() for c in args.address_columns.split(",") if c.strip()]
    pool = read_pool(args.respondents, quotas, id_column=args.id_column, address_columns=address_columns)
    try:
        return SelectionProblem(pool, tuple(quotas), args.size)
    except ValueError as error:
        raise PoolError(f"{args.respondents}: {error}") from error


def _print(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        print("\n".join(lines))


def run_select(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        problem = _problem(args)
        if args.algorithm == "leximin":
            report = LeximinReport()
            distribution = leximin_distribution(problem, report)
            probabilities = distribution.probabilities()
            extra = {"distribution": distribution.to_json(), "distribution_sha256": distribution.fingerprint(),
                     "stages": report.stages, "pricing_calls": report.pricing_calls}
            panel = draw_panel(distribution, args.seed) if args.seed else None
        else:
            estimate = estimate_legacy(problem, draws=args.draws, seed=args.seed or "legacy")
            probabilities = [float(p) for p in estimate.probabilities]
            extra = {"draws": estimate.draws, "failed_draws": estimate.failures}
            panel = None
            if args.seed:
                drawn = LegacyDrawer(problem).draw(rng_from_seed(args.seed + "/panel"))
                panel = [problem.pool.ids[i] for i in drawn]
    except InfeasibleQuotasError as error:
        payload = {"error": "infeasible_quotas", "message": str(error),
                   "conflict": [{"category": b.quota.category, "feature": b.quota.feature, "bound": b.side,
                                 "value": getattr(b.quota, b.side)} for b in error.conflict],
                   "suggested_quotas": [{"category": q.category, "feature": q.feature, "min": q.min, "max": q.max}
                                        for q in error.relaxed or []]}
        if args.json:
            print(json.dumps(payload, ensure_ascii=False, indent=1))
        print(str(error), file=sys.stderr)
        return 1
    except (PoolError, LegacyFailure, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    payload = {"algorithm": args.algorithm, "panel_size": problem.panel_size, "pool_size": problem.pool.size,
               "volunteers": list(problem.pool.ids), "probabilities": probabilities,
               "minimum_probability": min(probabilities), **extra, "seed": args.seed, "panel": panel,
               "seconds": round(time.perf_counter() - started, 3)}
    lines = [f"{args.algorithm.upper()}: panel of {problem.panel_size} from {problem.pool.size} volunteers; "
             f"lowest selection probability {min(probabilities):.4f}."]
    if args.algorithm == "leximin":
        lines.append(f"Distribution over {len(distribution.compositions)} compositions, "
                     f"SHA-256 {distribution.fingerprint()}.")
    if panel is not None:
        lines.append(f"Panel drawn with seed {args.seed!r}: {', '.join(panel)}")
    _print(payload, args.json, lines)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    try:
        published = json.loads(args.published.read_text(encoding="utf-8"))
        distribution = PanelDistribution.from_json(published.get("distribution", published))
    except (OSError, json.JSONDecodeError, DistributionError, AttributeError) as error:
        print(f"error: {args.published}: {error}", file=sys.stderr)
        return 2
    panel = draw_panel(distribution, args.seed)
    result: dict = {"seed": args.seed, "panel": panel, "distribution_sha256": distribution.fingerprint()}
    ok = True
    if "panel" in published and published["panel"] is not None:
        result["matches_published_panel"] = list(published["panel"]) == panel
        ok &= result["matches_published_panel"]
    if "distribution_sha256" in published:
        result["matches_published_sha256"] = published["distribution_sha256"] == distribution.fingerprint()
        ok &= result["matches_published_sha256"]
    if "probabilities" in published:
        exact = distribution.probabilities()
        result["matches_published_probabilities"] = (
            len(exact) == len(published["probabilities"])
            and all(abs(a - b) <= 1e-12 for a, b in zip(exact, published["probabilities"], strict=False)))
        ok &= result["matches_published_probabilities"]
    if args.categories or args.respondents:
        if not (args.categories and args.respondents and args.size):
            print("error: checking against the pool needs --categories, --respondents and --size", file=sys.stderr)
            return 2
        try:
            problems = distribution_problems(_problem(args), distribution)
        except PoolError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        result["quota_problems"] = problems
        ok &= not problems
    result["verified"] = bool(ok)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if ok else 1
