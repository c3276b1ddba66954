"""A live Comuna under load, for the reliability tests and bench/load.py.

Everything here talks to Comuna the way the world does: a fresh database prepared by `comuna manage migrate` and a
seeding subprocess, the production server (gunicorn serving `comuna.wsgi`) on a free loopback port, and clients in
separate processes speaking HTTP. The checks then read the database directly (sqlite3 or psycopg), not through
Django, so they see what was really committed.

Run as a script, it seeds the database named by DATABASE_URL: `python loadsite.py seed --residents N --out F`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
# The server and the seeding subprocess must share it: sessions made by the seed are signed with it.
SECRET_KEY = "reliability-tests-only-secret-key-not-for-production"
CSRF_SECRET = "LoadTestCsrfSecretOf32Characters"  # Django accepts its unmasked 32-character secret in the form
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
BUDGET_PROCESS = "load-budget"
SUPPORT_PROCESS = "load-proposals"
CONVERSATION = "load-talk"


# --- the database ---------------------------------------------------------------------------------------------

@dataclass
class Database:
    """A database made for one run: a SQLite file, or a PostgreSQL database dropped afterwards."""

    url: str
    kind: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file's path, or the PostgreSQL database's name

    def connect(self):
        """A direct DB-API connection (no Django), for the checks."""
        if self.kind == "sqlite":
            return sqlite3.connect(self.name, timeout=30)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def count(self, sql: str, params: tuple = ()) -> int:
        return int(self.rows(sql, params)[0][0])

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.kind == "postgresql":
            sql = sql.replace("?", "%s")
        connection = self.connect()
        try:
            return list(connection.execute(sql, params).fetchall())
        finally:
            connection.close()

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
        else:
            _postgres_admin(self.url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(statement)


def _with_database_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}


def new_database(base_url: str | None, directory: Path, label: str, template: Database | None = None) -> Database:
    """An empty database (or a copy of `template`) beside the one in `base_url`: PostgreSQL when that names
    PostgreSQL, else a SQLite file in `directory`."""
    if is_postgres(base_url):
        base_name = urlsplit(base_url).path.lstrip("/") or "comuna"
        name = f"{base_name}_{label}_{os.getpid()}"[:63]
        _postgres_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template.name}"' if template is not None else ""
        _postgres_admin(base_url, f'CREATE DATABASE "{name}"{copy}')
        return Database(_with_database_name(base_url, name), "postgresql", name)
    path = Path(directory) / f"{label}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if template is not None:  # the online backup API: a consistent copy, never `cp` of a WAL database
        source, target = sqlite3.connect(template.name), sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    return Database(f"sqlite:///{path}", "sqlite", str(path))


def site_env(database: Database, directory: Path, *, production: bool = False, **extra: str) -> dict[str, str]:
    """The environment of every Comuna process of a run.

    `production=False` (the tests) keeps Django's TESTING switch on in the server only for what it changes outside
    the database: static files served from the apps (no 20-second collectstatic per run) and a fast password
    hasher. DEBUG stays off and the database path is the production one. The benchmark uses production=True."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(DATABASE_URL=database.url, SECRET_KEY=SECRET_KEY, DEBUG="0", DJANGO_SETTINGS_MODULE="comuna.settings",
               COMUNA_DATA_DIR=str(directory), MEDIA_ROOT=str(Path(directory) / "media"),
               ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="ERROR")
    if not production:
        env["PYTEST_VERSION"] = "reliability"
    env.update(extra)
    return env


