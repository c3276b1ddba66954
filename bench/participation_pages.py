"""Benchmark the participation pages on a big sphere (issue 3, "Speed").

    .venv/bin/python bench/participation_pages.py                      # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x .venv/bin/python bench/participation_pages.py

Builds a fresh database (SQLite in a temporary COMUNA_DATA_DIR; on PostgreSQL a new database named after the one
in DATABASE_URL plus a unique suffix, dropped at the end) with one sphere's process holding 10,000 proposals,
200,000 supports and 100,000 comments (with replies) from 20,000 residents, then times the process page, the most
discussed proposal's page, the search page and the API through Django's test client and the real URL
configuration. Prints the median and p95 of each, its SQL queries per request, and PASS/FAIL against a median of
100 ms. The target is checked on the pages and API calls of the issue; the extra rows are for information.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET_MS = 100.0
WORDS = ("garden tree bench river bike lane school library market square fountain playground bus tram light "
         "street park pool shade water noise safety toilet housing heat music youth elder sport festival "
         "path bridge compost recycle repair solar roof mural dog clinic canteen").split()
FILLER = ("the a of to and in for with near our on more every new better safe clean open public shared "
          "neighbours residents children families evening weekend summer winter").split()
SEARCH_WORD = "fountain"  # one of WORDS: in the title or body of about half the proposals, a broad search


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=200_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page, after warm-up")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


# --- a fresh database ---------------------------------------------------------------------------------------

def prepare_environment() -> tuple[str, object]:
    """Point the settings at a fresh database before Django starts; return its description and a clean-up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comuna.settings")
    os.environ["SECRET_KEY"] = "benchmark-only-secret-key-not-for-production-use"
    os.environ["DEBUG"] = "0"
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    os.environ["RATELIMIT_ENABLE"] = "0"
    folder = tempfile.mkdtemp(prefix="comuna-bench-")
    os.environ["COMUNA_DATA_DIR"] = folder
    os.environ["STATIC_ROOT"] = str(Path(folder) / "static")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"SQLite (WAL) in {folder}", lambda: shutil.rmtree(folder, ignore_errors=True)

    import psycopg

    parts = urlsplit(url)
    base = (parts.path.lstrip("/") or "comuna_bench").replace("-", "_")
    name = f"{base}_{os.getpid()}_{int(time.time())}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)

    return f"PostgreSQL database {name} on {parts.hostname}:{parts.port or 5432}", drop


# --- the data -----------------------------------------------------------------------------------------------

def insert_rows(model, columns: list[str], rows: list[tuple], batch: int = 20_000) -> None:
    """Raw inserts into `model`'s table: COPY on PostgreSQL, executemany in one transaction on SQLite. Columns not
    given (say, ones another migration added) get the field's default."""
    from django.db import connection, transaction

    others = [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key]
    columns = [*columns, *(f.column for f in others)]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *defaults))
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    adapt = connection.ops.adapt_datetimefield_value  # the text form Django itself stores (UTC, no offset)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [(*(adapt(v) if isinstance(v, datetime) else v for v in row), *defaults)
                                     for row in rows[start:start + batch]])


def reset_sequence(model) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def zipf_counts(total: int, n: int, exponent: float, cap: int) -> list[int]:
    """`total` spread over `n` items by rank (a few very popular, a long tail), none above `cap`."""
    weights = [1.0 / (rank + 1) ** exponent for rank in range(n)]
    scale = sum(weights)
    counts = [min(cap, int(total * w / scale)) for w in weights]
    for i in range(total - sum(counts)):  # the rounding remainder goes to the tail, one each
        counts[n - 1 - i % (n - 1)] += 1
    return counts


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(FILLER) if rng.random() < 0.5 else rng.choice(WORDS) for _ in range(words))


