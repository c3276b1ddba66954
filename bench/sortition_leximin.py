"""Benchmark LEXIMIN (and LEGACY's 10,000-draw estimate) on the public pools and on synthetic pools that grow.

    .venv/bin/python bench/sortition_leximin.py            # public pools + synthetic scaling
    .venv/bin/python bench/sortition_leximin.py --quick    # public pools only
    .venv/bin/python bench/sortition_leximin.py --series-only --households   # synthetic pools only

Public pools: the two examples of Flanigan et al. (Nature 2021), whose published Gurobi times are 2.7 s and
1,161.8 s (published-figures.json), and the Sortition Foundation's example (K = 22).

Synthetic pools mimic real self-selected pools: six categories (2 x 5 x 4 x 8 x 4 x 2 = 2,560 profiles), a pool
skewed towards some features (older, more educated, ...), and quotas of +-1 around census-like targets. Every
volunteer lives at their own address unless `--households` is given, in which case pairs share one, which
removes all interchangeability (every volunteer is their own group).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from comuna.choice.sortition.legacy import estimate_legacy  # noqa: E402
from comuna.choice.sortition.leximin import LeximinReport, leximin_distribution  # noqa: E402
from comuna.choice.sortition.pool import Pool, Quota, read_pool, read_quotas  # noqa: E402
from comuna.choice.sortition.quotas import SelectionProblem  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sortition"

# category: (features, census shares, pool shares): the pool over-represents some features.
CATEGORIES = {
    "gender": (["f", "m"], [0.51, 0.49], [0.56, 0.44]),
    "age": (["16-29", "30-44", "45-59", "60-74", "75+"], [0.22, 0.25, 0.25, 0.18, 0.10],
            [0.10, 0.20, 0.27, 0.30, 0.13]),
    "education": (["none", "secondary", "vocational", "degree"], [0.20, 0.35, 0.20, 0.25],
                  [0.07, 0.23, 0.20, 0.50]),
    "region": ([f"r{i}" for i in range(8)], [0.125] * 8, [0.20, 0.16, 0.14, 0.12, 0.11, 0.10, 0.09, 0.08]),
    "background": (["b0", "b1", "b2", "b3"], [0.70, 0.12, 0.10, 0.08], [0.80, 0.08, 0.07, 0.05]),
    "area": (["urban", "rural"], [0.65, 0.35], [0.72, 0.28]),
}


def synthetic(n: int, k: int, seed: int, households: bool) -> SelectionProblem:
    rng = random.Random(seed)
    answers = tuple(tuple(rng.choices(features, weights=pool_share)[0]
                          for features, _, pool_share in CATEGORIES.values()) for _ in range(n))
    house = tuple(i // 2 for i in range(n)) if households else ()
    pool = Pool(tuple(str(i + 1) for i in range(n)), tuple(CATEGORIES), answers, house)
    quotas = []
    for category, (features, census, _) in CATEGORIES.items():
        for feature, share in zip(features, census, strict=True):
            target = round(k * share)
            quotas.append(Quota(category, feature, max(0, target - 1), target + 1))
    return SelectionProblem(pool, tuple(quotas), k)


def public(name: str, respondents: str, k: int) -> SelectionProblem:
    quotas = read_quotas(DATA / name / "categories.csv")
    return SelectionProblem(read_pool(DATA / name / respondents, quotas), tuple(quotas), k)


def run(label: str, problem: SelectionProblem, legacy: bool, paper: float | None) -> dict:
    report = LeximinReport()
    started, cpu_started = time.perf_counter(), time.process_time()
    distribution = leximin_distribution(problem, report)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    probabilities = np.array(distribution.probabilities())
    row = {"instance": label, "n": problem.pool.size, "k": problem.panel_size, "groups": len(problem.groups),
           "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2), "paper_gurobi_seconds": paper, "stages": report.stages,
           "pricing_calls": report.pricing_calls, "compositions": len(distribution.compositions),
           "min_probability": round(float(probabilities.min()), 5)}
    if legacy:
        started = time.perf_counter()
        estimate = estimate_legacy(problem, draws=10_000)
        row["legacy_10k_seconds"] = round(time.perf_counter() - started, 2)
        row["legacy_min_probability"] = round(float(estimate.probabilities.min()), 5)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--households", action="store_true")
    parser.add_argument("--series-only", action="store_true", help="skip the public pools")
    parser.add_argument("--limit", type=float, default=60.0,
                        help="stop a scaling series past this many CPU seconds (LEXIMIN runs on one thread, so "
                             "this is the wall time on an idle machine)")
    args = parser.parse_args()
    if not args.series_only:
        run("example_small_20", public("example_small_20", "respondents.csv", 20), True, 2.7)
        run("example_large_200", public("example_large_200", "respondents.csv", 200), True, 1161.8)
        run("stratification-app K=22", public("stratification-app-example", "candidates.csv", 22), True, None)
        small = public("example_small_20", "respondents.csv", 20)
        run("example_small_20 volunteer by volunteer",
            SelectionProblem(small.pool, small.quotas, 20, merge_interchangeable=False), False, 2.7)
    if args.quick:
        return
    for households in ([False, True] if args.households else [False]):
        for n, k in [(150, 20), (250, 25), (500, 50), (1000, 100), (2000, 150), (4000, 200), (8000, 250)]:
            label = f"synthetic{' households' if households else ''} n={n} k={k}"
            row = run(label, synthetic(n, k, seed=n, households=households), False, None)
            if row["cpu_seconds"] > args.limit:
                break


if __name__ == "__main__":
    main()
