"""Benchmark: opinion maps (comuna.opinion) side by side with red-dwarf, and at 10,000 × 1,000.

Run:  .venv/bin/python bench/opinion_map.py [--skip-red-dwarf]

1. The largest real conversation (vTaiwan UberX, ../shared/data/polis/vtaiwan.uberx): the full map from the
   votes already in memory (CSV reading excluded for both), median of several runs, ours and red-dwarf's
   `run_pipeline` (PCA, k-means with silhouette, repness, consensus). red-dwarf is a test oracle only.
2. A synthetic conversation, 10,000 participants × 1,000 statements, three latent opinion groups, each participant
   voting on 15% of the statements: the full map, then updates of 100 new votes each (median of 20), with the
   peak memory traced by tracemalloc (NumPy reports its buffers to it) and the process's peak RSS.
"""

from __future__ import annotations

import os

# One BLAS thread: on a shared 2-core machine OpenBLAS's spinning threads made a 1000 × 1000 matrix-vector
# product 35 times slower (12.6 ms against 0.36 ms). Both libraries run under the same setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from comuna.opinion.clusters import adjusted_rand_index  # noqa: E402
from comuna.opinion.incremental import OpinionMap  # noqa: E402
from comuna.opinion.polis_export import read_polis_export  # noqa: E402
from comuna.opinion.votes import MODERATED_OUT, VoteBatch  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polis"


