"""Read and write the Pol.is export format: comments.csv, votes.csv, participants-votes.csv, summary.csv.

The format is the one published by compdemocracy/openData. Reading refuses a malformed export with a
`PolisExportError` naming the file, the line and the reason. In votes.csv a participant's last vote on a
statement counts (by timestamp); comments.csv's agree/disagree counts include votes later changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from comuna.opinion.votes import AGREE, DISAGREE, VOTE_VALUES, Statement, VoteBatch

COMMENTS_COLUMNS = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                    "comment-body")
VOTES_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANTS_FIXED_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


# Largest id or timestamp a reader accepts: ids fit a 32-bit signed integer (what databases store), timestamps are
# milliseconds before the year 5000.
MAX_ID = 2**31 - 1
MAX_TIMESTAMP = 95_617_584_000_000


class PolisExportError(ValueError):
    """A malformed Pol.is export: which file, which line (1-based, as an editor shows it) and why.

    `reason` is English; `code` and `params` name the same reason for callers that translate it (for example
    code "missing_columns" with params {"columns": "voter-id"})."""

    def __init__(self, path: Path | str, line: int | None, reason: str, code: str = "malformed",
                 params: dict[str, str | int] | None = None) -> None:
        self.path, self.line, self.reason = Path(path), line, reason
        self.code, self.params = code, dict(params or {})
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


@dataclass
class PolisExport:
    statements: list[Statement]
    votes: VoteBatch
    groups: dict[int, int | None] = field(default_factory=dict)  # participants-votes.csv group-id (Pol.is's own)
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def group_count(self) -> int | None:
        value = self.summary.get("groups")
        return int(value) if value not in (None, "") else None


def _rows(path: Path, required: Iterable[str]):
    """Yield (line number, row dict) after checking the header has every required column."""
    if not path.exists():
        raise PolisExportError(path, None, "file is missing", "file_missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        start = 1
        try:
            try:
                header = next(reader)
            except StopIteration:
                raise PolisExportError(path, 1, "file is empty, a header row is expected", "file_empty") from None
            missing = [c for c in required if c not in header]
            if missing:
                raise PolisExportError(path, 1, f"missing column(s): {', '.join(missing)}", "missing_columns",
                                       {"columns": ", ".join(missing)})
            start = reader.line_num + 1
            for row in reader:
                if not row:
                    start = reader.line_num + 1
                    continue
                if len(row) != len(header):
                    raise PolisExportError(path, start, f"{len(row)} fields where the header has {len(header)}",
                                           "field_count", {"found": len(row), "expected": len(header)})
                yield start, dict(zip(header, row, strict=True))
                start = reader.line_num + 1
        except UnicodeDecodeError:
            raise PolisExportError(path, start, "not UTF-8 text", "not_utf8") from None
        except csv.Error as error:
            raise PolisExportError(path, start, f"not valid CSV ({error})", "not_csv") from None


def _int(path: Path, line: int, column: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)  # Pol.is writes some ids and votes as 1.0
        except ValueError:
            value = float("nan")
        if not value.is_integer():
            raise PolisExportError(path, line, f"column {column!r}: {text!r} is not an integer", "not_integer",
                                   {"column": column, "value": text[:40]}) from None
        return int(value)


def _bounded(path: Path, line: int, column: str, text: str, highest: int = MAX_ID) -> int:
    """An id or a timestamp: a whole number from 0 to `highest`."""
    value = _int(path, line, column, text)
    if not 0 <= value <= highest:
        raise PolisExportError(path, line, f"column {column!r}: {text!r} is out of range (0 to {highest})",
                               "out_of_range", {"column": column, "value": text[:40], "highest": highest})
    return value


def read_comments(path: Path) -> list[Statement]:
    statements: dict[int, Statement] = {}
    for line, row in _rows(path, ("comment-id", "moderated", "comment-body")):
        sid = _bounded(path, line, "comment-id", row["comment-id"])
        if sid in statements:
            raise PolisExportError(path, line, f"comment-id {sid} appears twice", "duplicate_statement",
                                   {"id": sid})
        moderated = _int(path, line, "moderated", row["moderated"])
        if moderated not in (-1, 0, 1):
            raise PolisExportError(path, line, f"column 'moderated': {moderated} is not -1, 0 or 1",
                                   "bad_moderation", {"value": row["moderated"][:40]})
        author = row.get("author-id", "")
        stamp = row.get("timestamp", "")
        statements[sid] = Statement(
            id=sid, text=row["comment-body"], moderated=moderated,
            author_id=_bounded(path, line, "author-id", author) if author else None,
            timestamp=_bounded(path, line, "timestamp", stamp, MAX_TIMESTAMP) if stamp else 0,
        )
    return sorted(statements.values(), key=lambda s: s.id)


def read_votes(path: Path, statement_ids: set[int] | None = None) -> VoteBatch:
    participants, statements, values, stamps = [], [], [], []
    for line, row in _rows(path, ("timestamp", "comment-id", "voter-id", "vote")):
        sid = _bounded(path, line, "comment-id", row["comment-id"])
        if statement_ids is not None and sid not in statement_ids:
            raise PolisExportError(path, line, f"comment-id {sid} is not in comments.csv", "unknown_statement",
                                   {"id": sid})
        try:
            vote = _int(path, line, "vote", row["vote"])
        except PolisExportError:
            vote = None
        if vote not in VOTE_VALUES:
            raise PolisExportError(path, line, f"column 'vote': {row['vote']!r} is not 1, -1 or 0", "bad_vote",
                                   {"value": row["vote"][:40]})
        participants.append(_bounded(path, line, "voter-id", row["voter-id"]))
        statements.append(sid)
        values.append(vote)
        stamps.append(_bounded(path, line, "timestamp", row["timestamp"], MAX_TIMESTAMP))
    return VoteBatch(np.array(participants, dtype=np.int64), np.array(statements, dtype=np.int64),
                     np.array(values, dtype=np.int8), np.array(stamps, dtype=np.int64))


def read_participant_groups(path: Path) -> dict[int, int | None]:
    groups: dict[int, int | None] = {}
    for line, row in _rows(path, ("participant", "group-id")):
        pid = _bounded(path, line, "participant", row["participant"])
        gid = row["group-id"]
        groups[pid] = _int(path, line, "group-id", gid) if gid != "" else None
    return groups


def read_summary(path: Path) -> dict[str, str]:
    summary: dict[str, str] = {}
    if not path.exists():
        raise PolisExportError(path, None, "file is missing", "file_missing")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        line = 1
        try:
            for row in reader:
                if row:
                    if len(row) < 2:
                        raise PolisExportError(path, line, "a summary row needs a key and a value", "summary_row")
                    summary[row[0]] = row[1]
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise PolisExportError(path, line, "not UTF-8 text", "not_utf8") from None
        except csv.Error as error:
            raise PolisExportError(path, line, f"not valid CSV ({error})", "not_csv") from None
    return summary


def read_polis_export(directory: Path | str) -> PolisExport:
    """Read a Pol.is export folder; participants-votes.csv and summary.csv are optional."""
    directory = Path(directory)
    statements = read_comments(directory / "comments.csv")
    votes = read_votes(directory / "votes.csv", {s.id for s in statements})
    groups_path, summary_path = directory / "participants-votes.csv", directory / "summary.csv"
    groups = read_participant_groups(groups_path) if groups_path.exists() else {}
    summary = read_summary(summary_path) if summary_path.exists() else {}
    return PolisExport(statements=statements, votes=votes, groups=groups, summary=summary)


def _stamp_text(milliseconds: int) -> str:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC).strftime("%a %b %d %H:%M:%S %Z %Y")


def write_polis_export(
    directory: Path | str,
    statements: Iterable[Statement],
    votes: VoteBatch,
    groups: Mapping[int, int] | None = None,
    summary: Mapping[str, str] | None = None,
) -> None:
    """Write the four files. `groups` maps participant id to opinion group (absent: not in the map)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    statements = sorted(statements, key=lambda s: s.id)
    groups = dict(groups or {})
    ordered = votes.in_time_order()
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for sid, value in zip(ordered.statement.tolist(), ordered.value.tolist(), strict=True):
        if value == AGREE:
            agrees[sid] = agrees.get(sid, 0) + 1
        elif value == DISAGREE:
            disagrees[sid] = disagrees.get(sid, 0) + 1
    with (directory / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COMMENTS_COLUMNS)
        for s in statements:
            writer.writerow([s.timestamp, _stamp_text(s.timestamp), s.id, "" if s.author_id is None else s.author_id,
                             agrees.get(s.id, 0), disagrees.get(s.id, 0), s.moderated, s.text])
    with (directory / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(VOTES_COLUMNS)
        for p, s, v, t in zip(ordered.participant.tolist(), ordered.statement.tolist(), ordered.value.tolist(),
                              ordered.timestamp.tolist(), strict=True):
            writer.writerow([t, _stamp_text(t), s, p, v])
    last = votes.last_votes()
    statement_ids = [s.id for s in statements]
    column = {sid: i for i, sid in enumerate(statement_ids)}
    authored: dict[int, int] = {}
    for s in statements:
        if s.author_id is not None:
            authored[s.author_id] = authored.get(s.author_id, 0) + 1
    rows: dict[int, list[str]] = {}
    for p, s, v in zip(last.participant.tolist(), last.statement.tolist(), last.value.tolist(), strict=True):
        rows.setdefault(p, [""] * len(statement_ids))[column[s]] = str(v)
    with (directory / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*PARTICIPANTS_FIXED_COLUMNS, *statement_ids])
        for pid in sorted(rows):
            cells = rows[pid]
            gid = groups.get(pid)
            writer.writerow([pid, "" if gid is None else gid, authored.get(pid, 0), sum(c != "" for c in cells),
                             cells.count("1"), cells.count("-1"), *cells])
    facts = {
        "voters": str(len(rows)),
        "voters-in-conv": str(sum(1 for pid in rows if groups.get(pid) is not None)),
        "commenters": str(len(authored)),
        "comments": str(len(statement_ids)),
        "groups": str(len(set(g for g in groups.values() if g is not None))),
    }
    facts.update(summary or {})
    with (directory / "summary.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for key, value in facts.items():
            writer.writerow([key, value])