def comuna(env: dict[str, str], *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the `comuna` console in a subprocess; its output is returned, not printed."""
    return subprocess.run([sys.executable, "-m", "comuna.cli", *arguments], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def prepare(env: dict[str, str], residents: int, out: Path) -> dict:
    """Migrate and seed the database of `env`; return what the clients need (ids, tokens, sessions)."""
    migrated = comuna(env, "manage", "migrate", "--noinput", "-v", "0")
    if migrated.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{migrated.stdout}\n{migrated.stderr}")
    seeded = subprocess.run([sys.executable, __file__, "seed", "--residents", str(residents), "--out", str(out)],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if seeded.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{seeded.stdout}\n{seeded.stderr}")
    return json.loads(Path(out).read_text())


# --- the production server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving comuna.wsgi in its own process group, so one signal reaches the master and every worker."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4):
        self.env, self.log, self.workers, self.threads = env, Path(log), workers, threads
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def address(self) -> tuple[str, int]:
        return "127.0.0.1", self.port

    def start(self, timeout: float = 40) -> Server:
        for _attempt in range(3):  # a free port can be taken by someone else before gunicorn binds it
            self.port = free_port()
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "comuna.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                     "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "60",
                     "--graceful-timeout", "3", "--keep-alive", "30", "--log-level", "warning"],
                    env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready(timeout):
                return self
            self.kill()
        raise RuntimeError(f"gunicorn did not start; its log:\n{self.log.read_text()[-3000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                status, _body = request_once(self.address, "GET", "/api/v1/spheres/")
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (master and workers) and reap the master."""
        if self.process is None or self.process.returncode is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        self._reap_group()

    def _reap_group(self) -> None:
        """Workers orphaned by a killed master must not outlive the test."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()


# --- clients --------------------------------------------------------------------------------------------------

def request_once(address: tuple[str, int], method: str, path: str, body: bytes | None = None,
                 headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Connection:
    """One keep-alive HTTP connection; a broken one is reopened on the next request."""

    def __init__(self, address: tuple[str, int], timeout: float = 30):
        self.address, self.timeout = address, timeout
        self.connection: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(*self.address, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise


@dataclass(frozen=True)
class Cast:
    """One vote a resident casts: a support, a ballot or an opinion vote."""

    kind: str  # "support", "ballot" or "opinion"
    resident: int  # index into the seed's residents
    key: int  # proposal id, budget id, or statement number
    value: int = 1  # the opinion vote (1, -1, 0); unused otherwise

    def http(self, seed: dict) -> tuple[str, str, bytes, dict]:
        person = seed["residents"][self.resident]
        if self.kind == "support":
            return ("POST", f"/api/v1/participation/proposals/{self.key}/supports", b"",
                    {"Authorization": f"Bearer {person['token']}"})
        if self.kind == "opinion":
            return ("POST", f"/api/v1/conversations/{seed['conversation']}/votes",
                    json.dumps({"statement": self.key, "vote": self.value}).encode(),
                    {"Authorization": f"Bearer {person['token']}", "Content-Type": "application/json"})
        # The ballot is the web form (budgets have no API): the session cookie and the CSRF secret, like a browser.
        form = [("csrfmiddlewaretoken", CSRF_SECRET), *[("project", str(pk)) for pk in ballot_for(seed, self)]]
        return ("POST", f"/processes/{seed['budget_process']}/budget/vote/", urlencode(form).encode(),
                {"Cookie": f"sessionid={person['session']}; csrftoken={CSRF_SECRET}",
                 "Content-Type": "application/x-www-form-urlencoded"})

    def acknowledged(self, status: int) -> bool:
        """What the client was told: 201 for the API; the receipt page (200) for a ballot, whose refusals redirect."""
        return status == (200 if self.kind == "ballot" else 201)


def ballot_for(seed: dict, cast: Cast) -> list[int]:
    """A valid approval ballot (within the budget), varied by resident."""
    projects = seed["projects"]  # [[id, cost], ...], the cheap ones first
    chosen, spent = [], 0
    for offset in range(len(projects)):
        pk, cost = projects[(cast.resident + offset) % len(projects)]
        if spent + cost <= seed["budget_total"]:
            chosen.append(pk)
            spent += cost
    return chosen


def plan(seed: dict, residents: range, *, rng: random.Random) -> list[Cast]:
    """Every resident supports each proposal, casts one ballot and votes on each statement (some twice)."""
    casts = []
    for resident in residents:
        casts += [Cast("support", resident, pk) for pk in seed["proposals"]]
        casts.append(Cast("ballot", resident, seed["budget"]))
        casts += [Cast("opinion", resident, number, rng.choice((1, -1, 0))) for number in seed["statements"]]
    rng.shuffle(casts)
    return casts


@dataclass
class Outcome:
    """What one client process saw: every acknowledged cast, in the order acknowledged, and the other answers."""

    acknowledged: list[tuple] = field(default_factory=list)  # (kind, resident, key, value, seconds)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)


def run_client(address: tuple[str, int], seed: dict, residents: range, double_rate: float, stop_at: float,
               rng_seed: int, results) -> None:
    """A client process: casts its residents' votes; a share of them is sent twice at once (a double click) and
    some opinion votes are changed afterwards. Puts its Outcome (as a dict) on `results`."""
    rng = random.Random(rng_seed)
    outcome = Outcome()
    connection, twin = Connection(address), Connection(address)
    lock = threading.Lock()

    def send(conn: Connection, cast: Cast) -> None:
        method, path, body, headers = cast.http(seed)
        started = time.perf_counter()
        try:
            status, _body = conn.send(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                outcome.errors[type(error).__name__] += 1
            return
        elapsed = time.perf_counter() - started
        with lock:
            outcome.statuses[status] += 1
            if cast.acknowledged(status):
                outcome.acknowledged.append((cast.kind, cast.resident, cast.key, cast.value, elapsed))

    casts = plan(seed, residents, rng=rng)
    changes = [Cast("opinion", c.resident, c.key, -c.value or 1) for c in casts
               if c.kind == "opinion" and rng.random() < 0.1]
    failed_in_a_row = 0
    for cast in [*casts, *changes]:
        errors_before = outcome.errors.total()
        if time.monotonic() > stop_at:
            break
        if rng.random() < double_rate:
            other = threading.Thread(target=send, args=(twin, cast))
            other.start()
            send(connection, cast)
            other.join()
        else:
            send(connection, cast)
        failed_in_a_row = failed_in_a_row + 1 if outcome.errors.total() > errors_before else 0
        if failed_in_a_row >= 10:  # the server is gone: stop, what was acknowledged is what counts
            break
    results.put({"acknowledged": outcome.acknowledged, "statuses": dict(outcome.statuses),
                 "errors": dict(outcome.errors)})


def server_errors(log: Path, limit: int = 6000) -> str:
    """The server's tracebacks (Django's "Internal Server Error" lines and what follows them, up to the exception's
    own line), so a failed run says what went wrong on the server's side."""
    lines = Path(log).read_text(errors="replace").splitlines() if Path(log).exists() else []
    kept, inside = [], False
    for line in lines:
        opens = line.startswith(("Internal Server Error", "Traceback"))
        if opens or inside:
            kept.append(line)
            inside = opens or line == "" or line.startswith((" ", "\t"))
    return "\n".join(kept)[-limit:]


