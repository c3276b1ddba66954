"""Load benchmark (issue 8, item 8): ballots per second through the production server, against the database's own
raw insert rate.

    .venv/bin/python bench/load.py                                              # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load .venv/bin/python bench/load.py

What it does, in one run:
1. a fresh database (SQLite in a temporary folder; on PostgreSQL a new database named after the one in DATABASE_URL,
   dropped at the end), migrated and seeded with a participatory budget in its voting phase and --residents verified
   residents, each signed in (a session) — the same seed as the reliability tests (tests/reliability/loadsite.py);
2. the raw insert rate of that database: what one ballot writes (a voter row, a ballot row, an audit event and the
   audit head), inserted with the DB driver directly, one transaction per ballot, into tables of the same shape;
3. gunicorn serving comuna.wsgi with production settings (DEBUG off, collected static files, real password hashers,
   rate limits on), on a free loopback port;
4. locust, as a library in this process, posting ballots through the real web form (session cookie and CSRF):
   first one client alone (the latency of a ballot with no queue), then as fast as --users concurrent clients can
   (the saturation rate), then at the target rate (open loop, each client paced) to read the latency a city would
   see at its peak. The CPU time gunicorn's processes use per ballot is read from /proc, so the capacity of two
   cores given to the server alone can be told apart from what a shared machine delivered.
Each resident votes once, so every request is a real new ballot. Prints ballots/s, median and p99 latency, the ratio
to the raw insert rate, and PASS/FAIL against the target.

The target: Madrid's participatory budget saw 40,000 participants casting 400,000 votes. Counted, pessimistically,
as 400,000 separate requests in one closing day, with the peak hour ten times busier than the day's average, that is
400,000 / 86,400 s x 10 = 46 requests per second, to be absorbed with p99 under 200 ms on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from loadsite import Cast, Server, comuna, new_database, prepare, site_env  # noqa: E402

DAY_VOTES = 400_000
PEAK_FACTOR = 10
TARGET_RATE = DAY_VOTES / 86_400 * PEAK_FACTOR  # requests per second at the closing-day peak
TARGET_P99_MS = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=8000, help="voters seeded (each casts one ballot)")
    parser.add_argument("--users", type=int, default=32, help="concurrent locust clients in the saturation phase")
    parser.add_argument("--duration", type=float, default=30, help="seconds of each phase")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--raw-ballots", type=int, default=3000, help="ballots inserted directly for the raw rate")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs afterwards")
    return parser.parse_args()


# --- the database's own rate ----------------------------------------------------------------------------------

RAW_TABLES = {
    "bench_raw_voter": "budget_id BIGINT NOT NULL, user_id BIGINT NOT NULL, UNIQUE (budget_id, user_id)",
    "bench_raw_ballot": "id CHAR(32) PRIMARY KEY, budget_id BIGINT NOT NULL, choices TEXT NOT NULL, "
                        "receipt_digest VARCHAR(64) NOT NULL UNIQUE, on_paper BOOLEAN NOT NULL",
    "bench_raw_event": "sequence BIGINT NOT NULL UNIQUE, created_at VARCHAR(40) NOT NULL, action VARCHAR(64) NOT NULL, "
                       "data TEXT NOT NULL, prev_hash VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL UNIQUE",
    "bench_raw_head": "id INTEGER PRIMARY KEY, sequence BIGINT NOT NULL, last_hash VARCHAR(64) NOT NULL",
}


def raw_insert_rate(database, count: int) -> float:
    """Ballots per second when the driver writes what a ballot writes, one committed transaction per ballot, with the
    same durability settings as the app (SQLite: WAL, synchronous=NORMAL)."""
    import hashlib

    if database.kind == "sqlite":
        connection = sqlite3.connect(database.name, timeout=30, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        begin, mark = "BEGIN IMMEDIATE", "?"
    else:
        import psycopg

        connection = psycopg.connect(database.url, autocommit=True)
        begin, mark = "BEGIN", "%s"
    try:
        for table, columns in RAW_TABLES.items():
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute(f"CREATE TABLE {table} ({columns})")
        connection.execute(f"INSERT INTO bench_raw_head VALUES (1, 0, {mark})", ("0" * 64,))
        lock = " FOR UPDATE" if database.kind == "postgresql" else ""
        started = time.perf_counter()
        for n in range(count):
            connection.execute(begin)
            sequence, last = connection.execute(f"SELECT sequence, last_hash FROM bench_raw_head WHERE id = 1{lock}"
                                                ).fetchone()
            digest = hashlib.sha256(f"{last}{n}".encode()).hexdigest()
            connection.execute(f"INSERT INTO bench_raw_voter VALUES ({mark}, {mark})", (1, n))
            connection.execute(f"INSERT INTO bench_raw_ballot VALUES ({mark}, {mark}, {mark}, {mark}, {mark})",
                               (uuid.uuid4().hex, 1, "[[1, 1], [2, 1]]", hashlib.sha256(str(n).encode()).hexdigest(),
                                False))
            connection.execute(f"INSERT INTO bench_raw_event VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, {mark})",
                               (sequence + 1, "2026-11-27T00:00:00+00:00", "pb.ballot_cast", "{}", last, digest))
            connection.execute(f"UPDATE bench_raw_head SET sequence = {mark}, last_hash = {mark} WHERE id = 1",
                               (sequence + 1, digest))
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        for table in RAW_TABLES:
            connection.execute(f"DROP TABLE {table}")
        return count / elapsed
    finally:
        connection.close()


# --- ballots through the server, driven by locust ---------------------------------------------------------------

def drive(address: tuple[str, int], seed: dict, residents: list[int], *, users: int, duration: float,
          rate: float | None) -> dict:
    """One locust run posting ballots; `rate` paces the clients (open loop), None lets them go flat out."""
    import gevent
    from locust import FastHttpUser, task
    from locust.env import Environment

    queue = iter(residents)
    latencies: list[float] = []
    outcome = {"ok": 0, "refused": 0, "errors": 0}
    arrivals = random.Random(8)

    class Voter(FastHttpUser):
        host = f"http://{address[0]}:{address[1]}"

        def on_start(self) -> None:
            self.next_start = time.perf_counter()
            gevent.sleep(self.wait_time())

        def wait_time(self) -> float:
            # Open loop: each client's ballots arrive as a Poisson process of rate/users, so together the clients
            # are a Poisson stream at `rate`, as independent residents are (locust's constant_throughput would keep
            # the clients in step: bursts of `users` ballots at once, a queue no city produces).
            if not rate:
                return 0.0
            self.next_start += arrivals.expovariate(rate / users)
            return max(0.0, self.next_start - time.perf_counter())

        @task
        def vote(self) -> None:
            resident = next(queue, None)
            if resident is None:
                self.environment.runner.quit()
                return
            method, path, body, headers = Cast("ballot", resident, seed["budget"]).http(seed)
            with self.client.request(method, path, data=body, headers=headers, name="ballot", allow_redirects=False,
                                     catch_response=True) as response:
                last_answer[0] = time.perf_counter()
                if response.status_code == 200:
                    response.success()
                    outcome["ok"] += 1
                elif response.status_code:
                    response.failure(f"HTTP {response.status_code}")
                    outcome["refused"] += 1
                else:
                    outcome["errors"] += 1

    environment = Environment(user_classes=[Voter])
    environment.events.request.add_listener(
        lambda response_time, exception, **_kw: exception is None and latencies.append(response_time))
    runner = environment.create_local_runner()
    started = time.perf_counter()
    last_answer = [started + 1e-9]  # moved on by every answer
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    elapsed = last_answer[0] - started  # to the last answer: the pool may run out before the phase's time
    latencies.sort()
    return {**outcome, "seconds": elapsed, "rate": outcome["ok"] / elapsed,
            "median_ms": statistics.median(latencies) if latencies else float("nan"),
            "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan"),
            "requests": len(latencies)}


def server_cpu_seconds(server: Server) -> float:
    """CPU time (user + system) used so far by gunicorn's master and workers: the processes of its group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == server.process.pid:  # field 5 of /proc/PID/stat: the process group
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def timed(server: Server, phase) -> dict:
    before = server_cpu_seconds(server)
    result = phase()
    used = server_cpu_seconds(server) - before
    return {**result, "server_cpu_ms_per_ballot": 1000 * used / max(1, result["requests"])}


