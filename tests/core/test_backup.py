"""`comuna backup` and `comuna restore` (issue 8, item 7).

A live instance (gunicorn taking votes from client processes) is backed up in the middle of the load and again once
it is quiet; each archive is restored into a fresh, empty database with a fresh media folder, and the copy is
whole: same counts, totals that agree with their rows, the audit chain verifies, the uploaded files are back. Runs on
SQLite, and on PostgreSQL (pg_dump/pg_restore) when DATABASE_URL names it. Refusals change nothing.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from pathlib import Path

import pytest

from comuna.cli import main
from reliability.conftest import live_site, load_template  # noqa: F401 (fixtures shared with the load tests)
from reliability.loadsite import comuna, new_database, run_load, site_env, stored

SUPPORTS = "SELECT COUNT(*) FROM participation_support"
COUNTED_TABLES = ["participation_support", "budgeting_ballot", "budgeting_voter", "conversations_vote",
                  "conversations_voteevent", "audit_event", "accounts_user", "spheres_sphere"]


def counts(database) -> dict[str, int]:
    return {table: database.count(f"SELECT COUNT(*) FROM {table}") for table in COUNTED_TABLES}


def restored_copy(archive: Path, directory: Path):
    """Restore `archive` with the console into a fresh empty database and media folder; return both."""
    directory.mkdir()
    database = new_database(os.environ.get("DATABASE_URL"), directory, "restored")
    env = site_env(database, directory)
    done = comuna(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Restored the backup" in done.stdout
    return database, env


def test_a_live_instance_backed_up_under_load_restores_whole(live_site, tmp_path):  # noqa: F811
    media = Path(live_site.env["MEDIA_ROOT"])
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "minutes.pdf").write_bytes(b"%PDF-1.4 the minutes of the meeting\n" * 100)
    during_load = tmp_path / "during-load.tar.gz"

    def back_up_in_the_middle() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and live_site.database.count(SUPPORTS) < 20:
            time.sleep(0.05)
        done = comuna(live_site.env, "backup", str(during_load))
        assert done.returncode == 0, done.stderr

    with live_site.server() as server:
        run_load(server.address, live_site.seed, processes=4, double_rate=0.1, duration=40,
                 during=back_up_in_the_middle)
    quiet = tmp_path / "quiet.tar.gz"
    done = comuna(live_site.env, "backup", str(quiet))
    assert done.returncode == 0, done.stderr
    assert "Backup written to" in done.stdout

    with tarfile.open(quiet) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert manifest["format_version"] == 1 and manifest["database"] == live_site.database.kind
    assert "media/attachments/minutes.pdf" in manifest["files"] and manifest["comuna_version"]

    # The quiet backup is an exact copy.
    database, env = restored_copy(quiet, tmp_path / "quiet")
    try:
        assert counts(database) == counts(live_site.database)
        assert comuna(env, "audit", "verify").returncode == 0
        assert (Path(env["MEDIA_ROOT"]) / "attachments" / "minutes.pdf").read_bytes() == (
            media / "attachments" / "minutes.pdf").read_bytes()
    finally:
        database.drop()

    # The backup taken while votes were being written is consistent: totals agree with their rows, chain verifies.
    database, env = restored_copy(during_load, tmp_path / "during")
    try:
        copy = stored(database, live_site.seed)
        assert 20 <= len(copy.supports) <= live_site.database.count(SUPPORTS)
        for proposal in live_site.seed["proposals"]:
            assert copy.support_counts[proposal] == sum(1 for p, _user in copy.supports if p == proposal)
        assert copy.ballots == len(copy.voters)
        assert copy.audit["proposal.supported"] == len(copy.supports)
        verified = comuna(env, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
        assert (Path(env["MEDIA_ROOT"]) / "attachments" / "minutes.pdf").exists()
    finally:
        database.drop()


# --- refusals (in this process, against the test database) -----------------------------------------------------

def kind_here() -> str:
    from django.db import connection

    return connection.vendor


def archive_with(path: Path, manifest: dict | None, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        items = dict(members)
        if manifest is not None:
            items = {"manifest.json": json.dumps(manifest).encode(), **items}
        for name, raw in items.items():
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return path


def manifest_for(kind: str, files: dict[str, bytes]) -> dict:
    import hashlib

    return {"format": "comuna-backup", "format_version": 1, "database": kind, "comuna_version": "0.1.0",
            "created_at": "2026-11-27T00:00:00+00:00",
            "files": {name: hashlib.sha256(raw).hexdigest() for name, raw in files.items()}}


@pytest.fixture
def unchanged(tree, settings, tmp_path):
    """Asserts after the test that the database and media folder were not touched."""
    from comuna.spheres.models import Sphere

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "kept.txt").write_text("still here")
    before = sorted(Sphere.objects.values_list("slug", flat=True))
    yield
    assert sorted(Sphere.objects.values_list("slug", flat=True)) == before
    assert sorted(p.name for p in (tmp_path / "media").iterdir()) == ["kept.txt"]


def refusal(capsys, path: Path) -> str:
    assert main(["restore", str(path)]) == 1
    error = capsys.readouterr().err
    assert "Nothing was changed." in error
    return error


def test_restore_refuses_a_file_that_is_not_a_backup(unchanged, tmp_path, capsys):
    not_archive = tmp_path / "notes.tar.gz"
    not_archive.write_text("just some notes")
    assert f"{not_archive} is not a Comuna backup: it is not a backup archive." in refusal(capsys, not_archive)

    no_manifest = archive_with(tmp_path / "other.tar.gz", None, {"data.csv": b"a,b\n"})
    assert "is not a Comuna backup: it has no readable manifest.json" in refusal(capsys, no_manifest)

    foreign = archive_with(tmp_path / "foreign.tar.gz", {"format": "something-else"}, {})
    assert "its manifest is not a Comuna backup manifest" in refusal(capsys, foreign)

    assert f"{tmp_path / 'missing.tar.gz'} does not exist." in refusal(capsys, tmp_path / "missing.tar.gz")


def test_restore_refuses_a_backup_of_the_other_kind_of_database(unchanged, tmp_path, capsys):
    other = "postgresql" if kind_here() == "sqlite" else "sqlite"
    dump_name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[other]
    files = {dump_name: b"a dump"}
    path = archive_with(tmp_path / "other-kind.tar.gz", manifest_for(other, files), files)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert (f"is a backup of a {names[other]} database, but this Comuna runs on {names[kind_here()]}."
            in refusal(capsys, path))


def test_restore_refuses_a_damaged_or_tampered_backup(unchanged, tmp_path, capsys):
    kind = kind_here()
    dump_name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[kind]
    files = {dump_name: b"the original dump"}
    tampered = archive_with(tmp_path / "tampered.tar.gz", manifest_for(kind, files), {dump_name: b"altered"})
    assert f"the checksum of {dump_name} does not match its manifest" in refusal(capsys, tampered)

    escaping = {dump_name: b"x", "media/../../etc/cron.d/evil": b"x"}
    path = archive_with(tmp_path / "escaping.tar.gz", manifest_for(kind, escaping), escaping)
    assert "it names an unexpected file" in refusal(capsys, path)

    newer = manifest_for(kind, files) | {"format_version": 99}
    path = archive_with(tmp_path / "newer.tar.gz", newer, files)
    assert "reads format 1 only" in refusal(capsys, path)
