"""`comuna backup FILE` and `comuna restore FILE`: the database and the uploaded files in one archive.

The archive is a gzipped tar holding `manifest.json` (format version, database kind, Comuna version, creation time
and the SHA-256 of every other member), the database dump and the media files under `media/`.

- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) makes a consistent copy while the server keeps
  writing (never `cp`, which can tear a WAL database); restoring uses the same API the other way, so the live file
  is replaced page by page under SQLite's own lock.
- PostgreSQL: `pg_dump -Fc`, restored with `pg_restore --clean --if-exists --single-transaction` into the database
  of DATABASE_URL, so a failed restore leaves the database as it was.

Back up while the server runs; stop the server before restoring (the running server would otherwise keep
serving, and writing, between the old data and the new).

Restore checks everything first (that the file is a Comuna backup, of a format this version reads, of the same kind
of database, every checksum, the PostgreSQL tools present) and only then changes anything.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import comuna

FORMAT = "comuna-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore refused, with what to do about it. Nothing was changed."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    kind: str
    media_files: int
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def database_kind() -> str:
    from django.db import connection

    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, else the newest under /usr/lib/postgresql (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} was not found. Install the PostgreSQL client tools (Debian: apt-get install "
                      f"postgresql-client), of the same major version as the server or newer.")


def postgres_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from Django's settings; the password goes in the environment."""
    from django.db import connection

    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return arguments, env


def media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


# --- backup ---------------------------------------------------------------------------------------------------

def dump_database(kind: str, target: Path) -> None:
    from django.db import connection

    if kind == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # consistent even while the server writes
        finally:
            copy.close()
            source.close()
        return
    arguments, env = postgres_arguments()
    done = subprocess.run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
                           *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def make_backup(path: str | Path) -> BackupReport:
    """Write the archive to `path` (atomically: a half-written archive never carries the final name)."""
    path = Path(path)
    kind = database_kind()
    media = media_root()
    media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="comuna-backup-") as scratch:
        dump = Path(scratch) / DUMP_NAMES[kind]
        dump_database(kind, dump)
        members = {DUMP_NAMES[kind]: dump}
        members.update({f"media/{p.relative_to(media).as_posix()}": p for p in media_files})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "database": kind,
            "comuna_version": comuna.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {name: sha256_of(source) for name, source in members.items()},
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            raw = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(raw), int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(raw))
            for name, source in members.items():
                archive.add(source, arcname=name, recursive=False)
        os.replace(partial, path)
    return BackupReport(path, kind, len(media_files), path.stat().st_size)


# --- restore --------------------------------------------------------------------------------------------------

def read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{path} is not a Comuna backup: it has no readable {MANIFEST}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Comuna backup: its manifest is not a Comuna backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is a Comuna backup in format {manifest.get('format_version')}; this Comuna "
                          f"({comuna.__version__}) reads format {FORMAT_VERSION} only.")
    if manifest.get("database") not in DUMP_NAMES or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{path} is not a Comuna backup: its manifest names no database dump.")
    return manifest


def safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def unpack(path: Path, scratch: Path) -> dict:
    """Check the archive and extract its members into `scratch`; return the manifest. Changes nothing else."""
    try:
        archive = tarfile.open(path, "r:*")
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (tarfile.TarError, OSError):
        raise BackupError(f"{path} is not a Comuna backup: it is not a backup archive.") from None
    with archive:
        manifest = read_manifest(archive, path)
        kind, files = manifest["database"], manifest["files"]
        here = database_kind()
        if kind != here:
            raise BackupError(f"{path} is a backup of a {KIND_NAMES[kind]} database, but this Comuna runs on "
                              f"{KIND_NAMES[here]}. Restore it into a Comuna configured for {KIND_NAMES[kind]}.")
        if DUMP_NAMES[kind] not in files:
            raise BackupError(f"{path} is damaged: its {DUMP_NAMES[kind]} is missing.")
        for name in files:
            if not safe_name(name) or not (name == DUMP_NAMES[kind] or name.startswith("media/")):
                raise BackupError(f"{path} is not a Comuna backup: it names an unexpected file, {name!r}.")
            try:
                member = archive.getmember(name)
            except KeyError:
                raise BackupError(f"{path} is damaged: {name} is listed in the manifest but missing.") from None
            if not member.isfile():
                raise BackupError(f"{path} is not a Comuna backup: {name} is not a regular file.")
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            if sha256_of(target) != files[name]:
                raise BackupError(f"{path} is damaged: the checksum of {name} does not match its manifest.")
    return manifest


def restore_database(kind: str, dump: Path) -> None:
    from django.db import connection, connections

    connections.close_all()
    if kind == "sqlite":
        source = sqlite3.connect(str(dump))
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The database in the backup fails SQLite's integrity check.")
            live = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
            try:
                source.backup(live)  # page by page under SQLite's write lock: readers never see half of it
            finally:
                live.close()
        finally:
            source.close()
        return
    arguments, env = postgres_arguments()
    done = subprocess.run([postgres_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction",
                           "--no-owner", "--exit-on-error", *arguments, str(dump)], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed; the database was left as it was: {done.stderr.strip()}")


def restore_media(extracted: Path) -> int:
    """Swap the media folder for the backup's; the old one is removed only once the new one is in place."""
    media = media_root()
    restored = extracted / "media"
    restored.mkdir(exist_ok=True)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restoring-", dir=media.parent))
    shutil.rmtree(incoming)
    shutil.copytree(restored, incoming)
    previous = media.with_name(media.name + ".before-restore")
    if previous.exists():
        shutil.rmtree(previous)
    if media.exists():
        os.replace(media, previous)
    os.replace(incoming, media)
    shutil.rmtree(previous, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())


def restore_backup(path: str | Path) -> dict:
    """Replace the database and media with the backup's; refuse (changing nothing) anything else."""
    path = Path(path)
    database_kind()
    media = media_root()
    with tempfile.TemporaryDirectory(prefix="comuna-restore-", dir=media.parent if media.parent.is_dir() else None
                                     ) as scratch:
        scratch = Path(scratch)
        manifest = unpack(path, scratch)
        kind = manifest["database"]
        if kind == "postgresql":
            postgres_tool("pg_restore")  # missing tools are refused before anything changes
        restore_database(kind, scratch / DUMP_NAMES[kind])
        restore_media(scratch)
    return manifest
