"""`comuna iati export --sphere SLUG [-o FILE]` and `comuna iati import FILE.xml`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def export(args: argparse.Namespace) -> int:
    from comuna.platform_cli import setup_django

    setup_django()
    from comuna.cooperation import iati
    from comuna.core.errors import DomainError
    from comuna.spheres.models import Sphere

    sphere = Sphere.objects.filter(slug=args.sphere).first()
    if sphere is None:
        print(f"There is no sphere “{args.sphere}”.", file=sys.stderr)
        return 2
    try:
        document = iati.export_sphere(sphere)
    except DomainError as error:
        print(str(error.message), file=sys.stderr)
        return 1
    if args.output in (None, "-"):
        sys.stdout.buffer.write(document)
    else:
        Path(args.output).write_bytes(document)
        print(f"Wrote {args.output}.", file=sys.stderr)
    return 0


def import_file(args: argparse.Namespace) -> int:
    from comuna.platform_cli import setup_django

    setup_django()
    from comuna.cooperation import iati, services
    from comuna.core.errors import DomainError

    path = Path(args.file)
    try:
        size = path.stat().st_size
    except OSError as error:
        print(f"{path}: {error.strerror}.", file=sys.stderr)
        return 2
    if size > iati.MAX_IATI_BYTES:
        print(f"{path}: the file is larger than {iati.MAX_IATI_BYTES // 2**20} MB.", file=sys.stderr)
        return 1
    try:
        report = services.do_import_iati(path.read_bytes(), filename=path.name)
    except DomainError as error:
        print(f"{path}: {error.message}", file=sys.stderr)
        return 1
    for activity in report.activities:
        where = f"line {activity.line}" if activity.line else ""
        detail = activity.reason or "; ".join(activity.warnings)
        print("\t".join([activity.outcome, activity.identifier or "-", where, detail]).rstrip())
    counts = report.as_dict()
    print(f"{counts['imported']} imported, {counts['updated']} updated, {counts['unchanged']} unchanged, "
          f"{counts['skipped']} skipped.")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("iati", help="IATI 2.03 open data: export a sphere's activities, import files")
    sub = parser.add_subparsers(dest="iati_command", required=True)
    export_parser = sub.add_parser("export", help="write a sphere's iati-activities file")
    export_parser.add_argument("--sphere", required=True, help="the sphere's short name (slug)")
    export_parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    export_parser.set_defaults(func=export)
    import_parser = sub.add_parser("import", help="import the activities of an IATI file")
    import_parser.add_argument("file", help="an iati-activities XML file")
    import_parser.set_defaults(func=import_file)