def _median_time(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def real_conversation(name: str, skip_red_dwarf: bool, rounds: int = 15) -> None:
    """Ours and red-dwarf's, interleaved round by round so both see the same load on a shared machine."""
    export = read_polis_export(DATA / name)
    votes = export.votes

    def ours() -> OpinionMap:  # groups plus the statements red-dwarf's pipeline also selects
        opinion_map = OpinionMap.build(votes, export.statements)
        opinion_map.summary()
        return opinion_map

    red_dwarf = None
    version = None
    if not skip_red_dwarf:
        try:
            import importlib.metadata

            from reddwarf.implementations.polis import run_pipeline
            version = importlib.metadata.version("red-dwarf")
            last = votes.last_votes()  # red-dwarf wants one vote per cell (its loader dedups); untimed, in its favour
            records = [{"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
                       for p, s, v, t in zip(last.participant, last.statement, last.value, last.timestamp,
                                             strict=True)]
            mod_out = [s.id for s in export.statements if s.moderated == MODERATED_OUT]

            def red_dwarf():
                return run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
        except ImportError as error:
            print(f"red-dwarf not available: {error}")
    ours_times, rd_times, ours_cpu, rd_cpu, ratios = [], [], [], [], []
    opinion_map, result = ours(), None
    for _ in range(rounds):
        round_times = []
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            opinion_map = ours()
            round_times.append(time.perf_counter() - start)
            ours_cpu.append(time.process_time() - start_cpu)
        ours_times.extend(round_times)
        if red_dwarf is not None:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = red_dwarf()
            rd_times.append(time.perf_counter() - start)
            rd_cpu.append(time.process_time() - start_cpu)
            ratios.append(rd_times[-1] / statistics.median(round_times))  # this round's pair, same load
    polis = {p: g for p, g in export.groups.items() if g is not None}
    groups = opinion_map.groups()
    common = sorted(set(groups) & set(polis))
    print(f"## {name}: {len(votes)} votes, {opinion_map.matrix.n_participants} participants, "
          f"{opinion_map.matrix.n_statements} statements")
    print(f"comuna.opinion full map (with consensus and representative statements): median "
          f"{statistics.median(ours_times) * 1000:.1f} ms, best {min(ours_times) * 1000:.1f} ms "
          f"({len(ours_times)} runs); groups {opinion_map.group_count}; ARI vs Pol.is "
          f"{adjusted_rand_index([groups[p] for p in common], [polis[p] for p in common]):.3f}")
    if red_dwarf is None:
        return
    rd = result.participants_df
    rd_groups = {int(p): int(g) for p, g in rd.loc[rd["to_cluster"], "cluster_id"].items()}
    common_rd = sorted(set(rd_groups) & set(polis))
    print(f"red-dwarf {version} run_pipeline: median {statistics.median(rd_times) * 1000:.1f} ms, best "
          f"{min(rd_times) * 1000:.1f} ms ({len(rd_times)} runs); groups {len(set(rd_groups.values()))}; "
          f"ARI vs Pol.is {adjusted_rand_index([rd_groups[p] for p in common_rd], [polis[p] for p in common_rd]):.3f}")
    print(f"speed-up: {statistics.median(rd_times) / statistics.median(ours_times):.1f}x on medians, "
          f"{min(rd_times) / min(ours_times):.1f}x on best times; median of the {len(ratios)} rounds' ratios "
          f"{statistics.median(ratios):.1f}x (lowest {min(ratios):.1f}x); CPU time (process_time) median "
          f"{statistics.median(ours_cpu) * 1000:.1f} ms against {statistics.median(rd_cpu) * 1000:.1f} ms: "
          f"{statistics.median(rd_cpu) / statistics.median(ours_cpu):.1f}x")


def synthetic_votes(n_participants: int, n_statements: int, density: float, rng) -> VoteBatch:
    group = rng.integers(0, 3, n_participants)
    stance = rng.choice([-1.0, 0.0, 1.0], size=(3, n_statements), p=[0.4, 0.2, 0.4])
    mask = rng.random((n_participants, n_statements)) < density
    rows, cols = np.nonzero(mask)
    lean = stance[group[rows], cols]
    draw = rng.random(len(rows))
    value = np.where(draw < 0.7, lean, rng.choice([-1, 0, 1], size=len(rows))).astype(np.int8)
    order = rng.permutation(len(rows))  # votes arrive interleaved; listed in time order, as a database returns them
    return VoteBatch(rows[order].astype(np.int64), cols[order].astype(np.int64), value[order],
                     np.arange(len(rows), dtype=np.int64))


def _update_batches(rng, n_participants: int, n_statements: int, start: int, count: int) -> list[VoteBatch]:
    batches = []
    for i in range(count):
        participants = rng.integers(0, n_participants + 50, 100)  # a few new participants among them
        stamps = np.arange(start + 100 * i, start + 100 * (i + 1), dtype=np.int64)
        batches.append(VoteBatch(participants.astype(np.int64), rng.integers(0, n_statements, 100).astype(np.int64),
                                 rng.choice([-1, 0, 1], 100).astype(np.int8), stamps))
    return batches


def synthetic(n_participants: int = 10_000, n_statements: int = 1_000, density: float = 0.15) -> None:
    rng = np.random.default_rng(1)
    votes = synthetic_votes(n_participants, n_statements, density, rng)
    print(f"## synthetic: {n_participants} participants × {n_statements} statements, {len(votes)} votes")
    builds = []
    for _ in range(3):
        start = time.perf_counter()
        opinion_map = OpinionMap.build(votes)
        opinion_map.summary()
        builds.append(time.perf_counter() - start)
    print(f"full map (with statements): median {statistics.median(builds):.2f} s, best {min(builds):.2f} s (3 runs); "
          f"groups {opinion_map.group_count}; PCA iterations {opinion_map.pca.iterations}")
    update_times, read_times = [], []
    for batch in _update_batches(rng, n_participants, n_statements, int(votes.timestamp.max()) + 1, 30):
        start = time.perf_counter()
        opinion_map.update(batch)
        middle = time.perf_counter()
        opinion_map.summary()
        update_times.append(middle - start)
        read_times.append(time.perf_counter() - middle)
    print(f"update of 100 votes: median {statistics.median(update_times) * 1000:.1f} ms, "
          f"90th percentile {np.percentile(update_times, 90) * 1000:.1f} ms, max {max(update_times) * 1000:.1f} ms "
          f"(30 updates; the first one grows the matrix for new participants); reading groups, consensus and "
          f"representative statements afterwards: median {statistics.median(read_times) * 1000:.1f} ms")
    # Memory, in a separate pass: tracemalloc slows every allocation, so it stays out of the timings.
    tracemalloc.start()
    opinion_map = OpinionMap.build(votes)
    opinion_map.summary()
    _, peak_build = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for batch in _update_batches(rng, n_participants, n_statements, 10**12, 5):
        opinion_map.update(batch)
    current, peak_update = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory (tracemalloc): peak during build {peak_build / 2**20:.0f} MiB, held by the map "
          f"{current / 2**20:.0f} MiB, peak during updates {peak_update / 2**20:.0f} MiB; "
          f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-red-dwarf", action="store_true")
    parser.add_argument("--real-only", action="store_true", help="skip the synthetic 10,000 × 1,000 conversation")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of (3 of ours, 1 of red-dwarf's)")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    real_conversation("vtaiwan.uberx", args.skip_red_dwarf, args.rounds)
    if not args.real_only:
        synthetic()


if __name__ == "__main__":
    main()
