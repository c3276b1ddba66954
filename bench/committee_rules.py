"""Benchmark the committee rules (AV, PAV, seq-Phragmén, Equal Shares) on abcvoting's instances and on larger
synthetic elections.

    .venv/bin/python bench/committee_rules.py            # fixtures + synthetic scaling up to 30 candidates
    .venv/bin/python bench/committee_rules.py --quick    # fixtures + synthetic up to 20 candidates

Synthetic elections: `voters` voters in four factions; each faction's candidates are every fourth candidate, and a
voter approves each of their faction's candidates with probability 0.6 and any candidate with probability 0.1
(seeded). Exact PAV is NP-hard: its time grows steeply with the number of candidates, the other rules' do not.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from comuna.choice.committee import RULES, ApprovalProfile, read_abc_yaml  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pabulib" / "abc-instances"


def timed(function, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times), statistics.median(times)


def synthetic(num_candidates: int, voters: int, seed: int = 0) -> ApprovalProfile:
    rng = random.Random(seed)
    ballots = []
    for _ in range(voters):
        faction = rng.randrange(4)
        liked = [c for c in range(num_candidates) if c % 4 == faction and rng.random() < 0.6]
        ballots.append(liked + [c for c in range(num_candidates) if rng.random() < 0.1])
    return ApprovalProfile.from_ballots(num_candidates, ballots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    instances = [read_abc_yaml(path) for path in sorted(DATA.glob("*.abc.yaml"))]
    print(f"## {len(instances)} abcvoting instances (best / median of 3 rounds, all instances together)")
    print("| rule | resolute | irresolute (all tied committees) |")
    print("|---|---|---|")
    for rule_id, (resolute, irresolute) in RULES.items():
        one = timed(lambda r=resolute: [r(i.profile, i.committee_size) for i in instances], 3)
        every = timed(lambda r=irresolute: [r(i.profile, i.committee_size) for i in instances], 3)
        print(f"| {rule_id} | {one[0] * 1000:.0f} / {one[1] * 1000:.0f} ms | {every[0] * 1000:.0f} / "
              f"{every[1] * 1000:.0f} ms |")

    sizes = [(10, 4), (20, 7)] if args.quick else [(10, 4), (20, 7), (25, 8), (30, 10)]
    print("\n## synthetic, 1,000 voters, resolute rules (best / median of 3 rounds; PAV above 20 candidates: 1 round)")
    print("| candidates | seats | " + " | ".join(RULES) + " |")
    print("|---|---|" + "---|" * len(RULES))
    for num_candidates, seats in sizes:
        profile = synthetic(num_candidates, 1000)
        cells = []
        for rule_id, (resolute, _) in RULES.items():
            rounds = 1 if rule_id == "pav" and num_candidates > 20 else 3
            best, median = timed(lambda r=resolute, p=profile, k=seats: r(p, k), rounds)
            cells.append(f"{best * 1000:.0f} / {median * 1000:.0f} ms")
        print(f"| {num_candidates} | {seats} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
