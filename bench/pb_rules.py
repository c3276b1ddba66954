"""Benchmark: Comuna's PB rules side by side with pabutools 1.2.3 (the peer), in one run.

    .venv/bin/python bench/pb_rules.py [--skip-pabutools-add1]

- Kraków 2024 (65,101 voters): our MES (cost) + add1 vs pabutools' *plain* MES (its add1 there would take hours,
  see the data README); our plain MES vs pabutools' plain MES; greedy vs greedy.
- Świecie 2023 (2,553 voters) and Amsterdam 252 (8,500 voters), mid-sized: MES + add1 for both.
Prints wall times, ratios, peak memory (process peak RSS) and whether the winners are the same.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from comuna.choice.pabulib import read_pabulib
from comuna.choice.pb import tally

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pabulib" / "instances"


def measure(function):
    """(value, seconds, peak resident memory of the process in MiB after the step).

    tracemalloc would slow allocation-heavy code several times over, so memory is the process peak (Linux
    ru_maxrss): our steps run before pabutools' on each instance, so their figure is not inflated by the peer."""
    start = time.perf_counter()
    value = function()
    elapsed = time.perf_counter() - start
    return value, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(label, ours, theirs, same):
    (_, t_ours, m_ours), (_, t_theirs, m_theirs) = ours, theirs
    print(f"{label:<54} ours {t_ours:7.3f} s (peak {m_ours:5.0f} MiB) | pabutools {t_theirs:7.2f} s "
          f"(peak {m_theirs:5.0f} MiB)"
          f" | ratio {t_theirs / t_ours:7.1f}x | same winners: {same}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-pabutools-add1", action="store_true")
    args = parser.parse_args()
    print("each step timed on its own; pabutools uses gmpy2 fractions (its default)")
    for name in ("Poland_Krakow_2024", "Poland_Swiecie_2023", "Netherlands_Amsterdam_252"):
        bench_instance(name, args.skip_pabutools_add1)


def bench_instance(name: str, skip_pabutools_add1: bool) -> None:
    path = DATA / f"{name}.pb"
    # ours first (so the process peak memory after each of our steps is ours alone), then pabutools
    read = measure(lambda: read_pabulib(path))
    instance = read[0]
    greedy = measure(lambda: tally(instance, rule="greedy"))
    mes = measure(lambda: tally(instance, rule="mes"))
    add1_first = measure(lambda: tally(instance, rule="mes", completion="add1"))
    add1 = measure(lambda: tally(instance, rule="mes", completion="add1"))
    peer = measure(lambda: parse_pabulib(str(path)))
    pb_instance, pb_profile = peer[0]
    print(f"\n{name}: {instance.n_voters} voters, {len(instance.projects)} projects")
    row("reading the .pb file", read, peer, "-")

    def names(allocation):
        return sorted(p.name for p in allocation)

    peer_greedy = measure(lambda: greedy_utilitarian_welfare(pb_instance, pb_profile, sat_class=Cost_Sat))
    row("greedy (cost utilities)", greedy, peer_greedy, sorted(greedy[0].winners) == names(peer_greedy[0]))
    peer_mes = measure(lambda: method_of_equal_shares(pb_instance, pb_profile, sat_class=Cost_Sat))
    row("MES cost vs MES cost", mes, peer_mes, sorted(mes[0].winners) == names(peer_mes[0]))
    runs = add1[0].details["mes_runs"]
    print(f"  (our add1 needed {runs} MES runs; the first add1 of the process, which loads the compiled "
          f"code, took {add1_first[1]:.3f} s)")
    if name == "Poland_Krakow_2024":
        row("MES cost + add1 (ours) vs plain MES cost (pabutools)", add1, peer_mes, "n/a: different rules")
        # pabutools' add1 runs its MES once per increment: at least (increments + 1) × its plain MES time.
        bound = (None, (add1[0].details["increments"] + 1) * peer_mes[1], peer_mes[2])
        row("MES cost + add1 vs pabutools' add1 (lower bound)", add1, bound, "-")
    elif not skip_pabutools_add1:
        peer_add1 = measure(lambda: method_of_equal_shares(pb_instance, pb_profile, sat_class=Cost_Sat,
                                                           voter_budget_increment=1))
        row("MES cost + add1 vs MES cost + add1", add1, peer_add1, sorted(add1[0].winners) == names(peer_add1[0]))


if __name__ == "__main__":
    main()