def run_load(address: tuple[str, int], seed: dict, *, processes: int, double_rate: float = 0.25,
             duration: float = 60, during=None) -> Outcome:
    """Many client processes at once (fork: each with its own connections); `during()` runs meanwhile in this
    process (the crash test kills the server from there). Returns everything the clients were told."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    count = len(seed["residents"])
    slices = [range(i * count // processes, (i + 1) * count // processes) for i in range(processes)]
    stop_at = time.monotonic() + duration
    workers = [context.Process(target=run_client, args=(address, seed, part, double_rate, stop_at, 1000 + i, results),
                               daemon=True) for i, part in enumerate(slices)]
    for worker in workers:
        worker.start()
    try:
        if during is not None:
            during()
        merged = Outcome()
        for _worker in workers:
            part = results.get(timeout=duration + 60)
            merged.acknowledged += [tuple(item) for item in part["acknowledged"]]
            merged.statuses.update({int(k): v for k, v in part["statuses"].items()})
            merged.errors.update(part["errors"])
        return merged
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
                worker.join()


# --- what the database holds (read directly, without Django) ---------------------------------------------------

@dataclass
class Stored:
    supports: list[tuple[int, int]]  # (proposal id, user id), one row each
    support_counts: dict[int, int]  # the proposal's own counter
    voters: list[int]  # user ids that cast a ballot
    ballots: int
    opinions: dict[tuple[int, int], int]  # (user id, statement number) -> current vote
    opinion_events: int
    audit: Counter  # events per action


def stored(database: Database, seed: dict) -> Stored:
    proposals = ",".join(str(pk) for pk in seed["proposals"])
    return Stored(
        supports=[tuple(row) for row in database.rows(
            f"SELECT proposal_id, user_id FROM participation_support WHERE proposal_id IN ({proposals})")],
        support_counts=dict(database.rows(
            f"SELECT id, support_count FROM participation_proposal WHERE id IN ({proposals})")),
        voters=[row[0] for row in database.rows("SELECT user_id FROM budgeting_voter WHERE budget_id = ?",
                                                (seed["budget"],))],
        ballots=database.count("SELECT COUNT(*) FROM budgeting_ballot WHERE budget_id = ?", (seed["budget"],)),
        opinions={(user, number): value for user, number, value in database.rows(
            "SELECT p.user_id, s.number, v.value FROM conversations_vote v "
            "JOIN conversations_participant p ON p.id = v.participant_id "
            "JOIN conversations_statement s ON s.id = v.statement_id WHERE v.conversation_id = ?",
            (seed["conversation_id"],))},
        opinion_events=database.count("SELECT COUNT(*) FROM conversations_voteevent WHERE conversation_id = ?",
                                      (seed["conversation_id"],)),
        audit=Counter(dict(database.rows("SELECT action, COUNT(*) FROM audit_event GROUP BY action"))),
    )


def acknowledged_by_kind(seed: dict, outcome: Outcome) -> dict[str, list[tuple]]:
    """The acknowledged casts in the order each client saw them, as (user id, key, value)."""
    kinds: dict[str, list[tuple]] = {"support": [], "ballot": [], "opinion": []}
    for kind, resident, key, value, _seconds in outcome.acknowledged:
        kinds[kind].append((seed["residents"][resident]["id"], key, value))
    return kinds


# --- seeding (runs in a subprocess, with Django) ---------------------------------------------------------------

def seed(residents: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comuna.settings")
    import django

    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from comuna.accounts.models import Residency, Role, RoleAssignment, User
    from comuna.accounts.services import do_create_api_token
    from comuna.budgeting.models import Project
    from comuna.budgeting.services import do_create_budget
    from comuna.conversations.services import build_conversation, seed_statements
    from comuna.participation.services import build_process, do_create_proposal
    from comuna.spheres.cofog import ensure_functions
    from comuna.spheres.models import SphereKind
    from comuna.spheres.services import do_create_sphere

    ensure_functions()
    city = do_create_sphere(slug="load-city", kind=SphereKind.MUNICIPALITY, name_en="Load City", population=100_000)
    admin = User.objects.create_user("admin@load.example", None, display_name="admin")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    RoleAssignment.objects.create(user=admin, sphere=city, role=Role.ADMIN)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    Residency.objects.create(user=admin, sphere=city, method="manual")

    proposals_process = build_process(city, actor=admin, slug=SUPPORT_PROCESS, template="proposals_then_vote",
                                      title_en="Load proposals", support_threshold=max(2, residents // 2),
                                      answer_days=10, starts_at=timezone.now() - timedelta(days=8))
    proposals = [do_create_proposal(admin, proposals_process, title=f"Proposal number {n} for the load test",
                                    body="A proposal that many residents support at the same moment.").pk
                 for n in range(3)]
    budget_process = build_process(city, actor=admin, slug=BUDGET_PROCESS, template="participatory_budget",
                                   title_en="Load budget", starts_at=timezone.now() - timedelta(days=66))
    budget = do_create_budget(admin, budget_process, total=100_000, ballot_kind="approval", rule="greedy",
                              completion="", utility="cost")
    projects = [Project.objects.create(budget=budget, title=title, description="A project the city can build.",
                                       cost=cost, status="feasible")
                for title, cost in [("Benches", 10_000), ("Library books", 20_000), ("Trees", 40_000),
                                    ("A skate park", 60_000)]]
    conversation = build_conversation(city, actor=admin, slug=CONVERSATION, topic="How should the square be used?")
    statements = seed_statements(conversation, ["More trees on the square.", "Parking on the square.",
                                                "Ask the neighbours first.", "A market on Sundays.",
                                                "Fountains for hot days."])
    people = []
    for n in range(residents):
        user = User.objects.create_user(f"resident{n}@load.example", None, display_name=f"resident{n}")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Residency.objects.create(user=user, sphere=city, method="manual")
        _token, token = do_create_api_token(user, "load")
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), SESSION_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"id": user.pk, "token": token, "session": session.session_key})
    return {"residents": people, "proposals": proposals, "budget": budget.pk, "budget_process": BUDGET_PROCESS,
            "budget_total": budget.total, "projects": [[p.pk, p.cost] for p in projects],
            "conversation": CONVERSATION, "conversation_id": conversation.pk,
            "statements": [s.number for s in statements]}


def main() -> int:
    parser = argparse.ArgumentParser(description="Seed a database for load tests.")
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(seed(args.residents)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
