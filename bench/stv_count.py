"""Benchmark the STV counts on the 25 real Scottish ward elections of 2017 (shared/data/stv).

    .venv/bin/python bench/stv_count.py              # 5 rounds, best and median of each
    .venv/bin/python bench/stv_count.py --rounds 20

Times reading the 25 BLT files, counting all 25 by the Scottish rules, and counting all 25 by Meek's method, and
checks each Scottish count against the official result (elected, quota, number of counts) while it is at it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from comuna.choice.stv.blt import read_blt  # noqa: E402
from comuna.choice.stv.meek import count_meek  # noqa: E402
from comuna.choice.stv.scottish import count_scottish  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stv"


def timed(function, rounds: int) -> tuple[float, float, object]:
    times, value = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    wards = json.loads((DATA / "official_2017_results.json").read_text(encoding="utf-8"))
    paths = [DATA / ward["blt_file"] for ward in wards]

    read_best, read_median, elections = timed(lambda: [read_blt(p) for p in paths], args.rounds)
    scot_best, scot_median, scottish = timed(lambda: [count_scottish(e) for e in elections], args.rounds)
    meek_best, meek_median, meek = timed(lambda: [count_meek(e) for e in elections], args.rounds)

    mismatches = [
        ward["blt_file"] for ward, result in zip(wards, scottish, strict=True)
        if sorted(result.elected) != sorted(ward["official_elected_blt_indices"])
        or int(result.quota) != ward["quota_official"] or len(result.stages) != ward["official_number_of_counts"]
    ]
    differ = [ward["blt_file"] for ward, s, m in zip(wards, scottish, meek, strict=True)
              if sorted(s.elected) != sorted(m.elected)]
    ballots = sum(e.ballot_count for e in elections)
    lines = sum(len(e.ballots) for e in elections)
    print(f"{len(wards)} wards, {ballots} ballots ({lines} distinct ballot lines), best / median of {args.rounds}")
    print(f"  read BLT         {read_best * 1000:8.1f} ms / {read_median * 1000:8.1f} ms")
    print(f"  Scottish count   {scot_best * 1000:8.1f} ms / {scot_median * 1000:8.1f} ms")
    print(f"  Meek count       {meek_best * 1000:8.1f} ms / {meek_median * 1000:8.1f} ms")
    print(f"  Scottish results matching the official ones: {len(wards) - len(mismatches)}/{len(wards)}"
          + (f" (mismatch: {', '.join(mismatches)})" if mismatches else ""))
    print(f"  wards where Meek elects other councillors: {', '.join(differ) or 'none'}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
