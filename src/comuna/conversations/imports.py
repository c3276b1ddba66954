"""Reading an uploaded Pol.is export (the four CSV files, or one .zip holding them) and writing it into a
conversation.

`read_upload` refuses a malformed upload with a `DomainError` whose message names the file, the line and the
reason (translated), and whose code is stable for the API: "malformed_export" (details: file, line, reason, the
reason being one of `REASONS`' keys), "export_too_large", "not_an_export" or "no_export". It writes nothing.
`fill_conversation` writes the statements, the pseudonymous participants (never linked to an account) and every vote
in the order cast.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comuna.core.errors import DomainError
from comuna.opinion import PolisExport, PolisExportError, read_polis_export

from .models import IMPORTED_STATEMENT_MAX_LENGTH, Conversation, Participant, Statement, Vote, VoteEvent

EXPORT_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
# The largest real export at hand (vTaiwan, 1,921 voters, 50,000 votes) is 3.5 MB; 25 MB leaves room without letting
# one upload tie up a worker.
MAX_IMPORT_BYTES = getattr(settings, "CONVERSATIONS_IMPORT_MAX_BYTES", 25 * 1024 * 1024)
BATCH = 2000

# The reader's reason codes (comuna.opinion.PolisExportError.code), as people read them.
REASONS = {
    "file_missing": gettext_lazy("the file is missing"),
    "file_empty": gettext_lazy("the file is empty: a header row is expected"),
    "missing_columns": gettext_lazy("missing column(s): %(columns)s"),
    "field_count": gettext_lazy("%(found)d fields where the header has %(expected)d"),
    "not_integer": gettext_lazy("column “%(column)s”: “%(value)s” is not a whole number"),
    "out_of_range": gettext_lazy("column “%(column)s”: %(value)s is out of range (0 to %(highest)d)"),
    "duplicate_statement": gettext_lazy("statement %(id)d appears twice"),
    "bad_moderation": gettext_lazy("column “moderated”: “%(value)s” is not -1, 0 or 1"),
    "unknown_statement": gettext_lazy("statement %(id)d is not in comments.csv"),
    "bad_vote": gettext_lazy("column “vote”: “%(value)s” is not 1 (agree), -1 (disagree) or 0 (pass)"),
    "summary_row": gettext_lazy("a summary row needs a key and a value"),
    "not_utf8": gettext_lazy("the file is not UTF-8 text"),
    "not_csv": gettext_lazy("the file is not valid CSV"),
    "statement_too_long": gettext_lazy("statement %(id)d is longer than %(max)d characters"),
}


def malformed(file: str, line: int | None, reason: str, params: dict | None = None) -> DomainError:
    """The refusal of a malformed export: where, and why (translated), with a stable code for the API."""
    explanation = REASONS.get(reason, REASONS["not_csv"]) % (params or {}) if params else \
        str(REASONS.get(reason, REASONS["not_csv"]))
    if line is None:
        message = _("The Pol.is export is not valid: %(file)s: %(reason)s.") % {"file": file, "reason": explanation}
    else:
        message = _("The Pol.is export is not valid: %(file)s, line %(line)d: %(reason)s.") % {
            "file": file, "line": line, "reason": explanation}
    return DomainError("malformed_export", message, file=file, line=line, reason=reason)


def _too_large() -> DomainError:
    return DomainError("export_too_large", _("The export is larger than %(size)d MB.")
                       % {"size": MAX_IMPORT_BYTES // (1024 * 1024)})


def _not_an_export(name: str) -> DomainError:
    return DomainError("not_an_export", _("“%(name)s” is not part of a Pol.is export: upload comments.csv, votes.csv "
                                          "and, if you have them, participants-votes.csv and summary.csv, or one "
                                          ".zip file holding them.") % {"name": name[:100]}, file=name[:100])


def _from_zip(name: str, raw: bytes) -> dict[str, bytes]:
    """The export's files in a .zip, at its top level or in one folder; other files (stats-history.csv) are
    ignored. The sizes are checked before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise _not_an_export(name) from None
    with archive:
        members = {}
        for info in archive.infolist():
            base = PurePosixPath(info.filename).name
            if info.is_dir() or base not in EXPORT_FILES:
                continue
            if base in members:
                raise DomainError("not_an_export", _("The .zip holds %(file)s twice: keep one export per file.")
                                  % {"file": base}, file=base)
            members[base] = info
        if not members:
            raise _not_an_export(name)
        if sum(info.file_size for info in members.values()) > MAX_IMPORT_BYTES:
            raise _too_large()
        files = {}
        for base, info in members.items():
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_IMPORT_BYTES + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
                raise malformed(base, None, "not_csv") from None
            if len(data) > MAX_IMPORT_BYTES:  # the declared size lied
                raise _too_large()
            files[base] = data
        return files


