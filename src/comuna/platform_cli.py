"""Platform commands of the `comuna` console: serve, demo, audit verify, backup, restore, manage."""

from __future__ import annotations

import argparse
import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comuna.settings")
    import django

    django.setup()


def serve(args: argparse.Namespace) -> int:
    """Production server: gunicorn, with WhiteNoise serving the static files."""
    from gunicorn.app.wsgiapp import run

    bind = args.bind or os.environ.get("COMUNA_BIND", "127.0.0.1:8000")
    workers = str(args.workers or os.environ.get("WEB_CONCURRENCY", "3"))
    sys.argv = ["gunicorn", "comuna.wsgi:application", "--bind", bind, "--workers", workers,
                "--access-logformat", '%(t)s "%(m)s %(U)s" %(s)s %(L)ss', "--access-logfile", "-"]
    run()
    return 0


def demo(args: argparse.Namespace) -> int:
    setup_django()
    from comuna.demo import load_demo

    created = load_demo()
    print("Demo data loaded." if created else "Demo data was already there; nothing changed.")
    return 0


def audit(args: argparse.Namespace) -> int:
    setup_django()
    from comuna.audit.services import verify_chain

    report = verify_chain()
    if report.ok:
        print(f"Audit chain verified: {report.checked} events, no alteration.")
        return 0
    print(f"Audit chain BROKEN: {report.problem} (first bad event: {report.first_bad_sequence}; "
          f"{report.checked} events before it are intact).", file=sys.stderr)
    return 1


def backup(args: argparse.Namespace) -> int:
    setup_django()
    from comuna.core.backup import BackupError, make_backup

    try:
        report = make_backup(args.file)
    except BackupError as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print(f"Backup written to {report.path}: the {report.kind} database and {report.media_files} media files "
          f"({report.size:,} bytes).")
    return 0


def restore(args: argparse.Namespace) -> int:
    setup_django()
    from comuna.core.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(args.file)
    except BackupError as error:
        print(f"Restore refused: {error} Nothing was changed.", file=sys.stderr)
        return 1
    print(f"Restored the backup made on {manifest['created_at']} by Comuna {manifest['comuna_version']}: "
          f"the database and {sum(1 for n in manifest['files'] if n.startswith('media/'))} media files.")
    return 0


def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comuna.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["comuna manage", *args.arguments])
    return 0


def register(subparsers) -> None:
    serve_parser = subparsers.add_parser("serve", help="serve Comuna with gunicorn")
    serve_parser.add_argument("--bind", help="address:port (default 127.0.0.1:8000 or $COMUNA_BIND)")
    serve_parser.add_argument("--workers", type=int, help="worker processes (default 3 or $WEB_CONCURRENCY)")
    serve_parser.set_defaults(func=serve)

    demo_parser = subparsers.add_parser("demo", help="load the demo data (once)")
    demo_parser.set_defaults(func=demo)

    audit_parser = subparsers.add_parser("audit", help="the audit log")
    audit_sub = audit_parser.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="recompute the hash chain").set_defaults(func=audit)

    backup_parser = subparsers.add_parser("backup", help="write the database and media files to one archive")
    backup_parser.add_argument("file", help="the archive to write (e.g. comuna-2026-11-27.tar.gz)")
    backup_parser.set_defaults(func=backup)

    restore_parser = subparsers.add_parser("restore", help="replace the database and media files with a backup's (stop the server first)")
    restore_parser.add_argument("file", help="an archive written by `comuna backup`")
    restore_parser.set_defaults(func=restore)

    manage_parser = subparsers.add_parser("manage", help="Django's management commands", add_help=False)
    manage_parser.add_argument("arguments", nargs=argparse.REMAINDER)
    manage_parser.set_defaults(func=manage)