def build(args: argparse.Namespace) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from comuna.accounts.models import Residency, ResidencyMethod, Role, RoleAssignment, User
    from comuna.participation.models import Comment, Proposal, Support
    from comuna.participation.services import build_process
    from comuna.spheres.models import Function, SphereKind
    from comuna.spheres.services import do_create_sphere, do_set_competence

    rng = random.Random(args.seed)
    now = timezone.now()
    timings = {}

    started = time.perf_counter()
    with transaction.atomic():
        region = do_create_sphere(slug="region", kind=SphereKind.REGION, name_en="Region", population=3_000_000)
        metro = do_create_sphere(parent=region, slug="metro", kind=SphereKind.METROPOLITAN_AREA, name_en="Metro")
        city = do_create_sphere(parent=metro, slug="city", kind=SphereKind.MUNICIPALITY, name_en="Big City",
                                population=900_000)
        hoods = [do_create_sphere(parent=city, slug=f"hood-{i}", kind=SphereKind.NEIGHBOURHOOD,
                                  name_en=f"Neighbourhood {i}") for i in range(5)]
        functions = Function.objects.in_bulk(["05.1", "06.2", "08", "09.1", "04.5"])
        do_set_competence(city, functions["08"], "shared")
        do_set_competence(city, functions["06.2"], "shared")
        do_set_competence(metro, functions["05.1"], "shared")
        do_set_competence(metro, functions["04.5"], "shared")
        do_set_competence(region, functions["09.1"], "shared")
        admin = User.objects.create_user("admin@bench.example", None, display_name="Bench Admin")
        RoleAssignment.objects.create(user=admin, sphere=city, role=Role.ADMIN)
        process = build_process(city, actor=admin, slug="big-city-decides", template="proposals_then_vote",
                                title_en="Big City decides", summary_en="Ten thousand proposals.",
                                support_threshold=200, answer_days=30, starts_at=now - timedelta(days=20))
        # 20,000 residents: bulk_create with unusable passwords (no hashing), and their residencies.
        unusable = make_password(None)
        users = [User(email=f"r{i}@bench.example", display_name=f"Resident {i}", password=unusable,
                      date_joined=now - timedelta(days=60)) for i in range(args.residents)]
        User.objects.bulk_create(users, batch_size=2000)
    user_ids = list(User.objects.filter(email__startswith="r").order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        Residency.objects.bulk_create(
            [Residency(user_id=uid, sphere=hoods[i % len(hoods)], method=ResidencyMethod.CENSUS)
             for i, uid in enumerate(user_ids)], batch_size=2000)
    timings["spheres, process, residents"] = time.perf_counter() - started

    # Proposals, with their counters computed from the supports and comments drawn below.
    started = time.perf_counter()
    n = args.proposals
    # Zipf-like: with these exponents the first proposal has about 12,700 supports and 2,000 comments.
    support_counts = zipf_counts(args.supports, n, 0.9, cap=len(user_ids))
    comment_counts = zipf_counts(args.comments, n, 0.7, cap=len(user_ids))
    # Rank is not age: shuffle which proposal is popular, but keep the most supported one also the most discussed.
    order = list(range(1, n))
    rng.shuffle(order)
    order = [0, *order]
    group_codes = list(Function.objects.filter(parent__isnull=False).values_list("code", flat=True))
    proposals = []
    for position in range(n):
        rank = order[position]
        created = now - timedelta(days=12, seconds=rng.randrange(0, 12 * 86400)) + timedelta(seconds=position)
        supports = support_counts[rank]
        words = rng.sample(WORDS, 3)
        proposals.append(Proposal(
            process=process, sphere=city, author_id=rng.choice(user_ids),
            title=f"{words[0].capitalize()} and {words[1]} for the {words[2]} {position}"[:150],
            body=sentence(rng, rng.randint(30, 90)), function_id=rng.choice(group_codes) if rng.random() < 0.8
            else None, place=f"Street {rng.randint(1, 400)}" if rng.random() < 0.5 else "",
            support_count=supports, comment_count=comment_counts[rank],
            answer_due=(created + timedelta(days=30)).date() if supports >= 200 else None,
            created_at=created, updated_at=created))
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals, batch_size=1000)
    proposal_rows = list(Proposal.objects.order_by("pk").values_list("pk", "created_at", "support_count",
                                                                       "comment_count"))
    timings["proposals"] = time.perf_counter() - started

    started = time.perf_counter()
    supports = []
    for pk, created, count, _comments in proposal_rows:
        for uid in rng.sample(user_ids, count):
            supports.append((pk, uid, created + timedelta(seconds=rng.randrange(1, 2 * 86400))))
    insert_rows(Support, ["proposal_id", "user_id", "created_at"], supports)
    timings["supports"] = time.perf_counter() - started

    # Comments: about a third are replies (to a comment or a reply) on the same proposal; ids are given here so
    # replies can name their parent (and their thread's root, as services.do_comment does), and reply_count is
    # counted from the rows.
    started = time.perf_counter()
    comments: list[list] = []
    next_id = 1
    for pk, created, _supports, count in proposal_rows:
        mine: list[int] = []
        moment = created
        for _ in range(count):
            moment = moment + timedelta(seconds=rng.randrange(5, 300))
            parent = root = None
            if mine and rng.random() < 0.35:
                parent = rng.choice(mine[-50:]) if rng.random() < 0.7 else rng.choice(mine)
                comments[parent - 1][6] += 1
                root = comments[parent - 1][8] or parent
            comments.append([next_id, pk, parent, rng.choice(user_ids), sentence(rng, rng.randint(8, 60)), False,
                             0, moment, root])
            mine.append(next_id)
            next_id += 1
    columns = ["id", "proposal_id", "parent_id", "author_id", "body", "is_official", "reply_count", "created_at"]
    if any(f.name == "root" for f in Comment._meta.concrete_fields):  # threads know their first comment
        columns.append("root_id")
    else:
        comments = [row[:8] for row in comments]
    insert_rows(Comment, columns, comments)
    reset_sequence(Comment)
    timings["comments"] = time.perf_counter() - started

    started = time.perf_counter()
    analyse()
    timings["ANALYZE"] = time.perf_counter() - started

    top = max(proposal_rows, key=lambda row: row[3])
    typical = sorted(proposal_rows, key=lambda row: (row[3], row[0]))[len(proposal_rows) // 2]
    return {"process": process, "top": top[0], "top_comments": top[3], "top_supports": top[2],
            "typical": typical[0], "typical_comments": typical[3],
            "resident": User.objects.get(pk=user_ids[0]), "timings": timings,
            "replies": sum(1 for row in comments if row[2] is not None)}


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def check_consistency() -> dict:
    """The counters on proposals match the rows, as the services keep them."""
    from django.db.models import Count, F

    from comuna.participation.models import Comment, Proposal, Support

    wrong_supports = Proposal.objects.annotate(n=Count("supports")).exclude(n=F("support_count")).count()
    wrong_comments = Proposal.objects.annotate(n=Count("comments")).exclude(n=F("comment_count")).count()
    wrong_replies = Comment.objects.annotate(n=Count("replies")).exclude(n=F("reply_count")).count()
    if any(f.name == "root" for f in Comment._meta.concrete_fields):
        wrong_replies += (Comment.objects.filter(parent__isnull=False, root__isnull=True).count()
                          + Comment.objects.filter(parent__isnull=True, root__isnull=False).count())
    return {"proposals": Proposal.objects.count(), "supports": Support.objects.count(),
            "comments": Comment.objects.count(), "replies": Comment.objects.filter(parent__isnull=False).count(),
            "wrong counters": wrong_supports + wrong_comments + wrong_replies}


# --- the measurements ---------------------------------------------------------------------------------------

def measure(client, url: str, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:  # counted apart: capturing slows the requests a little
        response = client.get(url)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"median": statistics.median(times), "p95": p95, "queries": len(queries), "sql_ms": sql_ms,
            "bytes": len(response.content)}


def search_hits(text: str) -> int:
    from comuna.participation.models import Proposal
    from comuna.participation.search import search_proposals

    return search_proposals(Proposal.objects.all(), text).count()


def load_average() -> str:
    """The machine may be shared: say how busy it was."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"
    except OSError:
        return "unknown"


def main() -> int:
    args = parse_args()
    database, clean_up = prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    try:
        print(f"Database: {database}")
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        setup_seconds = time.perf_counter() - started
        built = build(args)
        data = check_consistency()
        print(f"migrate + collectstatic: {setup_seconds:.1f} s; building: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in built["timings"].items()))
        print(f"Data: 1 process, {data['proposals']:,} proposals, {data['supports']:,} supports, "
              f"{data['comments']:,} comments ({data['replies']:,} replies), {args.residents:,} residents; "
              f"counters inconsistent with rows: {data['wrong counters']}")
        print(f"Most discussed proposal #{built['top']}: {built['top_comments']:,} comments, "
              f"{built['top_supports']:,} supports; \"{SEARCH_WORD}\" is in {search_hits(SEARCH_WORD):,} proposals, "
              f"\"{SEARCH_WORD} garden\" in {search_hits(SEARCH_WORD + ' garden'):,}")
        if data["wrong counters"]:
            print("FAIL: the counters do not match the rows")
            return 2

        slug, top = built["process"].slug, built["top"]
        anonymous = Client()
        resident = Client()
        resident.force_login(built["resident"], backend="django.contrib.auth.backends.ModelBackend")
        # (label, client, url, checked against the target)
        cases = [
            ("process page (recent)", anonymous, f"/processes/{slug}/", True),
            ("process page (?order=supports)", anonymous, f"/processes/{slug}/?order=supports", True),
            ("process page, page 100", anonymous, f"/processes/{slug}/?page=100", False),
            (f"proposal page ({built['top_comments']:,} comments)", anonymous, f"/proposals/{top}/", True),
            ("  same, signed-in resident", resident, f"/proposals/{top}/", False),
            ("  same, ?order=discussed&page=20", anonymous, f"/proposals/{top}/?order=discussed&page=20", False),
            (f"proposal page ({built['typical_comments']} comments)", anonymous, f"/proposals/{built['typical']}/",
             False),
            (f"search page ?q={SEARCH_WORD}", anonymous, f"/search/?q={SEARCH_WORD}", True),
            ("search page, two words", anonymous, f"/search/?q={SEARCH_WORD}+garden&order=supports", False),
            ("search page, no words", anonymous, "/search/", False),
            (f"API proposals?q={SEARCH_WORD}", anonymous, f"/api/v1/participation/proposals?q={SEARCH_WORD}", True),
            ("API process proposals (supports)", anonymous,
             f"/api/v1/participation/processes/{slug}/proposals?order=supports", True),
            ("API proposal", anonymous, f"/api/v1/participation/proposals/{top}", True),
            (f"API proposal comments ({built['top_comments']:,})", anonymous,
             f"/api/v1/participation/proposals/{top}/comments", False),
        ]
        print(f"\n{args.requests} timed requests each after {args.warmup} warm-up; target: median < {TARGET_MS:.0f} ms"
              f" (checked rows marked *); load average before: {load_average()}\n")
        print(f"{'request':<40} {'median':>9} {'p95':>9} {'queries':>8} {'SQL ms':>8} {'KiB':>7}")
        failures = []
        for label, client, url, checked in cases:
            result = measure(client, url, args.requests, args.warmup)
            mark = "*" if checked else " "
            verdict = ""
            if checked:
                verdict = "PASS" if result["median"] < TARGET_MS else "FAIL"
                if verdict == "FAIL":
                    failures.append(label)
            print(f"{mark}{label:<39} {result['median']:7.1f}ms {result['p95']:7.1f}ms {result['queries']:8d} "
                  f"{result['sql_ms']:8.1f} {result['bytes'] / 1024:7.1f}  {verdict}")
        print(f"load average after: {load_average()}")
        print(f"\n{connection.vendor}: " + ("PASS: every checked median under 100 ms" if not failures
                                          else "FAIL: over 100 ms at the median: " + "; ".join(failures)))
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"kept: {database}")
        else:
            clean_up()


if __name__ == "__main__":
    sys.exit(main())