def unpack(uploads) -> dict[str, bytes]:
    """{file name: content} from the uploaded files (Django `UploadedFile`s or anything with .name, .size and
    .read())."""
    uploads = [upload for upload in uploads if upload is not None]
    if not uploads:
        raise DomainError("no_export", _("Choose the files of a Pol.is export (or one .zip holding them)."))
    if sum(upload.size or 0 for upload in uploads) > MAX_IMPORT_BYTES:
        raise _too_large()
    if len(uploads) == 1 and (uploads[0].name or "").lower().endswith(".zip"):
        return _from_zip(uploads[0].name, uploads[0].read(MAX_IMPORT_BYTES + 1))
    files: dict[str, bytes] = {}
    for upload in uploads:
        name = PurePosixPath((upload.name or "").replace("\\", "/")).name
        if name not in EXPORT_FILES:
            raise _not_an_export(name or "?")
        if name in files:
            raise DomainError("not_an_export", _("%(file)s was uploaded twice: keep one export per file.")
                              % {"file": name}, file=name)
        files[name] = upload.read(MAX_IMPORT_BYTES + 1)
    return files


def read_upload(uploads) -> PolisExport:
    """The export read by comuna.opinion's reader; a refusal names the file, the line and the reason."""
    files = unpack(uploads)
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        try:
            export = read_polis_export(folder)
        except PolisExportError as error:
            raise malformed(error.path.name, error.line, error.code, error.params) from None
    for statement in export.statements:
        if len(statement.text) > IMPORTED_STATEMENT_MAX_LENGTH:
            raise malformed("comments.csv", None, "statement_too_long",
                            {"id": statement.id, "max": IMPORTED_STATEMENT_MAX_LENGTH})
    return export


def _moment(milliseconds: int, default: datetime) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC) if milliseconds > 0 else default


def fill_conversation(conversation: Conversation, export: PolisExport) -> dict[str, int]:
    """Write the export into an empty conversation; Pol.is's statement and participant ids become their numbers
    in the conversation, so the map speaks the same ids as the export. Returns what was written."""
    now = timezone.now()
    votes = export.votes.in_time_order()
    numbers = set(votes.participant.tolist())
    numbers.update(s.author_id for s in export.statements if s.author_id is not None)
    first_seen: dict[int, int] = {}
    for participant, stamp in zip(votes.participant.tolist(), votes.timestamp.tolist(), strict=True):
        first_seen.setdefault(participant, stamp)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, number=number, created_at=_moment(first_seen.get(number, 0), now))
         for number in sorted(numbers)], batch_size=BATCH)
    participants = dict(Participant.objects.filter(conversation=conversation).values_list("number", "pk"))
    Statement.objects.bulk_create(
        [Statement(conversation=conversation, number=s.id, text=s.text, moderation=s.moderated,
                   author_id=participants.get(s.author_id), created_at=_moment(s.timestamp, now))
         for s in export.statements], batch_size=BATCH)
    statements = dict(Statement.objects.filter(conversation=conversation).values_list("number", "pk"))
    VoteEvent.objects.bulk_create(
        [VoteEvent(conversation=conversation, statement_id=statements[s], participant_id=participants[p], value=v,
                   created_at=_moment(t, now))
         for p, s, v, t in zip(votes.participant.tolist(), votes.statement.tolist(), votes.value.tolist(),
                               votes.timestamp.tolist(), strict=True)], batch_size=BATCH)
    last = export.votes.last_votes()
    Vote.objects.bulk_create(
        [Vote(conversation=conversation, statement_id=statements[s], participant_id=participants[p], value=v,
              created_at=_moment(t, now), updated_at=_moment(t, now))
         for p, s, v, t in zip(last.participant.tolist(), last.statement.tolist(), last.value.tolist(),
                               last.timestamp.tolist(), strict=True)], batch_size=BATCH)
    Conversation.objects.filter(pk=conversation.pk).update(statements_version=F("statements_version") + 1)
    return {"statements": len(statements), "participants": len(participants), "votes": len(votes)}