def collect_static(env: dict[str, str]) -> None:
    done = comuna(env, "manage", "collectstatic", "--noinput", "-v", "0", timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{done.stderr}")


def main() -> int:
    args = parse_args()
    directory = Path(tempfile.mkdtemp(prefix="comuna-load-"))
    database = new_database(os.environ.get("DATABASE_URL"), directory, "bench_load")
    env = site_env(database, directory, production=True, STATIC_ROOT=str(directory / "static"))
    try:
        print(f"database: {database.kind} ({database.name}); preparing {args.residents} residents...", flush=True)
        seed = prepare(env, args.residents, directory / "seed.json")
        collect_static(env)
        raw = raw_insert_rate(database, args.raw_ballots)
        print(f"raw insert rate (driver, one transaction per ballot): {raw:,.0f} ballots/s", flush=True)

        server = Server(env, directory / "gunicorn.log", workers=args.workers, threads=args.threads)
        with server:
            # Warm every worker (imports, connections, template cache) with ballots that are not timed.
            warm = 30
            drive(server.address, seed, list(range(warm)), users=8, duration=15, rate=None)
            pool = list(range(warm, args.residents))
            single, pool = pool[:150], pool[150:]
            half = len(pool) // 2
            alone = timed(server, lambda: drive(server.address, seed, single, users=1, duration=args.duration,
                                                rate=None))
            flat = timed(server, lambda: drive(server.address, seed, pool[:half], users=args.users,
                                               duration=args.duration, rate=None))
            paced = timed(server, lambda: drive(server.address, seed, pool[half:], users=args.users,
                                                duration=args.duration, rate=TARGET_RATE))
        ballots = database.count("SELECT COUNT(*) FROM budgeting_ballot")
        expected = warm + alone["ok"] + flat["ok"] + paced["ok"]
        # Requests still in flight when a phase ends are cut off client-side: stored, never acknowledged.
        print(f"ballots stored: {ballots}; acknowledged: {expected} (the rest were in flight when a phase ended)")
        load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()[:3]
        print(json.dumps({"database": database.kind, "raw_ballots_per_s": round(raw), "one_client": alone,
                          "saturation": flat,
                          "at_target": paced, "load_average": load}, indent=2, default=float))
        cpu = flat["server_cpu_ms_per_ballot"]
        print(f"\n{database.kind}: one client alone: median {alone['median_ms']:.0f} ms, p99 {alone['p99_ms']:.0f} ms")
        print(f"server CPU per ballot: {cpu:.1f} ms, so 2 cores given to gunicorn alone would absorb about "
              f"{2000 / cpu:.0f} ballots/s")
        print(f"{database.kind}: saturation {flat['rate']:.0f} ballots/s with {args.users} clients "
              f"(median {flat['median_ms']:.0f} ms, p99 {flat['p99_ms']:.0f} ms); "
              f"raw insert {raw:,.0f}/s; Comuna reaches {flat['rate'] / raw:.1%} of the database's own rate.")
        print(f"at the target rate {TARGET_RATE:.0f}/s: served {paced['rate']:.1f}/s, median {paced['median_ms']:.0f} ms, "
              f"p99 {paced['p99_ms']:.0f} ms")
        meets = (flat["rate"] >= TARGET_RATE and paced["p99_ms"] < TARGET_P99_MS and paced["refused"] == 0
                 and paced["errors"] == 0 and ballots >= expected)
        print(f"{'PASS' if meets else 'FAIL'}: Madrid's closing-day peak ({TARGET_RATE:.0f} ballots/s, p99 < "
              f"{TARGET_P99_MS:.0f} ms)")
        return 0 if meets else 1
    finally:
        if args.keep:
            print(f"kept: {directory} ({database.url})")
        else:
            database.drop()
            import shutil

            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
